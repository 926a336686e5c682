"""Articles added from the page: checked before the corpus is touched, and rolled back if the ingest fails."""

from __future__ import annotations

import io
import stat

import pytest
from pypdf import PdfWriter

from hotline import Settings
from hotline.search.retrieval import Retriever
from ingest.pipeline import run_ingest
from ingest.records import IngestBusy, ingest_lock
from ingest.upload import UploadRejected, add_article, article_file, checked_name, remove_article

ARTICLE = "---\ntitle: Пункт выдачи\n---\n\n## Контакты\n\nТелефон пункта: +7 (843) 200-00-00.\n".encode()


@pytest.mark.parametrize(
    "name", ["../evil.md", "a/b.md", "..\\evil.md", ".hidden.md", "", "notes.xlsx", "run.sh", "x\x00.md", "~$tmp.md"]
)
def test_names_with_paths_or_other_types_are_refused(name: str) -> None:
    with pytest.raises(UploadRejected):
        checked_name(name)


@pytest.mark.parametrize(
    "name", ["kazan.md", "Пункт выдачи (Казань).txt", "faq_2026-11.MD", "тарифы.pdf", "page.HTML", "скрипты.docx"]
)
def test_plain_article_names_pass(name: str) -> None:
    assert checked_name(name) == name


def test_an_article_is_added_and_ingested(settings: Settings) -> None:
    run_ingest(settings)
    report = add_article(settings, "kazan.md", ARTICLE)
    assert report.added >= 1
    assert (settings.corpus_dir / "kazan.md").read_bytes() == ARTICLE


def test_an_uploaded_article_is_as_readable_as_the_articles_beside_it(settings: Settings) -> None:
    settings.corpus_dir.chmod(0o755)
    existing = settings.corpus_dir / "ozon-claim.md"
    existing.chmod(0o640)
    add_article(settings, "kazan.md", ARTICLE)
    add_article(settings, "ozon-claim.md", existing.read_bytes())  # replaces: keeps the article's own mode
    assert stat.S_IMODE((settings.corpus_dir / "kazan.md").stat().st_mode) == 0o644
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640


@pytest.mark.parametrize(
    ("data", "why"),
    [(b"", "нет текста"), (bytes(range(256)) * 4, "не текст"), (b"x" * 2_000_001, "больше 2 МБ")],
)
def test_bad_content_is_refused_before_the_corpus_changes(settings: Settings, data: bytes, why: str) -> None:
    settings = settings.model_copy(update={"max_upload_bytes": 2_000_000})
    before = sorted(p.name for p in settings.corpus_dir.iterdir())
    with pytest.raises(UploadRejected, match=why):
        add_article(settings, "new.md", data)
    assert sorted(p.name for p in settings.corpus_dir.iterdir()) == before  # no temporary file left either


def test_each_type_has_its_own_size_limit(settings: Settings) -> None:
    """A saved page or a PDF weighs more than its text: 1.5 MB is too much for Markdown, not for a PDF (where
    it is refused for what it holds, a blank page, not for its size)."""
    padding = b" " * 1_500_000
    with pytest.raises(UploadRejected, match="больше 1 МБ"):
        add_article(settings, "big.md", ARTICLE + padding)
    scan = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Producer": "x" * 1_500_000})
    writer.write(scan)
    with pytest.raises(UploadRejected, match="скан"):
        add_article(settings, "scan.pdf", scan.getvalue())
    limited = settings.model_copy(update={"max_document_bytes": settings.max_document_bytes | {"pdf": 1_000_000}})
    with pytest.raises(UploadRejected, match="больше 1 МБ"):
        add_article(limited, "scan.pdf", scan.getvalue())
    assert not (settings.corpus_dir / "scan.pdf").exists()


def test_a_web_page_is_added_as_its_main_text(settings: Settings) -> None:
    page = (
        "<html><head><meta charset='windows-1251'><title>Пункт выдачи в Казани</title></head><body>"
        "<nav><a href='/'>Главная</a> <a href='/shops'>Магазины</a></nav><main><h1>Пункт выдачи в Казани</h1>"
        "<p>Телефон пункта выдачи в Казани: +7 (843) 200-00-00, с 9 до 21 часа.</p></main>"
        "<footer>Реклама: такси Ласточка +7 (843) 999-99-99</footer></body></html>"
    ).encode("cp1251")
    report = add_article(settings, "kazan.html", page)
    assert report.added >= 1 and report.readers == (("kazan.html", "trafilatura"),)
    view = Retriever(settings).view()
    text = " ".join(t for t, m in zip(view.texts, view.metadatas, strict=True) if m.get("article") == "kazan.html")
    assert "+7 (843) 200-00-00" in text and "999-99-99" not in text and "Главная" not in text


def test_a_failed_ingest_puts_the_corpus_back(settings: Settings) -> None:
    run_ingest(settings)
    existing = settings.corpus_dir / "ozon-claim.md"
    original = existing.read_bytes()
    with ingest_lock(settings):  # another ingest is running: this one cannot
        with pytest.raises(IngestBusy):
            add_article(settings, "kazan.md", ARTICLE)
        with pytest.raises(IngestBusy):
            add_article(settings, "ozon-claim.md", ARTICLE)
    assert not (settings.corpus_dir / "kazan.md").exists()
    assert existing.read_bytes() == original


def test_a_deleted_article_leaves_the_index_and_a_failed_ingest_puts_it_back(settings: Settings) -> None:
    run_ingest(settings)
    existing = settings.corpus_dir / "ozon-claim.md"
    original = existing.read_bytes()
    with ingest_lock(settings), pytest.raises(IngestBusy):
        remove_article(settings, "ozon-claim.md")
    assert existing.read_bytes() == original
    report = remove_article(settings, "ozon-claim.md")
    assert report.removed >= 1 and not existing.exists()
    for bad in ("../ozon-claim.md", "", "/etc/passwd", "ozon-claim.md", "."):
        with pytest.raises(UploadRejected):
            remove_article(settings, bad)


def test_a_link_inside_the_corpus_is_its_own_article_and_one_out_of_it_is_refused(settings: Settings) -> None:
    (settings.corpus_dir / "alias.md").symlink_to("ozon-claim.md")
    assert article_file(settings, "alias.md").is_symlink()  # deleting it leaves the article it points to
    (settings.corpus_dir / "out.md").symlink_to("/etc/hostname")
    with pytest.raises(UploadRejected):
        article_file(settings, "out.md")
