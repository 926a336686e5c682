"""Retrieval: the top passages of the committed index for a query.

Dense only for now: cosine similarity to the query under the configured sentence-transformers model,
exact over the live snapshot held in memory (see :mod:`hotline.view` for why not HNSW), or Chroma's own
search for snapshots too large to hold. The hybrid retriever (dense + BM25 over lemmas, fused by rank)
replaces the body of :meth:`Retriever.search`, not its contract.
"""

from __future__ import annotations

import threading

from hotline.embeddings import load_embeddings, model_id
from hotline.errors import IndexNotBuilt, ModelMismatch
from hotline.passages import Passage, body_of
from hotline.settings import Settings
from hotline.store import Hit, IndexStore, Snapshot
from hotline.view import SnapshotView


class Retriever:
    """Answers "which passages are about this?" against the live snapshot of one index."""

    def __init__(self, settings: Settings, store: IndexStore | None = None) -> None:
        self.settings = settings
        self.store = store or IndexStore(settings)
        self._view: SnapshotView | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        self.store.close()

    def snapshot(self) -> Snapshot:
        """The live snapshot, checked to be usable with the configured model."""
        snapshot = self.store.snapshot()
        if snapshot is None:
            raise IndexNotBuilt(f"the index at {self.store.location} is empty: run `python -m ingest`")
        expected = model_id(self.settings)
        if snapshot.model != expected:
            raise ModelMismatch(
                f"the index was built with embedding model {snapshot.model!r} but {expected!r} is configured: "
                "set HOTLINE_EMBEDDING_MODEL back, or rebuild with `python -m ingest --full`"
            )
        return snapshot

    def view(self) -> SnapshotView:
        """The live snapshot in memory, reloaded when another ingest has committed."""
        snapshot = self.snapshot()
        with self._lock:
            if self._view is None or self._view.snapshot.generation != snapshot.generation:
                exact = len(snapshot.ids) <= self.settings.exact_search_max_chunks
                self._view = SnapshotView.load(self.store, snapshot, with_vectors=exact)
            return self._view

    def search(self, query: str, k: int | None = None) -> list[Passage]:
        """The ``k`` (default ``settings.top_k``) passages nearest to ``query``, best first."""
        k = k or self.settings.top_k
        view = self.view()
        embedding = load_embeddings(self.settings).embed_query(query)
        hits = view.nearest(embedding, k) if view.vectors is not None else self.store.query(view.snapshot, embedding, k)
        return [self._passage(hit, view.snapshot) for hit in hits]

    @staticmethod
    def _passage(hit: Hit, snapshot: Snapshot) -> Passage:
        article = str(hit.metadata.get("article", ""))
        section = str(hit.metadata.get("section", ""))
        info = snapshot.articles.get(article)
        return Passage(
            id=hit.id,
            text=body_of(hit.text, section),
            article=article,
            title=info.title if info else article,
            section=section,
            source=info.source if info else "",
            score=1.0 - hit.distance,
        )
