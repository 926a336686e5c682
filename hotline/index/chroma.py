"""Chroma as a connection: opening the embedded store or a server, turning its failures into one line a
person can act on, and the disk the embedded store leaves behind.

Kept apart from :mod:`hotline.index.store`, which decides what the index holds; this module knows only
how to reach Chroma and what its errors mean.
"""

from __future__ import annotations

import functools
import logging
import re
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast
from urllib.parse import urlsplit

import httpx

from hotline.config.errors import HotlineError, StoreUnavailable, first_line
from hotline.config.settings import Settings

if TYPE_CHECKING:
    from chromadb.api.client import Client

T = TypeVar("T")
log = logging.getLogger(__name__)
SEGMENT_DIR = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
REBUILD = "rebuild it from the corpus with `python -m ingest --rebuild`"


class Reaching(Protocol):
    """What :func:`reaching` needs of the object whose calls it guards."""

    @property
    def embedded(self) -> bool: ...

    @property
    def location(self) -> str: ...

    def close(self) -> None: ...


def unreachable(store: Reaching, exc: Exception) -> StoreUnavailable:
    """A failed call to Chroma as one line a person can act on; in server mode the client is dropped, so
    the next call connects afresh (the server may be back by then)."""
    first = first_line(exc)
    if store.embedded:
        return StoreUnavailable(
            f"the index at {store.location} cannot be used ({type(exc).__name__}: {first}); "
            f"check that the data dir is writable and has free space; if it is, the index is damaged: {REBUILD}"
        )
    store.close()
    return StoreUnavailable(f"the knowledge base at {store.location} cannot be reached ({type(exc).__name__}: {first})")


def reaching(method: Callable[..., T]) -> Callable[..., T]:
    """Chroma's own errors (a server gone, a disk full) become StoreUnavailable."""

    @functools.wraps(method)
    def wrapper(self: Reaching, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except HotlineError:
            raise
        except Exception as exc:
            raise unreachable(self, exc) from exc

    return wrapper


def location(settings: Settings) -> str:
    """Where the index lives, for messages."""
    return settings.chroma_url or str(settings.data_dir / "chroma")


def connect(settings: Settings) -> Client:
    """A Chroma client: the embedded store under the data dir, or the server of ``settings.chroma_url``."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    # Chroma's telemetry would phone home; we run offline.
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_url is None:
            path = settings.data_dir / "chroma"
            path.mkdir(parents=True, exist_ok=True)
            # The factories are typed as ClientAPI but return a Client, which alone has close().
            return cast("Client", chromadb.PersistentClient(path=str(path), settings=chroma_settings))
        url = urlsplit(settings.chroma_url)
        ssl = url.scheme == "https"
        host, port = url.hostname or "localhost", url.port or (443 if ssl else 8000)
        # chromadb's HTTP client waits for ever (httpx with timeout=None, and its constructor already
        # asks the server): a server that stopped answering (SIGSTOP, a hung host) would hang every
        # question. So the server is asked once with a timeout first, and the client's session is
        # given one for every later call (a private attribute: there is no setting for it).
        scheme = "https" if ssl else "http"
        httpx.get(f"{scheme}://{host}:{port}/api/v2/heartbeat", timeout=settings.chroma_timeout)
        client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=chroma_settings)
        client._server._session.timeout = httpx.Timeout(settings.chroma_timeout)  # type: ignore[attr-defined]
        client.heartbeat()
        return cast("Client", client)
    except Exception as exc:  # chromadb raises many kinds; the user needs one actionable line
        if settings.chroma_url is None:
            # chromadb keeps a store it failed to start in its per-path cache, and hands it to the next
            # client, which then fails with "'RustBindingsAPI' object has no attribute 'bindings'"
            # instead of the real reason (a private map: chromadb has no call to forget one path).
            from chromadb.api.shared_system_client import SharedSystemClient

            SharedSystemClient._identifier_to_system.pop(str(settings.data_dir / "chroma"), None)
        first = first_line(exc)
        hint = (
            f"; if the data dir is writable and has free space, the index is damaged: {REBUILD}"
            if settings.chroma_url is None
            else ""
        )
        raise StoreUnavailable(f"cannot open the index at {location(settings)}: {first}{hint}") from exc


def reclaim_disk(settings: Settings, vacuum: bool = True) -> int:
    """Remove what dropped collections left on disk (embedded mode): chromadb deletes a collection's
    rows but not its vector segment's directory (chroma-core/chroma#1309, still open), so each full
    rebuild would leave one behind. A directory named like a segment that no segment row names is such
    a leftover; the caller holds the ingest lock, so no collection is being created meanwhile. Then
    SQLite's free pages are given back (VACUUM, when ``vacuum``), unless another connection is busy
    writing. Returns the number of directories removed."""
    if settings.chroma_url is not None:
        return 0
    folder = settings.data_dir / "chroma"
    database = folder / "chroma.sqlite3"
    if not database.is_file():
        return 0
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)) as db:
        segments = {str(row[0]) for row in db.execute("SELECT id FROM segments")}
    leftovers = [d for d in folder.iterdir() if d.is_dir() and SEGMENT_DIR.match(d.name) and d.name not in segments]
    for leftover in leftovers:
        shutil.rmtree(leftover, ignore_errors=True)
    if not vacuum:
        return len(leftovers)
    try:
        with closing(sqlite3.connect(database, timeout=1, isolation_level=None)) as db:
            db.execute("VACUUM")
    except sqlite3.Error as exc:  # busy: the space is reused by the next writes anyway
        log.info("VACUUM of %s skipped: %s", database, exc)
    return len(leftovers)
