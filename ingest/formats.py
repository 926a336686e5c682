"""Articles in the formats they live in: a web page saved as HTML, a PDF, a Word document, made Markdown
with front matter, so that every later stage (front matter, sections, lists, table rows) reads them as it
reads a ``.md`` article. Each is read by the library its field uses, not by hand:

- **HTML** by trafilatura: the page's main text without its navigation, adverts and footer, its headings,
  lists and tables kept; its title, date and canonical URL become ``title``, ``updated`` and ``source``.
- **PDF** by pypdf, page by page (a PDF has no headings to keep: its paragraphs are its text's). A PDF with
  no text layer (a scan) or a password is not an article, and says so.
- **DOCX** by python-docx: paragraphs in order, "Title" and "Heading N" styles as headings, list styles as list
  items, tables as Markdown tables (a row stays whole); the document's title property is the title.

Each conversion names its library, for the ingest report.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from configparser import ConfigParser
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from ingest.problems import Problem

CONVERTED = (".html", ".htm", ".pdf", ".docx")


@dataclass(frozen=True)
class Converted:
    text: str  # Markdown, with front matter when the file said a title, date or address
    library: str


def convert(suffix: str, data: bytes, rel: str) -> Converted | Problem:
    """``data`` of a file of type ``suffix`` (one of :data:`CONVERTED`) as Markdown, or why it is not an
    article (one line)."""
    reader: Callable[[bytes], Converted] = {".html": _html, ".htm": _html, ".pdf": _pdf, ".docx": _docx}[suffix]
    try:
        return reader(data)
    except Unreadable as exc:
        return Problem(rel, str(exc), kind=exc.kind)
    except Exception as exc:  # a damaged file: a library's own error, said in one line
        why = f"cannot be read as {suffix[1:].upper()} ({type(exc).__name__}: {exc})"
        return Problem(rel, why, kind="unreadable_format")


class Unreadable(Exception):
    """A file of a known type that holds no article (a scan, a password, a page that is all navigation);
    ``kind`` names it for the page's Russian words (``prompts/page.yaml``, problems)."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def _front(title: str = "", source: str = "", updated: str = "") -> str:
    fields = [(k, v) for k, v in (("title", title), ("source", source), ("updated", updated)) if v]
    if not fields:
        return ""
    return "---\n" + "".join(f"{k}: {_quoted(v)}\n" for k, v in fields) + "---\n\n"


def _quoted(value: str) -> str:
    return '"' + " ".join(value.split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _html(data: bytes) -> Converted:
    import trafilatura
    from trafilatura.utils import decode_file

    html = _layout_tables_unwrapped(decode_file(data))  # by the page's charset (windows-1251 on some sites)
    text = trafilatura.extract(
        html,
        output_format="markdown",
        include_tables=True,
        include_formatting=True,
        include_links=False,
        include_comments=False,  # readers' comments: their numbers are whatever a reader was told
        config=_short_pages_kept(),
    )
    if not text or len(text.split()) < 5:
        raise Unreadable("an HTML page with no main text (all navigation, or a script's shell)", "no_main_text")
    meta = trafilatura.bare_extraction(html, with_metadata=True, only_with_metadata=False)
    title = getattr(meta, "title", "") or ""
    if title and not text.lstrip().startswith("#"):
        text = f"# {title}\n\n{text}"
    front = _front(title, getattr(meta, "url", "") or "", getattr(meta, "date", "") or "")
    return Converted(front + text.strip() + "\n", "trafilatura")


@cache
def _short_pages_kept() -> ConfigParser:
    """trafilatura's settings, but for a short article: below 250 characters of main text it falls back to
    the whole page's text, menu and footer included, and a menu or a footer is where another company's
    number sits. A short contact page is common; its text is its article."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "20")
    return config


# What a data table's cell does not hold: a table whose cells hold these lays out a page (an older site's
# menu column beside its text), and trafilatura reads such a table as data, menu and footer and article
# in one row. Readability's layout-table test (Mozilla's, as readability-lxml ports it) is the model.
BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "table", "div", "blockquote", "article", "section"}


def _layout_tables_unwrapped(html: str) -> str:
    """``html`` with each layout table made plain blocks (``div``), so that trafilatura weighs its cells
    as the page's parts, and the cell that holds the page's heading marked as its ``article`` (without
    that cue trafilatura kept that cell's paragraphs but lost its subheadings and lists). A table with
    headers or a caption is data and stays."""
    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return html
    cells = []
    for table in list(tree.iter("table")):
        own = [el for el in table.iterdescendants() if _table_of(el) is table]
        if any(el.tag in ("th", "thead", "caption") for el in own):
            continue
        tds = [el for el in own if el.tag == "td"]
        if len(tds) > 1 and any(inner.tag in BLOCKS for cell in tds for inner in cell.iterdescendants()):
            cells += tds
            for el in [table, *(el for el in own if el.tag in ("tbody", "tr", "td"))]:
                el.tag = "div"
    heading = next(tree.iter("h1"), None)
    marked = next(tree.iter("article", "main"), None) is not None
    if heading is not None and cells and not marked:
        holder = next((a for a in heading.iterancestors() if any(a is c for c in cells)), None)
        if holder is not None:
            holder.tag = "article"
    return lxml.html.tostring(tree, encoding="unicode")


def _table_of(element: object) -> object:
    """The nearest table that holds ``element``."""
    parent = element.getparent()  # type: ignore[attr-defined]
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _pdf(data: bytes) -> Converted:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repairs of a sloppy file are not the reader's news
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise Unreadable("a password-protected PDF; save it without the password to index it", "pdf_password")
    pages = [_lines(page) for page in reader.pages]
    if not any(pages):
        raise Unreadable("a PDF with no text layer (a scan); run it through OCR to index it", "pdf_scan")
    sizes: dict[float, int] = {}
    for line in (ln for page in pages for ln in page):
        sizes[line.size] = sizes.get(line.size, 0) + len(line.text)
    body_size = max(sizes, key=lambda size: sizes[size])
    larger = sorted({size for size in sizes if size >= HEADING_SCALE * body_size}, reverse=True)
    info = reader.metadata
    title = str(info.title or "") if info is not None else ""
    first = 2 if title else 1  # the document's title is the "#": its largest headings are then sections
    text = _markdown([ln for page in pages for ln in page], {size: n + first for n, size in enumerate(larger)})
    if title:
        text = f"# {title}\n\n{text}"
    return Converted(text.strip() + "\n", "pypdf")


HEADING_SCALE = 1.2  # a PDF line this much larger than the body's text is a heading (a PDF keeps no styles)
CELL_GAP = 3.0  # fragments of one line further apart than this many font sizes are a table's cells


@dataclass(frozen=True)
class _Line:
    text: str
    size: float
    cells: tuple[str, ...]  # the line's fragments, when they stand apart as a table row's cells


def _lines(page: object) -> list[_Line]:
    """A PDF page's lines, top to bottom, from pypdf's text fragments with their positions and sizes."""
    fragments: list[tuple[float, float, float, str]] = []

    def seen(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            scale = abs(tm[0] * cm[0]) or 1.0
            fragments.append((round(tm[5] * cm[3] + cm[5]), tm[4] * cm[0] + cm[4], round(size * scale, 1), text))

    page.extract_text(visitor_text=seen)  # type: ignore[attr-defined]
    rows: dict[float, list[tuple[float, float, str]]] = {}
    for y, x, size, text in fragments:
        rows.setdefault(y, []).append((x, size, text))
    lines = []
    for y in sorted(rows, reverse=True):
        parts = sorted(rows[y])
        size = max(p[1] for p in parts)
        apart = len(parts) > 1 and all(b[0] - a[0] > CELL_GAP * size * 2 for a, b in pairwise(parts))
        texts = [" ".join(p[2].split()) for p in parts]
        lines.append(_Line(" ".join(" ".join(texts).split()), size, tuple(texts) if apart else ()))
    return lines


def _markdown(lines: list[_Line], levels: dict[float, int]) -> str:
    """PDF lines as Markdown: headings by size, runs of cell rows as a table, the rest as paragraphs (a
    line that ends a sentence, or a short one, ends a paragraph)."""
    out: list[str] = []
    paragraph: list[str] = []
    table: list[tuple[str, ...]] = []

    def flush() -> None:
        if paragraph:
            out.append(" ".join(paragraph))
            paragraph.clear()
        if table:
            width = max(len(r) for r in table)
            rows = [list(r) + [""] * (width - len(r)) for r in table]
            out.append("\n".join([_row(rows[0]), _row(["---"] * width), *(_row(r) for r in rows[1:])]))
            table.clear()

    for line in lines:
        if line.size in levels:
            flush()
            out.append("#" * min(levels[line.size], 6) + " " + line.text)
        elif line.cells:
            if paragraph:
                flush()
            table.append(line.cells)
        else:
            if table:
                flush()
            paragraph.append(line.text)
            if line.text.endswith((".", ":", "!", "?")) or len(line.text) < 50:
                flush()
    flush()
    return "\n\n".join(out)


def _docx(data: bytes) -> Converted:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(io.BytesIO(data))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            rows = [[" ".join(cell.text.split()) for cell in row.cells] for row in block.rows]
            if rows:
                lines += ["", _row(rows[0]), _row(["---"] * len(rows[0])), *(_row(r) for r in rows[1:]), ""]
            continue
        assert isinstance(block, Paragraph)
        text = " ".join(block.text.split())
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        if style == "Title":
            lines += ["", f"# {text}", ""]
        elif style.startswith("Heading") and style[-1:].isdigit():
            lines += ["", "#" * min(int(style[-1]), 6) + f" {text}", ""]
        elif "List" in style:
            lines.append(f"- {text}")
        else:
            lines += ["", text, ""]
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    if not body.strip():
        raise Unreadable("a Word document with no text", "empty")
    title = document.core_properties.title or ""
    return Converted(_front(title) + body.strip() + "\n", "python-docx")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"
