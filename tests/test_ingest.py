"""Incremental ingest into the real Chroma with the real model: only what changed is embedded."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
from sentence_transformers import SentenceTransformer
from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, WordEmbeddings
from sentence_transformers.sentence_transformer.modules.tokenizer import WhitespaceTokenizer

from hotline import Hotline, IndexNotBuilt, IndexStore, Retriever, Settings
from ingest import IngestBusy, NothingToIngest, run_ingest

from .conftest import REPO, make_settings, mini_settings, subprocess_env
from .index_checks import assert_consistent

RPN_PHONE = "8 (800) 100-0004"  # the Rospotrebnadzor hotline, in ozon-complaint.md


def search_texts(settings: Settings, query: str, k: int = 5) -> list[str]:
    retriever = Retriever(settings)
    try:
        return [p.text for p in retriever.search(query, k)]
    finally:
        retriever.store.close()


def test_first_ingest_indexes_every_chunk(settings: Settings) -> None:
    report = run_ingest(settings)
    assert report.articles == 5 and report.chunks > 40
    assert report.added == report.embedded == report.chunks
    assert (report.updated, report.removed, report.unchanged) == (0, 0, 0)
    assert report.rebuilt and report.generation == 1
    assert_consistent(settings)


def test_second_ingest_adds_nothing_and_embeds_nothing(settings: Settings) -> None:
    first = run_ingest(settings)
    second = run_ingest(settings)
    assert (second.added, second.updated, second.removed, second.embedded) == (0, 0, 0, 0)
    assert second.unchanged == first.chunks
    assert not second.rebuilt
    assert_consistent(settings)


def test_editing_one_article_reembeds_only_the_changed_chunk(settings: Settings) -> None:
    first = run_ingest(settings)
    article = settings.corpus_dir / "ozon-complaint.md"
    article.write_text(article.read_text(encoding="utf-8").replace(RPN_PHONE, "8 (800) 555-01-02"), encoding="utf-8")

    report = run_ingest(settings)

    assert (report.embedded, report.updated, report.added, report.removed) == (1, 1, 0, 0)
    assert report.unchanged == first.chunks - 1
    found = search_texts(settings, "телефон горячей линии Роспотребнадзора")
    assert any("8 (800) 555-01-02" in text for text in found)
    assert not any(RPN_PHONE in text for text in search_texts(settings, "Роспотребнадзор телефон", k=60))
    assert_consistent(settings)


def test_editing_only_the_title_reembeds_that_article_alone_and_citations_follow(settings: Settings) -> None:
    # The title is part of what is embedded (a company's name is often only there), so its chunks change.
    first = run_ingest(settings)
    article = settings.corpus_dir / "ozon-complaint.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("Написать жалобу на магазин ОЗОН", "Жалобы на ОЗОН"),
        encoding="utf-8",
    )
    report = run_ingest(settings)
    store = IndexStore(settings)
    snapshot = store.snapshot()
    assert snapshot is not None
    in_article = [m for m in store.metadatas(snapshot.collection, sorted(snapshot.ids)).values()]
    store.close()
    own = sum(m["article"] == "ozon-complaint.md" for m in in_article)
    assert report.embedded == report.updated == own and (report.added, report.removed) == (0, 0)
    assert report.unchanged == first.chunks - own
    retriever = Retriever(settings)
    titles = {
        p.title
        for p in retriever.search("Роспотребнадзор горячая линия телефон", 10)
        if p.article == "ozon-complaint.md"
    }
    retriever.store.close()
    assert titles == {"Жалобы на ОЗОН"}


def test_deleting_an_article_removes_its_chunks(settings: Settings) -> None:
    first = run_ingest(settings)
    store = IndexStore(settings)
    before = store.snapshot()
    assert before is not None
    owned = {
        i for i, m in store.metadatas(before.collection, sorted(before.ids)).items() if m["article"] == "ozon-claim.md"
    }
    store.close()
    (settings.corpus_dir / "ozon-claim.md").unlink()

    report = run_ingest(settings)

    assert report.removed == len(owned) > 0 and report.embedded == 0
    assert report.unchanged == first.chunks - len(owned) and report.articles == 4
    store = IndexStore(settings)
    after = store.snapshot()
    assert after is not None and "ozon-claim.md" not in after.articles
    assert not owned & store.ids(after.collection)
    store.close()
    assert not any("730-67-67" in text for text in search_texts(settings, "горячая линия Озон для Москвы", k=60))
    assert_consistent(settings)


def test_bad_files_are_reported_and_skipped_and_the_rest_is_indexed(settings: Settings) -> None:
    corpus = settings.corpus_dir
    (corpus / "scan.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8)
    (corpus / "blank.txt").write_text("\n \n", encoding="utf-8")
    windows = "Почта России\nВернуть посылку можно в любом отделении Почты России в течение 15 дней с момента прибытия."
    (corpus / "post.txt").write_bytes(windows.encode("cp1251"))

    report = run_ingest(settings)

    assert sorted(str(p) for p in report.problems) == [
        "skipped: blank.txt: empty",
        "skipped: scan.md: binary or of an unknown encoding (save it as UTF-8 text)",
    ]
    assert report.articles == 6
    assert any("в течение 15 дней" in text for text in search_texts(settings, "вернуть посылку почта россии"))
    assert_consistent(settings)


@pytest.mark.parametrize("make_empty", ["delete-all", "wrong-path"])
def test_an_empty_or_missing_corpus_is_refused_and_the_index_is_kept(settings: Settings, make_empty: str) -> None:
    first = run_ingest(settings)
    if make_empty == "delete-all":
        for path in settings.corpus_dir.glob("*.md"):
            path.unlink()
        target = settings
    else:
        target = settings.model_copy(update={"corpus_dir": settings.corpus_dir / "missing"})
    with pytest.raises(NothingToIngest, match="corpus"):
        run_ingest(target)
    store = IndexStore(settings)
    snapshot = store.snapshot()
    assert snapshot is not None and len(snapshot.ids) == first.chunks
    store.close()


def test_a_second_ingest_at_the_same_time_is_refused_or_waits(settings: Settings) -> None:
    # Another process holds the ingest lock for 1.5 s, as a running ingest would.
    settings.data_dir.mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(settings.data_dir / "ingest.lock"), "1.5"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(IngestBusy, match="another ingest is running"):
            run_ingest(settings)
        report = run_ingest(settings, wait=30)
        assert holder.poll() == 0, "the second ingest ran before the first let go"
        assert report.chunks > 0
    finally:
        holder.kill()


HOLD_LOCK = """
import sys, time
import filelock
lock = filelock.FileLock(sys.argv[1])
lock.acquire()
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
lock.release()
"""


def _tiny_word_model(path: Path) -> Path:
    """A second, different sentence-transformers model that loads offline (16 dimensions)."""
    vocab = ["телефон", "озон", "жалоба", "роспотребнадзор", "адрес", "москва", "карта", "горячая", "линия"]
    vectors = np.random.default_rng(0).normal(size=(len(vocab), 16)).astype(np.float32)
    embedding = WordEmbeddings(WhitespaceTokenizer(vocab, stop_words=[], do_lower_case=True), vectors)
    model = SentenceTransformer(modules=[embedding, Pooling(16, pooling_mode="mean"), Normalize()], device="cpu")
    model.save(str(path), create_model_card=False)
    return path


def test_an_index_of_another_model_answers_by_bm25_until_the_next_ingest_rebuilds_it(
    settings: Settings, tmp_path: Path
) -> None:
    run_ingest(settings)
    other = settings.model_copy(update={"embedding_model": str(_tiny_word_model(tmp_path / "tiny-model"))})

    # The page keeps answering from the old index (by BM25: another model's vectors cannot be compared).
    answer = Hotline(other).ask("телефон горячей линии Роспотребнадзора")
    assert answer.answered and any(RPN_PHONE in p.text for p in answer.passages)

    rebuilt = run_ingest(other)  # no --full needed: another model's index is rebuilt beside it
    assert rebuilt.rebuilt and rebuilt.embedded == rebuilt.chunks
    assert rebuilt.replaced_model and rebuilt.replaced_model != other.embedding_model
    assert len(Retriever(other).search("телефон горячей линии", 5)) == 5
    assert_consistent(other)


@pytest.mark.parametrize("command", [["-m", "ingest"], ["-m", "hotline", "телефон Роспотребнадзора"]])
def test_an_old_data_dir_is_rebuilt_with_a_clear_message(
    settings: Settings, tmp_path: Path, command: list[str]
) -> None:
    # The configured model is the word encoder: which model rebuilds the index is not what is tested here.
    settings = settings.model_copy(update={"embedding_model": "hashing"})
    other = settings.model_copy(update={"embedding_model": str(_tiny_word_model(tmp_path / "tiny-model"))})
    run_ingest(other)  # as an older checkout, with another default model, left it

    out = subprocess.run(
        [sys.executable, *command], capture_output=True, text=True, env=subprocess_env(settings), cwd=tmp_path
    )

    assert out.returncode == 0, out.stderr
    assert f"the index was built with embedding model {str(tmp_path / 'tiny-model')!r}" in out.stderr
    assert "rebuilt it with the configured one" in out.stderr
    assert search_texts(settings, "телефон горячей линии Роспотребнадзора")
    assert_consistent(settings)


def test_full_rebuild_builds_beside_the_live_index_and_drops_the_old_one(settings: Settings) -> None:
    first = run_ingest(settings)
    store = IndexStore(settings)
    old = store.snapshot()
    store.close()
    assert old is not None

    report = run_ingest(settings, full=True)

    assert report.rebuilt and report.embedded == first.chunks and report.unchanged == first.chunks
    store = IndexStore(settings)
    new = store.snapshot()
    assert new is not None and new.collection != old.collection and new.ids == old.ids
    assert store.data_collections() == [new.collection]
    store.close()
    assert_consistent(settings)


def test_querying_before_any_ingest_says_how_to_build_the_index(settings: Settings) -> None:
    with pytest.raises(IndexNotBuilt, match="python -m ingest"):
        Retriever(settings).search("телефон")


def test_cli_prints_problems_and_the_summary_line(settings: Settings, tmp_path: Path) -> None:
    settings = settings.model_copy(update={"embedding_model": "hashing"})  # what is printed, not what is meant
    (settings.corpus_dir / "notes.xlsx").write_bytes(b"PK")
    out = subprocess.run(
        [sys.executable, "-m", "ingest"], capture_output=True, text=True, env=subprocess_env(settings), cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("added ") and ", updated 0, removed 0, unchanged 0 (" in out.stdout
    assert "skipped: notes.xlsx: not an article" in out.stderr
    assert "boilerplate (x4), dropped: Это быстро и бесплатно!" in out.stderr


def test_cli_reports_errors_in_one_line_without_a_traceback(settings: Settings, tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "ingest", "--corpus", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        env=subprocess_env(settings),
        cwd=tmp_path,
    )
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [
        f"error: corpus folder {tmp_path / 'nowhere'} does not exist (set HOTLINE_CORPUS_DIR or --corpus)"
    ]


def test_a_bad_setting_is_named_in_one_line(settings: Settings, tmp_path: Path) -> None:
    for command in (["-m", "ingest"], [str(REPO / "app.py"), "--port", "1"]):
        out = subprocess.run(
            [sys.executable, *command],
            capture_output=True,
            text=True,
            env={**subprocess_env(settings), "HOTLINE_AUTH": "only-a-user", "HOTLINE_TOP_K": "many"},
            cwd=tmp_path,
        )
        assert out.returncode == 1
        assert sorted(out.stderr.strip().splitlines()) == [
            "error: HOTLINE_AUTH: write it as user:password",
            "error: HOTLINE_TOP_K: Input should be a valid integer, unable to parse string as an integer",
        ]


SMALL = {
    "hotline.md": "---\ntitle: Горячая линия магазина\n---\n\n## Телефон\n\nЗвоните 8 800 555-12-34, круглосуточно.\n",
    "returns.md": "---\ntitle: Возврат товара\n---\n\n## Сроки\n\nВернуть товар можно в течение 14 дней.\n\n"
    "## Жалоба\n\nЖалобу направляйте в Роспотребнадзор: 8 800 100-00-04.\n",
}


@pytest.fixture
def small(tmp_path: Path, models_dir: Path) -> Settings:
    """A two-article corpus: for ingest behaviour that does not need the real one (faster)."""
    corpus = tmp_path / "small-corpus"
    corpus.mkdir()
    for name, text in SMALL.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return make_settings(tmp_path / "small-data", corpus, models_dir)


def test_an_indexed_article_that_becomes_unreadable_keeps_its_chunks_until_it_is_deleted(small: Settings) -> None:
    first = run_ingest(small)
    article = small.corpus_dir / "returns.md"
    text = article.read_bytes()
    article.write_bytes(bytes(range(256)) * 64)  # a broken save: binary now

    kept = run_ingest(small)

    assert (kept.embedded, kept.removed, kept.unchanged) == (0, 0, first.chunks)
    [problem] = [p for p in kept.problems if p.path == "returns.md"]
    assert not problem.skipped and "stays in the index" in problem.message
    assert any("100-00-04" in t for t in search_texts(small, "телефон Роспотребнадзора"))

    article.write_bytes(text + b"\xff")  # one stray byte: read, with a warning, and nothing re-embedded
    stray = run_ingest(small)
    assert (stray.embedded, stray.removed) == (0, 0)
    assert any("stray" in p.message for p in stray.problems)
    assert_consistent(small)

    article.unlink()
    gone = run_ingest(small)
    assert gone.removed > 0 and not any("100-00-04" in t for t in search_texts(small, "Роспотребнадзор", k=10))


def test_full_rebuilds_leave_nothing_of_the_dropped_collections_on_disk(small: Settings) -> None:
    def segment_dirs() -> int:
        return sum(1 for p in (small.data_dir / "chroma").iterdir() if p.is_dir())

    run_ingest(small)
    first = segment_dirs()
    for _ in range(3):
        run_ingest(small, full=True)
    assert segment_dirs() == first  # chromadb leaves a dropped collection's directory; ingest removes it
    assert_consistent(small)
    # What a run killed inside the sweep leaves: a segment's folder no segment names. The next ingest,
    # even one with nothing to do, removes it.
    (small.data_dir / "chroma" / "0b7c9a4e-1f2d-4c3b-9a8e-7d6c5b4a3f21").mkdir()
    assert run_ingest(small).embedded == 0 and segment_dirs() == first


@pytest.mark.slow
def test_a_folder_the_ingest_cannot_read_keeps_its_articles_with_one_line() -> None:
    """An unreadable subfolder is read as unreadable files are: its articles keep their chunks. (Run as
    another user when the tests run as root, for whom no folder is unreadable.)"""
    root = Path(tempfile.mkdtemp(prefix="hotline-unreadable-"))
    try:
        root.chmod(0o755)
        settings = mini_settings(root)
        (settings.corpus_dir / "shop").mkdir()
        for name in ("chainik.md", "chainik-complaints.md"):
            (settings.corpus_dir / name).rename(settings.corpus_dir / "shop" / name)
        first = run_ingest(settings)
        subprocess.run(["chmod", "-R", "a+rwX", str(root)], check=True)  # the other user writes the index
        (settings.corpus_dir / "shop").chmod(0)
        other = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.getuid() == 0 else []
        done = subprocess.run(
            [*other, sys.executable, "-m", "ingest"], env=subprocess_env(settings), capture_output=True, text=True
        )
        (settings.corpus_dir / "shop").chmod(0o755)
        assert done.returncode == 0, done.stderr
        said = done.stdout.splitlines() + done.stderr.splitlines()
        lines = [line for line in said if line.startswith(("skipped", "warning")) and "shop" in line]
        assert len(lines) == 1 and "shop/: cannot be read" in lines[0], done.stdout + done.stderr
        assert "removed 0," in done.stdout
        view = Hotline(settings).index()
        assert {"shop/chainik.md", "shop/chainik-complaints.md"} <= set(view.snapshot.articles)
        assert len(view.ids) == first.chunks
    finally:
        subprocess.run(["chmod", "-R", "u+rwX", str(root)], check=False)
        shutil.rmtree(root, ignore_errors=True)


def test_an_index_committed_before_the_generation_had_its_own_record_is_read_and_then_updated(
    tmp_path: Path,
) -> None:
    """The generation read before every question is a small record of its own; an index written by an
    older hotline has only the snapshot record, and is read from it until the next ingest writes both."""
    from hotline.index.records import GENERATION_RECORD

    settings = mini_settings(tmp_path)
    run_ingest(settings, progress=False)
    store = IndexStore(settings)
    before = store.snapshot()
    assert before is not None
    store._meta().delete(ids=[GENERATION_RECORD])  # as an older hotline left the index
    older = IndexStore(settings).snapshot()
    assert older is not None and (older.generation, older.ids) == (before.generation, before.ids)
    article = next((settings.corpus_dir).glob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nЕщё одна строка о поддержке.\n", encoding="utf-8")
    run_ingest(settings, progress=False)
    after = store.snapshot()
    assert after is not None and after.generation == before.generation + 1
    assert store._meta().get(ids=[GENERATION_RECORD])["ids"] == [GENERATION_RECORD]
