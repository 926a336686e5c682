"""A new article from the page, or one deleted from it: checked, the corpus changed, and ingested, or
nothing changes. The refusals are in Russian: they are the page's, said to its maintainer.

Checks, before the corpus is touched: a plain file name (no folder, no "..", not hidden), an article's type
(``.md``, ``.txt``, or an HTML, DOCX or PDF document that ``ingest.formats`` reads), its type's size limit
(``HOTLINE_MAX_UPLOAD_BYTES`` for text, ``HOTLINE_MAX_DOCUMENT_BYTES`` for documents), and content the loader
accepts (text, not empty; a PDF with a text layer; a page with main text). The file is written beside
its final name under a hidden temporary name (the loader skips hidden files) and renamed into place; if
the ingest then fails (another one is running, the store is down), the corpus is put back as it was: the
new file removed, or the article it replaced restored.
A file of an existing name replaces that article: that is how a user edits one from the page.
A deleted article is read into memory first and written back if the ingest after it fails.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from hotline.config.errors import HotlineError
from hotline.config.settings import Settings
from hotline.wording import page_wording
from ingest.files import SUFFIXES as ARTICLES
from ingest.load import load_article
from ingest.report import IngestReport

if TYPE_CHECKING:
    from ingest.pipeline import Progress

SUFFIXES = ARTICLES  # the page takes what the corpus folder reads
NAME = re.compile(r"^[\w][\w .,()+-]{0,150}$")


class UploadRejected(HotlineError):
    """The uploaded file cannot be an article; the message says why."""


def checked_name(name: str) -> str:
    """``name`` if it is a plain, allowed article file name, else UploadRejected."""
    name = unicodedata.normalize("NFC", name.strip())
    if not name or "/" in name or "\\" in name or ".." in name or "\x00" in name:
        raise UploadRejected(_said("folder", name=name))
    if not NAME.match(name):
        raise UploadRejected(_said("characters", name=name, suggestion=suggested_name(name)))
    if Path(name).suffix.lower() not in SUFFIXES:
        raise UploadRejected(_said("suffix", name=name, suffixes=alternatives(SUFFIXES)))
    return name


def suggested_name(name: str) -> str:
    """``name`` with each run of what an article's name may not hold (and the spaces around it) made one
    "-", its type kept: the fix a refusal suggests."""
    path = Path(name)
    stem = re.sub(r"-{2,}", "-", re.sub(r"\s*[^\w .,()+-]+\s*", "-", path.stem)).strip(" -.") or "article"
    return stem[:140] + path.suffix.lower()


def add_article(
    settings: Settings,
    name: str,
    data: bytes,
    *,
    progress: Progress = False,
    ingest: Callable[..., IngestReport] | None = None,
) -> IngestReport:
    """Put ``data`` into the corpus as ``name`` and ingest (with ``ingest``: the page isolates it in a
    child process); on any failure the corpus is as before."""
    name = checked_name(name)
    if len(data) > (limit := settings.upload_limit(Path(name).suffix)):
        raise UploadRejected(_said("too_large", name=name, limit=size_text(limit), size=size_text(len(data))))
    corpus = settings.corpus_dir
    corpus.mkdir(parents=True, exist_ok=True)
    target = corpus / name
    previous = target.read_bytes() if target.is_file() else None
    fd, temp_name = tempfile.mkstemp(prefix=".upload-", suffix=target.suffix, dir=corpus)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        article, problem = load_article(temp, name, settings.read_limit)
        if article is None:
            why = problem.reason() if problem else page_wording()["problems"]["kinds"]["unreadable"]
            raise UploadRejected(_said("not_article", name=name, why=why))
        # mkstemp makes the file 0600: give it the mode of the article it replaces, or the folder's own
        # read bits, so the page's upload is as readable as the articles beside it.
        mode = (
            stat.S_IMODE(target.stat().st_mode) if previous is not None else stat.S_IMODE(corpus.stat().st_mode) & 0o666
        )
        os.chmod(temp, mode)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    try:
        return _ingest(ingest)(settings, progress=progress)
    except BaseException:
        if previous is None:
            target.unlink(missing_ok=True)
        else:
            target.write_bytes(previous)
        raise


def remove_article(
    settings: Settings, path: str, *, progress: Progress = False, ingest: Callable[..., IngestReport] | None = None
) -> IngestReport:
    """Delete the article ``path`` (relative to the corpus folder, as the index names it) and ingest; on
    any failure the file is written back as it was."""
    target = article_file(settings, path)
    try:
        previous, mode = target.read_bytes(), stat.S_IMODE(target.stat().st_mode)
        target.unlink()
    except FileNotFoundError as exc:
        raise UploadRejected(_said("gone", path=path)) from exc
    except OSError as exc:
        raise UploadRejected(_said("not_deleted", path=path, why=exc.strerror or exc)) from exc
    try:
        return _ingest(ingest)(settings, progress=progress)
    except BaseException:
        target.write_bytes(previous)
        os.chmod(target, mode)
        raise


def _ingest(given: Callable[..., IngestReport] | None) -> Callable[..., IngestReport]:
    """``given``, or the ingest itself (imported when an article changes, not with the page)."""
    if given is not None:
        return given
    from ingest.pipeline import run_ingest

    return run_ingest


def article_file(settings: Settings, path: str) -> Path:
    """The article ``path`` (relative to the corpus folder, as the index names it) as a file there; a
    path that leads out of the folder, or to anything but an article file in it, is refused. A link
    inside the folder is returned as the link: deleting it must not delete the article it points to."""
    corpus = settings.corpus_dir.resolve()
    file = corpus / path
    resolved = file.resolve()
    if not path or not resolved.is_relative_to(corpus) or resolved == corpus or file.suffix.lower() not in ARTICLES:
        raise UploadRejected(_said("outside", path=path))
    if not file.is_file():
        raise UploadRejected(_said("gone", path=path))
    return file


def refused_upload(name: str) -> str:
    """Why a file the page did not receive in an upload is not added."""
    return _said("not_received", name=name)


def size_text(n: int) -> str:
    """A size as Russian writes it: "450 байт", "9,8 КБ", "10 МБ"."""
    if n < 1000:
        return _said("bytes", n=n)
    units = page_wording()["upload"]["units"]  # КБ, МБ, ГБ
    scaled = [(n / 1000 ** (i + 1), unit) for i, unit in enumerate(units)]
    value, unit = next(((v, u) for v, u in scaled if v < 1000), scaled[-1])
    shown = f"{value:.1f}".rstrip("0").rstrip(".") if value < 10 else f"{value:.0f}"
    return f"{shown.replace('.', ',')} {unit}"


def alternatives(items: Sequence[str]) -> str:
    """ ".md, .txt или .pdf": a choice as Russian lists it."""
    return ", ".join(items[:-1]) + _said("or") + items[-1] if len(items) > 1 else "".join(items)


def limits_text(settings: Settings) -> str:
    """Each type's size limit, types of one limit together: "1 МБ (.md, .txt), 5 МБ (.html, .htm), …"."""
    by_limit: dict[int, list[str]] = {}
    for suffix in SUFFIXES:
        by_limit.setdefault(settings.upload_limit(suffix), []).append(suffix)
    return ", ".join(f"{size_text(limit)} ({', '.join(kinds)})" for limit, kinds in sorted(by_limit.items()))


def browser_rules(settings: Settings) -> dict[str, object]:
    """What the page's script checks before a byte is sent (page.js): each type's limit, in bytes and as
    said, and the refusals' words, the server's own, so the two say the same thing."""
    words = page_wording()["upload"]
    return {
        "limits": {suffix: settings.upload_limit(suffix) for suffix in SUFFIXES},
        "sizes": {suffix: size_text(settings.upload_limit(suffix)) for suffix in SUFFIXES},
        "suffixes": alternatives(SUFFIXES),
        "words": {key: words[key] for key in ("suffix", "characters", "too_large")},
        "bytes": words["bytes"],
        "units": words["units"],
        "refused": page_wording()["knowledge_base"]["not_uploaded"],
    }


def _said(key: str, **fields: object) -> str:
    """The refusal ``key`` of ``prompts/page.yaml``'s ``upload`` words, filled in."""
    return str(page_wording()["upload"][key]).format(**fields)
