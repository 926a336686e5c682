"""A snapshot's lexical index and organisation registry kept on disk in the data dir: a process that
opens the index reads them in a millisecond instead of lemmatising every chunk and finding every name
again (0.23 s and 0.12 s of a cold command over the 71 chunks of ``corpus/``, seconds over thousands).

Chroma stays the one source of truth. A kept file is named by what it was derived from and by what
derives it, so a changed article or an upgrade derives it afresh and a file is never read for other
chunks than its own:
- the snapshot's chunk ids, each the hash of its chunk's text and metadata; for the registry also each
  article's declared organisation, which ``organizations.yaml`` changes without changing a chunk;
- every module of ``hotline.index`` and ``hotline.language``, the lexicon, and the versions of bm25s,
  pymorphy3 and its dictionaries, razdel and numpy.
A file that cannot be read is derived again; one that cannot be written (a read-only data dir) is not
kept. The newest few of each kind are kept, the rest removed.

It is a pickle: the file is written and read by this module only, in the data dir that holds the index
itself, so anyone who could replace it could replace the index too.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar

FOLDER = "kept"
KEEP = 6  # files: a data dir may hold a few collections, and a reader may still want the previous one
LIBRARIES = ("bm25s", "pymorphy3", "pymorphy3-dicts-ru", "razdel", "numpy")
T = TypeVar("T")
log = logging.getLogger(__name__)


def kept(folder: Path, kind: str, identity: str, derive: Callable[[], T]) -> T:
    """What ``derive`` returns for ``identity``, read from ``folder`` when kept there, else derived and kept."""
    path = folder / f"{kind}-{hashlib.sha256(f'{identity}|{recipe()}'.encode()).hexdigest()[:20]}.pickle"
    try:
        with path.open("rb") as file:
            return pickle.load(file)
    except FileNotFoundError:
        pass
    except Exception as exc:  # damaged or from an incompatible library: derived again and rewritten
        log.info("the kept %s at %s could not be read (%s): derived again", kind, path, type(exc).__name__)
    value = derive()
    try:
        write_atomically(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        _prune(folder, kind)
    except OSError as exc:
        log.info("the %s could not be kept in %s: %s", kind, folder, exc)
    return value


@lru_cache(maxsize=1)
def recipe() -> str:
    """What derives a kept index: our code and the libraries it calls."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for path in sorted([*(root / "index").glob("*.py"), *(root / "language").rglob("*")]):
        if path.is_file() and path.suffix != ".pyc":
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    for name in LIBRARIES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            h.update(f"{name}={metadata.version(name)}".encode())
    return h.hexdigest()


def write_atomically(path: Path, payload: bytes) -> None:
    """``payload`` at ``path`` whole or not at all: written beside it, then renamed over it (a reader in
    another process sees the old file or the new one, never half of one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=f".{path.stem}-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(payload)
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise


def _prune(folder: Path, kind: str) -> None:
    files = sorted(folder.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)
