"""An ingest's bookkeeping: one ingest per data dir (a file lock), the record manager that remembers which
chunks are embedded, and the embeddings, loaded only when something needs embedding (see
:mod:`ingest.pipeline`).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from filelock import FileLock, Timeout
from langchain_classic.indexes import SQLRecordManager
from langchain_core.embeddings import Embeddings

from hotline.config.errors import HotlineError, StoreUnavailable
from hotline.config.settings import Settings
from hotline.index.embeddings import load_embeddings
from ingest.load import Problem


class IngestBusy(HotlineError):
    """Another ingest holds the lock on this data dir."""


class CountingEmbeddings(Embeddings):
    """The configured model, loaded only when something needs embedding, counting the texts it embeds.

    Loading sentence-transformers costs seconds; an ingest with nothing new to embed never pays it.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.count = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.count += len(texts)
        return load_embeddings(self.settings).embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return load_embeddings(self.settings).embed_query(text)


@contextmanager
def ingest_lock(settings: Settings, wait: float | None = None) -> Iterator[None]:
    """One ingest per data dir at a time. The OS releases the lock when its holder dies, even by SIGKILL."""
    wait = settings.ingest_wait_seconds if wait is None else wait
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(settings.data_dir / "ingest.lock", timeout=wait)
        lock.acquire()
    except Timeout:
        raise IngestBusy(
            f"another ingest is running on {settings.data_dir}; let it finish, or wait for it with --wait SECONDS"
        ) from None
    except OSError as exc:
        raise StoreUnavailable(f"cannot write to the data dir {settings.data_dir}: {exc.strerror or exc}") from exc
    try:
        yield
    finally:
        lock.release()


def record_manager(settings: Settings, namespace: str, warnings: list[Problem]) -> SQLRecordManager:
    """The SQL record manager for one data collection; a corrupted file is set aside and started afresh
    (the cost is re-embedding once: Chroma upserts by content hash, so nothing is duplicated)."""
    from sqlalchemy.exc import DatabaseError

    path = settings.data_dir / "records.sqlite"
    try:
        manager = SQLRecordManager(namespace, db_url=settings.record_manager_url)
        manager.create_schema()
        manager.list_keys(limit=1)
        return manager
    except DatabaseError as exc:
        aside = path.with_name(f"records.sqlite.corrupt-{datetime.now(UTC):%Y%m%dT%H%M%S}")
        shutil.move(path, aside)
        warnings.append(Problem(path.name, f"record manager was unreadable ({exc.orig}); moved to {aside.name}", False))
        manager = SQLRecordManager(namespace, db_url=settings.record_manager_url)
        manager.create_schema()
        return manager
