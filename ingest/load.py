"""Load articles from the corpus folder: decode, read front matter, and report what cannot be read.

A corpus is edited by people, so a bad file is expected: it is skipped with one line saying why, and
the rest is still ingested. A file whose front matter is broken is still ingested (its text is what
matters) with a warning, because skipping it would delete the article from the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import yaml

from hotline.index.store import ArticleInfo
from hotline.language.organizations import infer
from hotline.wording import page_wording

SUFFIXES = (".md", ".txt")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
FIELD_LINE = re.compile(r"^([A-Za-z_][\w-]*):(?:[ \t]+(.*))?$")  # front matter read line by line
LIST_LINE = re.compile(r"^[ \t]*-[ \t]+(.+)$")
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

    @property
    def info(self) -> ArticleInfo:
        """What the index keeps about the article beside its chunks."""
        return ArticleInfo(self.path, self.title, self.source, self.updated, self.organization, self.aliases)


@dataclass(frozen=True)
class Problem:
    """A file that was skipped (``skipped=True``) or ingested with a warning; ``kind`` names the
    problem for the page's wording (``problems`` in ``prompts/page.yaml``), "" for one it has no words
    for. The message, in English, is for the command line and the log, and carries the details."""

    path: str
    message: str
    skipped: bool = True
    kind: str = ""
    kept: bool = False  # skipped, but its previously indexed version stays in the index

    def __str__(self) -> str:
        return f"{'skipped' if self.skipped else 'warning'}: {self.path}: {self.message}"

    def reason(self) -> str:
        """What is wrong, as the knowledge-base page says it (the message, for a kind it has no words for)."""
        return str(page_wording()["problems"]["kinds"].get(self.kind, self.message))

    def russian(self) -> str:
        """The problem as the knowledge-base page says it."""
        say = page_wording()["problems"]
        what = self.reason() + (say["kept"] if self.kept else "")
        return f"{say['skipped' if self.skipped else 'warning']}: {self.path}: {what}"


def load_corpus(corpus_dir: Path, max_bytes: int = 5_000_000) -> tuple[list[Article], list[Problem]]:
    """All articles under ``corpus_dir`` (recursively, in path order) and the problems met."""
    articles: list[Article] = []
    problems: list[Problem] = []
    root = corpus_dir.resolve()
    for path in sorted(p for p in corpus_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(corpus_dir).as_posix()
        if any(part.startswith(".") for part in path.relative_to(corpus_dir).parts):
            continue  # editor swap files, .git, .DS_Store
        if not path.resolve().is_relative_to(root):
            # A link out of the corpus (to /etc/passwd, to someone's notes) would be quoted to every user.
            problems.append(
                Problem(rel, "a link to a file outside the corpus folder (copy the file in instead)", kind="outside")
            )
            continue
        if path.suffix.lower() not in SUFFIXES:
            problems.append(Problem(rel, f"not an article (only {', '.join(SUFFIXES)} files are read)", kind="type"))
            continue
        article, problem = load_article(path, rel, max_bytes)
        if problem:
            problems.append(problem)
        if article:
            articles.append(article)
    return articles, problems


def load_article(path: Path, rel: str, max_bytes: int = 5_000_000) -> tuple[Article | None, Problem | None]:
    """One article, or why it cannot be one."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, Problem(rel, f"too large ({size} bytes, the limit is {max_bytes})", kind="too_large")
        data = path.read_bytes()
    except OSError as exc:
        return None, Problem(rel, f"cannot be read ({exc.strerror or exc})", kind="unreadable")
    text, stray = decode(data)
    if text is None:
        return None, Problem(rel, "binary or of an unknown encoding (save it as UTF-8 text)", kind="binary")
    meta, body, warning = split_front_matter(text)
    kind = ("front_matter_lines" if meta else "front_matter") if warning else "stray"
    if stray:
        warning = "; ".join(filter(None, [warning, f"{stray} stray byte(s) that are not text were left out"]))
    if path.suffix.lower() == ".txt":
        body = paragraphs_from_plain_text(body)
    title = _text(meta.get("title"))
    if not title:
        title, body = title_from_text(body, plain=path.suffix.lower() == ".txt")
    if not body.strip():
        return None, Problem(rel, "empty", kind="empty")
    title = title or path.stem.replace("-", " ").replace("_", " ")
    organization, aliases = _text(meta.get("organization")), _names(meta.get("aliases"))
    if not organization and (inferred := infer(title, body)) is not None:
        organization, aliases = inferred.name, tuple(dict.fromkeys([*aliases, *inferred.aliases]))
    article = Article(
        path=rel,
        title=title,
        body=body.strip() + "\n",
        source=_text(meta.get("source")),
        updated=_text(meta.get("updated")),
        organization=organization,
        aliases=aliases,
    )
    return article, (Problem(rel, warning, skipped=False, kind=kind) if warning else None)


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


def split_front_matter(text: str) -> tuple[dict[str, object], str, str | None]:
    """(front matter fields, body, warning). A block that is not YAML but reads as ``key: value`` lines
    yields those fields: "title: Банк «Ласточка»: служба поддержки" is how people write a title, though
    YAML wants it quoted (with no warning then; with one when YAML failed on a value, a bad date). Any
    other malformed block yields no fields and a warning."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text, None
    body = text[match.end() :]
    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:  # bad dates raise ValueError
        lines = _field_lines(match.group(1) or "")
        if lines is not None and isinstance(exc, yaml.YAMLError):
            return lines, body, None
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 2})" if where is not None else ""
        if lines is not None:
            return lines, body, f"front matter is not valid YAML{line}; its fields were read line by line"
        return {}, body, f"front matter is not valid YAML{line}; title taken from the text"
    if not isinstance(meta, dict):
        return {}, body, "front matter is not a mapping of fields; title taken from the text"
    return meta, body, None


def _field_lines(block: str) -> dict[str, object] | None:
    """The block as ``key: value`` lines (each value plain text up to the line's end), or None when a
    line is not one, or a value opens YAML syntax (a list, a quote) that YAML could not read."""
    fields: dict[str, object] = {}
    items: list[str] | None = None  # the list a "key:" line with no value opens ("aliases:", then "- …")
    for line in block.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if items is not None and (item := LIST_LINE.match(line)):
            items.append(item.group(1).strip())
            continue
        field = FIELD_LINE.match(line)
        value = (field.group(2) or "").strip() if field else ""
        if field is None or value.startswith(("[", "{", "'", '"', "&", "*", "!", "|", ">")):
            return None
        items = [] if not value else None
        fields[field.group(1)] = items if items is not None else value
    return fields or None


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


def _names(value: object) -> tuple[str, ...]:
    """``aliases:`` as a YAML list or a comma-separated string."""
    items = value if isinstance(value, list) else str(value).split(",") if value else []
    return tuple(dict.fromkeys(name for item in items if (name := _text(item))))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()
