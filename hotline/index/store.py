"""The index as Chroma holds it: data collections of chunks, and one meta record that says which are live.

Chroma has no transaction across many records, and an ingest writes many. So the index is two things:

- data collections ``<prefix>-b<n>``: chunk vectors keyed by content hash (cosine space);
- the meta collection ``<prefix>-meta`` with one record, the *snapshot*: which data collection is live,
  which chunk ids in it are committed, which embedding model built it, and the list of articles.

An ingest writes its new chunks first, commits a new snapshot in one upsert, and only then deletes what
the old snapshot used. Readers use only the ids of the snapshot they read. So an ingest killed at any
point leaves the previous index serving, and a full rebuild (or a new model) fills a new data collection
beside the live one and switches at commit. The same holds for a Chroma server shared by several apps.

In the embedded mode each process caches Chroma's vector index, and does not see another process's
writes until it reopens its client (checked on chromadb 1.5). The snapshot record is read through
SQLite and is always fresh, so a reader that sees a generation it did not write reopens first.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from hotline.config.settings import Settings
from hotline.index import chroma
from hotline.index.chroma import reaching, unreachable
from hotline.index.records import (
    GENERATION_RECORD,
    SNAPSHOT_RECORD,
    ArticleInfo,
    Hit,
    Snapshot,
    generation_of,
    read_snapshot,
    snapshot_record,
)

if TYPE_CHECKING:
    from chromadb.api.client import Client
    from chromadb.api.models.Collection import Collection
    from chromadb.api.types import Where
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings

# Re-exported: callers know these as the store's.
__all__ = ["GENERATION_RECORD", "ArticleInfo", "Hit", "IndexStore", "Snapshot", "unreachable"]
FETCH_BATCH = 2000  # ids per Chroma get: within SQLite's variable limit and a sane HTTP body
MODEL_KEY = "hotline_embedding_model"


class IndexStore:
    """Owns the Chroma client (embedded or server), the snapshot record and the data collections."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.RLock()
        self._client: Client | None = None
        self._meta_collection: Collection | None = None
        self._snapshot: Snapshot | None = None

    # -- connection -------------------------------------------------------------------------------

    @property
    def embedded(self) -> bool:
        return self.settings.chroma_url is None

    @property
    def location(self) -> str:
        """Where the index lives, for messages."""
        return chroma.location(self.settings)

    def client(self) -> Client:
        """The Chroma client, connected on first use. The connection is made outside the lock: a server
        that does not answer costs each caller its own timeout, never one after another's."""
        with self._lock:
            if self._client is not None:
                return self._client
        fresh = self._connect()
        with self._lock:
            if self._client is None:
                self._client = fresh
                return fresh
            existing = self._client
        fresh.close()  # another thread connected meanwhile
        return existing

    def _connect(self) -> Client:
        return chroma.connect(self.settings)

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
            self._client = None
            self._meta_collection = None

    def _reopen(self) -> None:
        self.close()
        self.client()

    # -- snapshot ---------------------------------------------------------------------------------

    def _meta(self) -> Collection:
        with self._lock:
            if self._meta_collection is not None:
                return self._meta_collection
        name = f"{self.settings.collection}-meta"
        meta = self.client().get_or_create_collection(name, embedding_function=None)
        with self._lock:
            self._meta_collection = self._meta_collection or meta
            return self._meta_collection

    @reaching
    def snapshot(self) -> Snapshot | None:
        """The committed state, or None before the first ingest has finished.

        Cheap when nothing changed (one metadata read); reloads and, in the embedded mode, reopens the
        client when another process has committed since. No lock is held across a call to a server:
        with one paused, concurrent questions had waited for each other's timeouts in turn. The embedded
        store is local files, and reopening its client must not pull it from under a reader, so there
        the whole read holds the lock, as before.
        """
        if self.embedded:
            with self._lock:
                return self._current_snapshot()
        return self._current_snapshot()

    def _current_snapshot(self) -> Snapshot | None:
        got = self._meta().get(ids=[GENERATION_RECORD], include=["metadatas"])
        if not got["ids"]:  # an index committed before the generation had a record of its own
            got = self._meta().get(ids=[SNAPSHOT_RECORD], include=["metadatas"])
        if not got["ids"] or not got["metadatas"]:
            with self._lock:
                self._snapshot = None
            return None
        generation = generation_of(got["metadatas"][0])
        with self._lock:
            cached = self._snapshot
            if cached is not None and cached.generation == generation:
                return cached
            if cached is not None and self.embedded:
                self._reopen()  # embedded: local files, no network
        snapshot = self._read_snapshot()
        with self._lock:
            if snapshot is not None and (self._snapshot is None or self._snapshot.generation <= snapshot.generation):
                self._snapshot = snapshot
        return snapshot

    def _read_snapshot(self) -> Snapshot | None:
        got = self._meta().get(ids=[SNAPSHOT_RECORD], include=["metadatas", "documents"])
        if not got["ids"] or not got["metadatas"] or not got["documents"]:
            return None
        return read_snapshot(got["metadatas"][0], got["documents"][0])

    @reaching
    def commit(self, collection: str, model: str, ids: Iterable[str], articles: Iterable[ArticleInfo]) -> Snapshot:
        """Make ``ids`` of ``collection`` the live index, in one write (ingests are one at a time: the
        data dir's lock, not this object's, keeps them apart)."""
        got = self._meta().get(ids=[SNAPSHOT_RECORD], include=["metadatas"])
        previous = generation_of(got["metadatas"][0]) if got["ids"] and got["metadatas"] else 0
        snapshot = Snapshot(
            generation=previous + 1,
            collection=collection,
            model=model,
            committed_at=datetime.now(UTC).isoformat(timespec="seconds"),
            ids=frozenset(ids),
            articles={info.path: info for info in articles},
        )
        document, metadata = snapshot_record(snapshot)
        self._meta().upsert(  # both in one write
            ids=[SNAPSHOT_RECORD, GENERATION_RECORD],
            embeddings=np.ones((2, 1), dtype=np.float32),  # Chroma needs a vector; these are read by id
            documents=[document, ""],
            metadatas=[metadata, metadata],
        )
        with self._lock:
            self._snapshot = snapshot
        return snapshot

    # -- data collections -------------------------------------------------------------------------

    @reaching
    def data_collections(self) -> list[str]:
        """Names of all data collections under our prefix, live or left over."""
        prefix = f"{self.settings.collection}-b"
        names = [c.name for c in self.client().list_collections()]
        return sorted((n for n in names if n.startswith(prefix) and n[len(prefix) :].isdigit()), key=_build_number)

    def new_collection_name(self) -> str:
        numbers = [_build_number(n) for n in self.data_collections()]
        return f"{self.settings.collection}-b{max(numbers, default=0) + 1}"

    @reaching
    def collection(self, name: str, model: str | None = None) -> Collection:
        """A data collection; created (cosine space, recording ``model``) when ``model`` is given."""
        if model is None:
            return self.client().get_collection(name, embedding_function=None)
        return self.client().get_or_create_collection(
            name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={MODEL_KEY: model},
        )

    def collection_model(self, name: str) -> str | None:
        """The embedding model a data collection was created for."""
        value = (self.collection(name).metadata or {}).get(MODEL_KEY)
        return str(value) if value is not None else None

    def vector_store(self, name: str, embeddings: Embeddings, model: str) -> Chroma:
        """The LangChain view of a data collection, for the indexing API."""
        from langchain_chroma import Chroma

        self.collection(name, model)
        return Chroma(client=self.client(), collection_name=name, embedding_function=embeddings)

    @reaching
    def drop_collection(self, name: str) -> None:
        self.client().delete_collection(name)

    def reclaim_disk(self, vacuum: bool = True) -> int:
        """Remove what dropped collections left on disk (see :func:`hotline.index.chroma.reclaim_disk`)."""
        return chroma.reclaim_disk(self.settings, vacuum)

    @reaching
    def ids(self, name: str) -> set[str]:
        return set(self.collection(name).get(include=[])["ids"])

    @reaching
    def metadatas(self, name: str, ids: Sequence[str]) -> dict[str, Mapping[str, Any]]:
        collection, found = self.collection(name), {}
        for start in range(0, len(ids), FETCH_BATCH):
            got = collection.get(ids=list(ids[start : start + FETCH_BATCH]), include=["metadatas"])
            found.update({i: m or {} for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)})
        return found

    @reaching
    def documents_of(self, name: str, articles: Sequence[str]) -> dict[str, tuple[str, Mapping[str, Any]]]:
        """The stored text and metadata of the chunks of ``articles``, by chunk id: what an article that
        cannot be read now was indexed as (only those chunks are fetched, not the whole collection)."""
        where = cast("Where", {"article": {"$in": list(articles)}})  # mypy cannot infer chromadb's literal keys
        got = self.collection(name).get(where=where, include=["documents", "metadatas"])
        rows = zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)
        return {i: (text or "", meta or {}) for i, text, meta in rows}

    @reaching
    def delete(self, name: str, ids: Sequence[str]) -> None:
        if ids:
            self.collection(name).delete(ids=list(ids))

    @reaching
    def query(self, snapshot: Snapshot, embedding: Sequence[float], k: int) -> list[Hit]:
        """The ``k`` nearest committed chunks of ``snapshot``.

        Chunks outside the snapshot (written by an ingest that has not committed, or awaiting deletion)
        are filtered out. Usually there are none, so we over-fetch a little and filter; only when that
        leaves too few do we ask Chroma to restrict the search to the snapshot's ids.
        """
        collection = self.collection(snapshot.collection)
        k = min(k, len(snapshot.ids))
        if k == 0:
            return []
        fetch = min(collection.count(), 2 * k + 8)
        hits = [h for h in self._query(collection, embedding, fetch) if h.id in snapshot.ids]
        if len(hits) < k:
            hits = self._query(collection, embedding, k, ids=sorted(snapshot.ids))
        return hits[:k]

    @staticmethod
    def _query(collection: Collection, embedding: Sequence[float], n: int, ids: list[str] | None = None) -> list[Hit]:
        got = collection.query(
            query_embeddings=np.asarray([embedding], dtype=np.float32),
            n_results=max(n, 1),
            ids=ids,
            include=["documents", "metadatas", "distances"],
        )
        rows = zip(got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0], strict=True)  # type: ignore[index]
        return [Hit(id=i, text=t or "", metadata=m or {}, distance=float(d)) for i, t, m, d in rows]


def index_is_current(settings: Settings, store: IndexStore | None = None) -> bool:
    """Whether a committed index built by the configured model is there to answer from: what a command asks
    before it pays for the ingest's imports (LangChain's indexing, the loaders) to build one."""
    from hotline.index.embeddings import model_id

    probe = store or IndexStore(settings)
    try:
        live = probe.snapshot()
        return live is not None and live.model == model_id(settings)
    finally:
        if store is None:
            probe.close()


def _build_number(name: str) -> int:
    return int(name.rsplit("-b", 1)[1])
