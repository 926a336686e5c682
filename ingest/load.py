"""Load articles from the corpus folder: decode, read front matter, and report what cannot be read.

A corpus is edited by people, so a bad file is expected: it is skipped with one line saying why, and
the rest is still ingested. A file whose front matter is broken is still ingested (its text is what
matters) with a warning, because skipping it would delete the article from the index.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hotline.index.records import ArticleInfo
from hotline.language.inference import from_file_name, infer
from ingest import front_matter
from ingest.files import NOT_A_FILE, article_files
from ingest.formats import CONVERTED, convert
from ingest.problems import Problem

FIRST_HEADING = re.compile(r"\A\s*#[ \t]+(.+?)[ \t#]*(?:\n|\Z)")
# Control characters other than tab/newline/CR: a text file has next to none, a binary file many.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Article:
    """One source article. ``path`` is relative to the corpus folder, with forward slashes; it is the
    article's identity in the index."""

    path: str
    title: str
    body: str
    source: str = ""
    updated: str = ""
    organization: str = ""  # whom it is about: from front matter, else inferred from the title (or "")
    aliases: tuple[str, ...] = ()
    reader: str = ""  # the library that made it Markdown (trafilatura, pypdf, python-docx); "" for .md/.txt

    @property
    def info(self) -> ArticleInfo:
        """What the index keeps about the article beside its chunks."""
        return ArticleInfo(self.path, self.title, self.source, self.updated, self.organization, self.aliases)


# The largest file read: one figure for every type, or one per type (``Settings.read_limit``: a PDF's fonts and
# pictures weigh more than a Markdown file's text).
Limit = int | Callable[[str], int]


def load_corpus(corpus_dir: Path, max_bytes: Limit = 5_000_000) -> tuple[list[Article], list[Problem]]:
    """All articles under ``corpus_dir`` (recursively, in path order) and the problems met."""
    articles: list[Article] = []
    files, problems = article_files(corpus_dir)
    for path, rel in files:
        article, problem = load_article(path, rel, max_bytes)
        if problem:
            problems.append(problem)
        if article:
            articles.append(article)
    return articles, sorted(problems, key=lambda p: p.path)


def load_article(path: Path, rel: str, max_bytes: Limit = 5_000_000) -> tuple[Article | None, Problem | None]:
    """One article, or why it cannot be one."""
    try:
        data = _read(path, rel, max_bytes if isinstance(max_bytes, int) else max_bytes(path.suffix.lower()))
    except OSError as exc:
        return None, Problem(rel, f"cannot be read ({exc.strerror or exc})", kind="unreadable")
    if isinstance(data, Problem):
        return None, data
    reader = ""
    text: str | None
    if path.suffix.lower() in CONVERTED:  # HTML, PDF, DOCX: made Markdown by their libraries (ingest.formats)
        converted = convert(path.suffix.lower(), data, rel)
        if isinstance(converted, Problem):
            return None, converted
        text, stray, reader = converted.text, 0, converted.library
    else:
        text, stray = decode(data)
    if text is None:
        return None, Problem(rel, "binary or of an unknown encoding (save it as UTF-8 text)", kind="binary")
    try:
        meta, body, warning = front_matter.read(text)
    except front_matter.Refused as exc:
        return None, Problem(rel, str(exc), kind="front_matter_refused", field=exc.field)
    kind = ("front_matter_lines" if meta != front_matter.FrontMatter() else "front_matter") if warning else "stray"
    if stray:
        warning = "; ".join(filter(None, [warning, f"{stray} stray byte(s) that are not text were left out"]))
    if path.suffix.lower() == ".txt":
        body = paragraphs_from_plain_text(body)
    title = meta.title
    if not title:
        title, body = title_from_text(body, plain=path.suffix.lower() == ".txt")
    if not body.strip():
        return None, Problem(rel, "empty", kind="empty")
    # A title made from the file name is a slug ("tatad taksi kontakty"): its first word is a fragment of a
    # transliterated name, so the name is looked for in the text's first lines instead.
    named_title = title
    title = title or path.stem.replace("-", " ").replace("_", " ")
    organization, aliases = meta.organization, meta.aliases
    if not organization and (inferred := infer(named_title, body) or from_file_name(path.stem, body)) is not None:
        organization, aliases = inferred.name, tuple(dict.fromkeys([*aliases, *inferred.aliases]))
    article = Article(
        path=rel,
        title=title,
        body=body.strip() + "\n",
        source=meta.source,
        updated=meta.updated,
        organization=organization,
        aliases=aliases,
        reader=reader,
    )
    return article, (Problem(rel, warning, skipped=False, kind=kind) if warning else None)


def _read(path: Path, rel: str, max_bytes: int) -> bytes | Problem:
    """The file's bytes, or why they are not read. Opened without blocking and checked once open: a
    file swapped for a named pipe after the folder was listed would otherwise block the ingest for good."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with open(descriptor, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            return Problem(rel, NOT_A_FILE, kind="not_a_file")
        if info.st_size > max_bytes:
            return Problem(rel, f"too large ({info.st_size} bytes, the limit is {max_bytes})", kind="too_large")
        return file.read(max_bytes + 1)


def decode(data: bytes) -> tuple[str | None, int]:
    """(Text from bytes, how many stray bytes were left out): UTF-8 (with or without BOM), else the
    Cyrillic encoding charset-normalizer finds most plausible (Windows-1251 in practice); None for binary
    data. A few bytes that are not text in an otherwise UTF-8 file (a NUL or \\xff appended by a tool, a
    truncated character) are left out rather than losing the article: as many as one in a thousand."""
    few = max(2, len(data) // 1000)
    if data.count(b"\x00") > few:
        return None, 0  # UTF-16 is the only text with many NULs; nobody saves articles in it
    stray = data.count(b"\x00")
    data = data.replace(b"\x00", b"")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        lenient = data.decode("utf-8-sig", errors="replace")
        bad = lenient.count("\ufffd") - data.decode("utf-8-sig", errors="ignore").count("\ufffd")
        if bad <= few:
            text, stray = lenient.replace("\ufffd", ""), stray + bad
        else:
            from charset_normalizer import from_bytes

            best = from_bytes(data, cp_isolation=["cp1251", "koi8_r", "cp866", "mac_cyrillic"]).best()
            if best is None:
                return None, 0
            text = str(best)
    if len(CONTROL.findall(text)) > few:
        return None, 0
    return text.replace("\r\n", "\n").replace("\r", "\n"), stray


def paragraphs_from_plain_text(text: str) -> str:
    """Markdown paragraphs from a .txt file.

    Plain text comes in two shapes: paragraphs separated by blank lines (hard-wrapped lines inside), or
    one paragraph per line (as scraped text usually is). Text with no blank line is the second kind.
    """
    if re.search(r"\n[ \t]*\n", text.strip()):
        return text
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def title_from_text(body: str, plain: bool) -> tuple[str, str]:
    """(title, rest) when the text opens with one: a ``# heading``, or in plain text a short first line
    that is not a sentence (no final full stop). Otherwise ("", body)."""
    if heading := FIRST_HEADING.match(body):
        return heading.group(1).strip(), body[heading.end() :]
    if plain:
        first, _, rest = body.strip().partition("\n\n")
        if rest and "\n" not in first and len(first) <= 150 and not first.rstrip().endswith((".", "!", "…")):
            return first.strip(), rest
    return "", body
