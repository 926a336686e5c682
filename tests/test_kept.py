"""A snapshot's lexical index and registry kept in the data dir between processes (hotline.index.kept): read back for
the same chunks, never for others, and derived again when it cannot be read or kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.index import view as view_module
from hotline.index.kept import FOLDER, KEEP, kept
from hotline.index.lexical import LexicalIndex
from hotline.search.retrieval import Retriever
from ingest import run_ingest

from .conftest import mini_settings


def test_a_kept_value_is_read_back_and_a_damaged_one_derived_again(tmp_path: Path) -> None:
    calls: list[str] = []

    def derive() -> dict[str, int]:
        calls.append("derived")
        return {"chunks": 3}

    assert kept(tmp_path, "lexical", "a|b", derive) == {"chunks": 3}
    assert kept(tmp_path, "lexical", "a|b", derive) == {"chunks": 3}
    assert calls == ["derived"]  # the second came from the file
    assert kept(tmp_path, "lexical", "a|c", derive) == {"chunks": 3}
    assert calls == ["derived"] * 2  # other chunks: never the first's file
    for path in tmp_path.glob("lexical-*.pickle"):
        path.write_bytes(b"not a pickle")
    assert kept(tmp_path, "lexical", "a|b", derive) == {"chunks": 3}
    assert calls == ["derived"] * 3


def test_only_the_newest_files_are_kept(tmp_path: Path) -> None:
    for n in range(KEEP + 3):
        kept(tmp_path, "lexical", f"ids {n}", lambda n=n: n)
    assert len(list(tmp_path.glob("lexical-*.pickle"))) == KEEP


def test_a_data_dir_it_cannot_write_in_still_answers(tmp_path: Path) -> None:
    (tmp_path / FOLDER).write_text("a file where the folder would be")  # fails for root too, unlike a chmod
    assert kept(tmp_path / FOLDER, "lexical", "ids", lambda: 7) == 7
    assert kept(tmp_path / FOLDER, "lexical", "ids", lambda: 8) == 8  # nothing was kept


def test_a_second_process_reads_the_index_its_first_kept_and_a_new_article_derives_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = mini_settings(tmp_path)
    run_ingest(settings)
    first = Retriever(settings)
    lexical, registry = first.view().lexical, first.view().organizations
    first.close()
    assert len(list((settings.data_dir / FOLDER).glob("lexical-*.pickle"))) == 1
    assert len(list((settings.data_dir / FOLDER).glob("registry-*.pickle"))) == 1

    def refuse(*args: object) -> LexicalIndex:
        raise AssertionError("derived again although kept")

    monkeypatch.setattr(view_module.LexicalIndex, "build", refuse)
    monkeypatch.setattr(view_module.CorpusOrganizations, "build", refuse)
    second = Retriever(settings)  # a new retriever: what a new process opens
    assert second.view().lexical.lemma_counts == lexical.lemma_counts
    assert second.view().organizations.of_chunk == registry.of_chunk
    assert second.view().organizations.names == registry.names
    second.close()

    monkeypatch.undo()
    (settings.corpus_dir / "новая.md").write_text("# Новая\n\nТелефон Квазара: 8 800 100-20-30.\n", encoding="utf-8")
    run_ingest(settings)
    third = Retriever(settings)
    assert "квазар" in third.view().lexical.lemma_counts  # the new article's chunks, not the kept file's
    third.close()
