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

import functools
import json
import logging
import re
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import urlsplit

import httpx
import numpy as np

from hotline.config.errors import HotlineError, StoreUnavailable, first_line
from hotline.config.settings import Settings

T = TypeVar("T")

if TYPE_CHECKING:
    from chromadb.api.client import Client
    from chromadb.api.models.Collection import Collection
    from chromadb.api.types import Where
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings

SNAPSHOT_RECORD = "snapshot"
# The committed generation alone, read before every question: Chroma keeps a record's document among its
# metadata, so reading the snapshot record's metadata read its whole id list too (9 ms at 30,000 chunks).
GENERATION_RECORD = "snapshot-generation"
log = logging.getLogger(__name__)
SEGMENT_DIR = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
REBUILD = "rebuild it from the corpus with `python -m ingest --rebuild`"
FETCH_BATCH = 2000  # ids per Chroma get: within SQLite's variable limit and a sane HTTP body
MODEL_KEY = "hotline_embedding_model"


@dataclass(frozen=True)
class ArticleInfo:
    """What the index keeps about an article beside its chunks: what a citation shows, and whom the
    article is about (declared in its front matter, or inferred from its title; see
    :mod:`hotline.language.organizations`). Kept in the snapshot, so that a new date or organisation re-embeds
    nothing."""

    path: str
    title: str
    source: str = ""
    updated: str = ""
    organization: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Snapshot:
    """One committed state of the index."""

    generation: int
    collection: str
    model: str
    committed_at: str
    ids: frozenset[str]
    articles: Mapping[str, ArticleInfo] = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    """A raw nearest-neighbour result from a data collection."""

    id: str
    text: str
    metadata: Mapping[str, Any]
    distance: float


def unreachable(store: IndexStore, exc: Exception) -> StoreUnavailable:
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
    def wrapper(self: IndexStore, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except HotlineError:
            raise
        except Exception as exc:
            raise unreachable(self, exc) from exc

    return wrapper


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
        return self.settings.chroma_url or str(self.settings.data_dir / "chroma")

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
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        # Chroma's telemetry would phone home; we run offline.
        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        try:
            if self.settings.chroma_url is None:
                path = self.settings.data_dir / "chroma"
                path.mkdir(parents=True, exist_ok=True)
                # The factories are typed as ClientAPI but return a Client, which alone has close().
                return cast("Client", chromadb.PersistentClient(path=str(path), settings=chroma_settings))
            url = urlsplit(self.settings.chroma_url)
            ssl = url.scheme == "https"
            host, port = url.hostname or "localhost", url.port or (443 if ssl else 8000)
            # chromadb's HTTP client waits for ever (httpx with timeout=None, and its constructor already
            # asks the server): a server that stopped answering (SIGSTOP, a hung host) would hang every
            # question. So the server is asked once with a timeout first, and the client's session is
            # given one for every later call (a private attribute: there is no setting for it).
            scheme = "https" if ssl else "http"
            httpx.get(f"{scheme}://{host}:{port}/api/v2/heartbeat", timeout=self.settings.chroma_timeout)
            client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=chroma_settings)
            client._server._session.timeout = httpx.Timeout(self.settings.chroma_timeout)  # type: ignore[attr-defined]
            client.heartbeat()
            return cast("Client", client)
        except Exception as exc:  # chromadb raises many kinds; the user needs one actionable line
            if self.embedded:
                # chromadb keeps a store it failed to start in its per-path cache, and hands it to the next
                # client, which then fails with "'RustBindingsAPI' object has no attribute 'bindings'"
                # instead of the real reason (a private map: chromadb has no call to forget one path).
                from chromadb.api.shared_system_client import SharedSystemClient

                SharedSystemClient._identifier_to_system.pop(str(self.settings.data_dir / "chroma"), None)
            first = first_line(exc)
            hint = (
                f"; if the data dir is writable and has free space, the index is damaged: {REBUILD}"
                if self.embedded
                else ""
            )
            raise StoreUnavailable(f"cannot open the index at {self.location}: {first}{hint}") from exc

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
        generation = _generation(got["metadatas"][0])
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
        meta, body = got["metadatas"][0], json.loads(got["documents"][0])
        return Snapshot(
            generation=_generation(meta),
            collection=str(meta["collection"]),
            model=str(meta["model"]),
            committed_at=str(meta["committed_at"]),
            ids=frozenset(body["ids"]),
            articles={path: _article_info(info) for path, info in body["articles"].items()},
        )

    @reaching
    def commit(self, collection: str, model: str, ids: Iterable[str], articles: Iterable[ArticleInfo]) -> Snapshot:
        """Make ``ids`` of ``collection`` the live index, in one write (ingests are one at a time: the
        data dir's lock, not this object's, keeps them apart)."""
        got = self._meta().get(ids=[SNAPSHOT_RECORD], include=["metadatas"])
        previous = _generation(got["metadatas"][0]) if got["ids"] and got["metadatas"] else 0
        snapshot = Snapshot(
            generation=previous + 1,
            collection=collection,
            model=model,
            committed_at=datetime.now(UTC).isoformat(timespec="seconds"),
            ids=frozenset(ids),
            articles={info.path: info for info in articles},
        )
        body = {"ids": sorted(snapshot.ids), "articles": {p: asdict(a) for p, a in snapshot.articles.items()}}
        metadata: dict[str, str | int] = {
            "generation": snapshot.generation,
            "collection": collection,
            "model": model,
            "committed_at": snapshot.committed_at,
            "chunks": len(snapshot.ids),
            "articles": len(snapshot.articles),
        }
        self._meta().upsert(  # both in one write
            ids=[SNAPSHOT_RECORD, GENERATION_RECORD],
            embeddings=np.ones((2, 1), dtype=np.float32),  # Chroma needs a vector; these are read by id
            documents=[json.dumps(body, ensure_ascii=False), ""],
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
        """Remove what dropped collections left on disk (embedded mode): chromadb deletes a collection's
        rows but not its vector segment's directory (chroma-core/chroma#1309, still open), so each full
        rebuild would leave one behind. A directory named like a segment that no segment row names is such
        a leftover; the caller holds the ingest lock, so no collection is being created meanwhile. Then
        SQLite's free pages are given back (VACUUM, when ``vacuum``), unless another connection is busy
        writing. Returns the number of directories removed."""
        if not self.embedded:
            return 0
        folder = self.settings.data_dir / "chroma"
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


def _article_info(stored: Mapping[str, Any]) -> ArticleInfo:
    """An article as the snapshot stores it (JSON has lists, not tuples; older snapshots lack fields)."""
    known = {k: v for k, v in stored.items() if k in ArticleInfo.__dataclass_fields__}
    return ArticleInfo(**{**known, "aliases": tuple(known.get("aliases") or ())})


def _generation(metadata: Mapping[str, Any]) -> int:
    value = metadata.get("generation")
    if not isinstance(value, int | float | str):
        raise StoreUnavailable(f"the index's snapshot record is damaged (generation {value!r}); rebuild with --full")
    return int(value)


def _build_number(name: str) -> int:
    return int(name.rsplit("-b", 1)[1])
