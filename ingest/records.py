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
from hotline.index.embeddings import load_query_embeddings
from hotline.index.vectors import cached
from ingest.load import Problem


class IngestBusy(HotlineError):
    """Another ingest holds the lock on this data dir."""


class LazyEmbeddings(Embeddings):
    """The configured model, loaded only when something needs embedding, so that an ingest with nothing
    new to embed, or whose vectors are all cached, never loads it.

    The built-in model embeds chunks as it embeds questions, under ONNX Runtime unless
    ``HOTLINE_QUERY_ENCODER=torch``: on two cores it loads in 0.5 s against torch's 6 s and embeds
    chunks faster too (121 chunks in 3.1 s against 4.5 s, bfloat16 torch; ``bench/encoder.py``), and the
    two agree to a cosine of 0.99998. Torch is then needed only to build the model, once.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return load_query_embeddings(self.settings).embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return load_query_embeddings(self.settings).embed_query(text)


class CountingEmbeddings(Embeddings):
    """What the ingest embeds with, counting the chunks it is given: the model, through the vector cache
    beside the models (:mod:`hotline.index.vectors`) unless the settings turn it off or the model is the
    hashing encoder, which computes a vector faster than the cache reads one."""

    def __init__(self, settings: Settings) -> None:
        self.count = 0
        self._model = cached(LazyEmbeddings(settings), settings)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.count += len(texts)
        return self._model.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._model.embed_query(text)


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
