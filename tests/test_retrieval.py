"""Retrieval over the real index: the passage holding the asked-for fact comes back, with its source."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hotline import Retriever, Settings
from ingest import run_ingest

from .conftest import REPO, subprocess_env

OZON_CARD_PHONE = "8 800 775-07-99"


@pytest.mark.parametrize(
    "question",
    [
        "Какой телефон у Ozon Card?",
        "номер телефона для владельцев Ozon Card",
        "ошибка при оплате картой Ozon Card куда звонить",
    ],
)
def test_the_ozon_card_phone_is_in_the_top_five(indexed: Settings, question: str) -> None:
    passages = Retriever(indexed).search(question, 5)
    assert any(OZON_CARD_PHONE in p.text for p in passages), [p.text[:80] for p in passages]


def test_passages_carry_their_article_section_and_quote(indexed: Settings) -> None:
    passages = Retriever(indexed).search("телефон горячей линии Роспотребнадзора", 3)
    top = next(p for p in passages if "100-0004" in p.text)
    assert top.article == "ozon-complaint.md"
    assert top.title == "Написать жалобу на магазин ОЗОН"
    assert top.section == "Жалоба в Роспотребнадзор"
    assert top.heading == "Написать жалобу на магазин ОЗОН › Жалоба в Роспотребнадзор"
    assert top.text.startswith("Жалобу можно оставить по номеру телефона: 8 (800) 100-0004")
    assert top.source.startswith("seed: ozon-support-articles.txt")


def test_results_are_ordered_and_limited(indexed: Settings) -> None:
    passages = Retriever(indexed).search("куда пожаловаться на магазин", 7)
    assert len(passages) == 7 and len({p.id for p in passages}) == 7
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)


def test_chromas_own_search_serves_snapshots_too_large_to_hold(indexed: Settings) -> None:
    settings = indexed.model_copy(update={"exact_search_max_chunks": 0})
    passages = Retriever(settings).search("Какой телефон у Ozon Card?", 5)
    assert any(OZON_CARD_PHONE in p.text for p in passages)


def test_a_passage_is_found_among_many_chunks_with_identical_vectors(settings: Settings) -> None:
    # These 400 chunks differ only in their numbers, so their vectors nearly coincide; HNSW
    # loses recall on such near-duplicates, exact search does not.
    body = "\n\n".join(f"## Пункт {n}\n\nПункт {n}: улица, дом {n}, вход со двора." for n in range(400))
    (settings.corpus_dir / "pickup-points.md").write_text(f"---\ntitle: Пункты\n---\n\n{body}\n", encoding="utf-8")
    run_ingest(settings)
    [top] = Retriever(settings).search("Роспотребнадзор телефон", 1)
    assert "8 (800) 100-0004" in top.text


def test_a_running_reader_sees_another_process_commit_without_restarting(settings: Settings, tmp_path: Path) -> None:
    settings = settings.model_copy(update={"embedding_model": "hashing"})  # what is seen, not what it means
    run_ingest(settings)
    retriever = Retriever(settings)

    def found() -> str:
        return "\n".join(p.text for p in retriever.search("телефон горячей линии Роспотребнадзора", 5))

    assert "8 (800) 100-0004" in found()
    article = settings.corpus_dir / "ozon-complaint.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("8 (800) 100-0004", "8 (800) 555-01-02"), encoding="utf-8"
    )
    out = subprocess.run(
        [sys.executable, "-m", "ingest", "--quiet"],
        env=subprocess_env(settings),
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr

    assert "8 (800) 555-01-02" in found() and "8 (800) 100-0004" not in found()
    retriever.close()


def test_one_question_reads_one_snapshot_even_if_an_ingest_commits_meanwhile(settings: Settings) -> None:
    run_ingest(settings)
    retriever = Retriever(settings)
    asked = retriever.searcher()  # a question in flight
    article = settings.corpus_dir / "ozon-hotline-call-or-write.md"
    article.write_text(article.read_text(encoding="utf-8").replace("775-07-99", "555-35-35"), encoding="utf-8")
    run_ingest(settings)
    query = asked.analyze("Какой телефон у Ozon Card?")
    assert any("775-07-99" in p.text for p in asked.retrieve(query))  # the snapshot it started with
    assert any("555-35-35" in p.text for p in retriever.search("Какой телефон у Ozon Card?"))  # the next one
