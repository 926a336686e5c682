"""Articles as HTML, PDF and DOCX (issue 26, point 1): the same article in each format gives the same
answers as its Markdown, and a file of those types that holds no article says so in one line while the
rest of the ingest goes on. The HTML, DOCX and PDF are made from the Markdown in the test's setup: HTML
by markdown-it, the others from that HTML by LibreOffice (Debian's, headless), as a support desk would
export them. The deterministic word encoder: the comparison is of the loaders, not of meaning."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from eval.as_pages import LAYOUTS, article_html, chrome_numbers
from hotline.pipeline import Hotline
from ingest import run_ingest
from ingest.formats import convert

from .conftest import MINI, mini_settings

SOFFICE = shutil.which("soffice")
QUESTIONS = [
    "телефон горячей линии чайника",
    "номер чайника для Санкт-Петербурга",
    "телефон чайника в Москве",
    "какая почта у магазина Чайник",
    "как вернуть товар в Чайник",
    "Чайник бесплатный номер для всех регионов",
    "куда писать о заказе в Чайник",
    "телефон ласточки",
    "горячая линия чайника работает круглосуточно?",
    "chainik support phone",
    "e-mail чайника",
    "сколько ждать ответа на письмо в Чайник",
    "как оформить возврат в магазине Чайник",
    "когда курьер заберёт товар Чайника",
    "телефон чайника для Питера",
    "куда жаловаться на Чайник",
    "адрес для претензии Чайнику",
    "Чайник не отвечает на претензию, что делать",
    "телефон Роспотребнадзора",
    "почта ласточки",
]


def html_of(markdown: str) -> str:
    from markdown_it import MarkdownIt

    front, body = re.match(r"---\n(.*?)\n---\n(.*)", markdown, re.S).groups()  # type: ignore[union-attr]
    title = re.search(r"title: (.*)", front).group(1)  # type: ignore[union-attr]
    html = MarkdownIt("commonmark").enable("table").render(f"# {title}\n\n{body}")
    page = f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
    page += f"<nav><a href='/'>Главная</a> <a href='/shop'>Каталог</a></nav><article>{html}</article>"
    return page + "<footer>© Чайник</footer></body></html>"


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The kettle shop's article as each format, in a folder of its own."""
    folder = tmp_path_factory.mktemp("formats")
    markdown = (MINI / "chainik.md").read_text(encoding="utf-8")
    (folder / "chainik.html").write_text(html_of(markdown), encoding="utf-8")
    made = {".md": MINI / "chainik.md", ".html": folder / "chainik.html"}
    if SOFFICE:
        for kind, target in (("docx", 'docx:"MS Word 2007 XML"'), ("pdf", "pdf:writer_web_pdf_Export")):
            subprocess.run(
                [
                    SOFFICE,
                    "--headless",
                    "--convert-to",
                    target.replace('"', ""),
                    "--outdir",
                    str(folder),
                    str(folder / "chainik.html"),
                ],
                check=True,
                capture_output=True,
                timeout=180,
            )
            made[f".{kind}"] = folder / f"chainik.{kind}"
    return made


def answers(root: Path, article: Path) -> list[tuple[bool, frozenset[str]]]:
    settings = mini_settings(root)
    (settings.corpus_dir / "chainik.md").unlink()
    shutil.copy(article, settings.corpus_dir / f"chainik{article.suffix}")
    run_ingest(settings)
    bot = Hotline(settings)
    try:
        return [(a.answered, frozenset(f.normalized for f in a.facts)) for a in map(bot.ask, QUESTIONS)]
    finally:
        bot.close()


@pytest.fixture(scope="module")
def from_markdown(
    versions: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> list[tuple[bool, frozenset[str]]]:
    return answers(tmp_path_factory.mktemp("md"), versions[".md"])


@pytest.mark.parametrize("suffix", [".html", ".docx", ".pdf"])
def test_the_same_questions_get_the_same_facts_from_each_format(
    suffix: str, versions: dict[str, Path], from_markdown: list[tuple[bool, frozenset[str]]], tmp_path: Path
) -> None:
    if suffix not in versions:
        pytest.skip("LibreOffice is not installed (make test installs it where apt is at hand)")
    assert sum(bool(facts) for _, facts in from_markdown) >= 12, "the Markdown must answer most of them"
    assert answers(tmp_path, versions[suffix]) == from_markdown


def test_a_page_keeps_its_headings_and_table_rows_and_loses_its_navigation(versions: dict[str, Path]) -> None:
    converted = convert(".html", versions[".html"].read_bytes(), "chainik.html")
    text = converted.text  # type: ignore[union-attr]
    assert "## Горячая линия" in text and "| Санкт-Петербург | +7 (812) 222-33-44 |" in text
    assert "Главная" not in text and "©" not in text and converted.library == "trafilatura"  # type: ignore[union-attr]


def test_files_that_hold_no_article_say_so_in_one_line(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    scan = PdfWriter()
    scan.add_blank_page(width=200, height=200)  # a page with no text layer, as a scan's
    blank = tmp_path / "scan.pdf"
    with blank.open("wb") as out:
        scan.write(out)
    locked = PdfWriter()
    locked.add_blank_page(width=200, height=200)
    locked.encrypt("secret")
    with (tmp_path / "locked.pdf").open("wb") as out:
        locked.write(out)
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "menu.html").write_text("<html><body><nav><a href='/'>Главная</a></nav></body></html>")
    kinds = {
        name: getattr(convert(Path(name).suffix, (tmp_path / name).read_bytes(), name), "kind", None)
        for name in ("scan.pdf", "locked.pdf", "broken.docx", "menu.html")
    }
    assert kinds == {
        "scan.pdf": "pdf_scan",
        "locked.pdf": "pdf_password",
        "broken.docx": "unreadable_format",
        "menu.html": "no_main_text",
    }


def test_an_ingest_with_such_files_indexes_the_rest(tmp_path: Path) -> None:
    settings = mini_settings(tmp_path)
    (settings.corpus_dir / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (settings.corpus_dir / "menu.html").write_text("<html><body><nav><a href='/'>Главная</a></nav></body></html>")
    (settings.corpus_dir / "chainik.md").rename(settings.corpus_dir / "chainik.txt")  # the same, twice
    (settings.corpus_dir / "page.html").write_text(html_of((MINI / "chainik.md").read_text(encoding="utf-8")))
    report = run_ingest(settings)
    assert {p.path for p in report.problems} >= {"broken.docx", "menu.html"}
    assert ("page.html", "trafilatura") in report.readers  # the report names the library that read it
    assert report.articles == len(list(MINI.glob("*.md"))) + 1


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_sites_surroundings_stay_out_and_the_article_stays_whole(tmp_path: Path, layout: str) -> None:
    """Each article inside a site's page as sites are built (semantic HTML5, a portal's div soup in
    windows-1251, an old table layout): the menu, the "popular" links, a lawyer's advert, readers' comments
    and the editors' footer carry numbers of their own, and none may reach the article; every number of
    the article does."""
    for article in MINI.glob("*.md"):
        title, content, meta = article_html(article)
        page = LAYOUTS[layout]("Справочник", title, content, meta, ["Другая статья", "Ещё одна статья"])
        text = convert(".html", page.encode("cp1251" if layout == "portal" else "utf-8"), "x.html").text  # type: ignore[union-attr]
        digits = re.sub(r"\D", "", text)
        assert not [n for n in chrome_numbers() if re.sub(r"\D", "", n) in digits], (article.name, text)
        assert "Комментарии" not in text and "Популярное" not in text and "Разделы" not in text
        for number in re.findall(r"\+?\d[\d ()-]{8,}\d", article.read_text(encoding="utf-8")):
            assert number in text, (article.name, number)
        assert text.count("\n#") >= article.read_text(encoding="utf-8").count("\n#")  # its headings kept
