"""A new article from the page: checked, placed in the corpus, and ingested, or nothing changes.

Checks, before the corpus is touched: a plain file name (no folder, no "..", not hidden), a ``.md`` or
``.txt`` type, a size limit (``HOTLINE_MAX_UPLOAD_BYTES``), and content the loader accepts (text, not
empty). The file is written beside its final name under a hidden temporary name (the loader skips hidden
files) and renamed into place; if the ingest then fails (another one is running, the store is down), the
corpus is put back as it was: the new file removed, or the article it replaced restored.
A file of an existing name replaces that article: that is how a user edits one from the page.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

from hotline.errors import HotlineError
from hotline.settings import Settings
from ingest.load import SUFFIXES, load_article
from ingest.pipeline import IngestReport, Progress, run_ingest

NAME = re.compile(r"^[\w][\w .,()+-]{0,150}$")


class UploadRejected(HotlineError):
    """The uploaded file cannot be an article; the message says why."""


def checked_name(name: str) -> str:
    """``name`` if it is a plain, allowed article file name, else UploadRejected."""
    name = unicodedata.normalize("NFC", name.strip())
    if not name or "/" in name or "\\" in name or ".." in name or "\x00" in name:
        raise UploadRejected(f"«{name}»: the file name must not contain a folder or '..'")
    if not NAME.match(name):
        raise UploadRejected(f"«{name}»: use letters, digits, spaces and . , ( ) + - _ in the file name")
    if Path(name).suffix.lower() not in SUFFIXES:
        raise UploadRejected(f"«{name}»: only {' and '.join(SUFFIXES)} files can be articles")
    return name


def add_article(
    settings: Settings,
    name: str,
    data: bytes,
    *,
    progress: Progress = False,
    ingest: Callable[..., IngestReport] = run_ingest,
) -> IngestReport:
    """Put ``data`` into the corpus as ``name`` and ingest (with ``ingest``: the page isolates it in a
    child process); on any failure the corpus is as before."""
    name = checked_name(name)
    if len(data) > settings.max_upload_bytes:
        raise UploadRejected(f"«{name}» is too large ({len(data)} bytes; the limit is {settings.max_upload_bytes})")
    corpus = settings.corpus_dir
    corpus.mkdir(parents=True, exist_ok=True)
    target = corpus / name
    previous = target.read_bytes() if target.is_file() else None
    fd, temp_name = tempfile.mkstemp(prefix=".upload-", suffix=target.suffix, dir=corpus)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        article, problem = load_article(temp, name, settings.max_article_bytes)
        if article is None:
            raise UploadRejected(f"«{name}» cannot be an article: {problem.message if problem else 'unreadable'}")
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
        return ingest(settings, progress=progress)
    except BaseException:
        if previous is None:
            target.unlink(missing_ok=True)
        else:
            target.write_bytes(previous)
        raise
