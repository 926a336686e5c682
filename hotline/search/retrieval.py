"""Retrieval: the passages of the live index that a question is about, best first.

Two lists are fused by reciprocal rank (RRF): dense (cosine under the sentence encoder, exact over the
snapshot held in memory; see :mod:`hotline.index.view`) and BM25 over lemmas (see :mod:`hotline.index.lexical`).
Each catches what the other misses: the encoder reads "номерок" as a phone number, a situation as the
procedure that answers it and English as the Russian passage; BM25 holds on to the rare exact word
("Card", "Роспотребнадзора", a company's name) that a sentence vector blurs. Both index the chunk with its
article title and section path (:mod:`hotline.index.passages`). The encoder reads the question as it was
written (made standalone); BM25 reads it normalised (:mod:`hotline.search.query`): transliteration undone,
English mapped to Russian, typos corrected, places spelled as the articles spell them.

Tuned with ``bench/retrieval.py`` for e5-small, on our cases and the shared multi-company set (the
holdout and blind sets only checked): RRF with k=10 rather than 60 (hit@5 on the multi-company set
0.95 -> 1.00, the others unchanged), and the question as written for the encoder rather than its bag of
normalised words (MRR 0.91 -> 0.94 multi-company, 0.85 -> 0.88 blind; our own set's hit@1 0.81 -> 0.79).
A weighted fusion of min-max normalised scores was tried and lost hit@5 on both multi-company sets.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

import numpy as np

from hotline.config.errors import HotlineError, IndexNotBuilt
from hotline.config.settings import Settings
from hotline.index.embeddings import model_id
from hotline.index.lexical import content_lemmas
from hotline.index.passages import Passage, body_of
from hotline.index.store import Hit, IndexStore, Snapshot, unreachable
from hotline.index.view import SnapshotView
from hotline.language.facts import INTENT_KINDS, extract
from hotline.reader import Reading, load_reader
from hotline.search.query import Query, analyze
from hotline.search.similarity import Encoder

log = logging.getLogger(__name__)

Mode = Literal["hybrid", "dense", "bm25"]
RRF_K = 10  # measured (see above): a small k lets a list's top few count, which is where e5 is right
DEPTH = 30  # how deep each list goes before fusion
SUBJECT_BOOST = 2.0  # in BM25, whom the question is about outweighs how it is asked ("горячая линия")


@dataclass(frozen=True)
class IndexStats:
    """What the knowledge-base page shows about the live index."""

    articles: int
    chunks: int
    model: str
    committed_at: str
    generation: int
    location: str


class Retriever:
    """Answers "which passages are about this?" against the live snapshot of one index."""

    def __init__(self, settings: Settings, store: IndexStore | None = None) -> None:
        self.settings = settings
        self.store = store or IndexStore(settings)
        self.encoder = Encoder(settings)
        self._view: SnapshotView | None = None
        self._lock = threading.Lock()
        self._warned: set[int] = set()

    def close(self) -> None:
        self.store.close()

    def snapshot(self) -> Snapshot:
        """The live snapshot."""
        snapshot = self.store.snapshot()
        if snapshot is None:
            raise IndexNotBuilt(f"the index at {self.store.location} is empty: run `python -m ingest`")
        return snapshot

    def dense_usable(self, snapshot: Snapshot) -> bool:
        """Whether the configured model built ``snapshot``: another model's vectors cannot be compared with
        ours. Until an ingest rebuilds it (every ingest does), such an index is searched by BM25 alone, so
        the page keeps answering through a model change."""
        usable = snapshot.model == model_id(self.settings)
        if not usable and snapshot.generation not in self._warned:
            self._warned.add(snapshot.generation)
            log.warning(
                "the index was built with embedding model %r, not the configured %r: searching it by BM25 alone "
                "until `python -m ingest` rebuilds it",
                snapshot.model,
                model_id(self.settings),
            )
        return usable

    def stats(self) -> IndexStats:
        s = self.snapshot()
        return IndexStats(len(s.articles), len(s.ids), s.model, s.committed_at, s.generation, self.store.location)

    def view(self) -> SnapshotView:
        """The live snapshot in memory, reloaded when another ingest has committed. The reload reads the
        store outside the lock (from a server it is network calls): two questions at a new generation may
        both load it, and neither waits behind the other's timeout."""
        snapshot = self.snapshot()
        with self._lock:
            if self._view is not None and self._view.snapshot.generation == snapshot.generation:
                return self._view
        exact = len(snapshot.ids) <= self.settings.exact_search_max_chunks
        try:
            view = SnapshotView.load(self.store, snapshot, with_vectors=exact)
        except HotlineError:
            raise
        except Exception as exc:
            raise unreachable(self.store, exc) from exc
        with self._lock:
            if self._view is None or self._view.snapshot.generation <= view.snapshot.generation:
                self._view = view
            return view

    def searcher(self) -> Searcher:
        """Search bound to the live snapshot as it is now: what one question uses from start to end."""
        return Searcher(self, self.view())

    def analyze(self, question: str) -> Query:
        """The question normalised against the live articles' vocabulary and organisations."""
        return self.searcher().analyze(question)

    def search(self, question: str, k: int | None = None, mode: Mode = "hybrid") -> list[Passage]:
        """The ``k`` (default ``settings.top_k``) passages most about ``question``, best first."""
        searcher = self.searcher()
        return searcher.retrieve(searcher.analyze(question), k, mode)

    def retrieve(self, query: Query, k: int | None = None, mode: Mode = "hybrid") -> list[Passage]:
        """Passages for an analysed question, from the live snapshot."""
        return self.searcher().retrieve(query, k, mode)

    def _retrieve(self, query: Query, k: int | None, mode: Mode, view: SnapshotView) -> list[Passage]:
        k = k or self.settings.top_k
        if mode != "bm25" and not self.dense_usable(view.snapshot):
            mode = "bm25"
        # A question that names organisations is answered from their passages alone.
        among = view.among(query.organizations)
        lists = []
        if mode in ("hybrid", "dense"):
            # The answerer will want the question without the names too: both vectors in one batch.
            self.encoder.queries([query.text, query.unnamed_text])
            lists.append(self._dense(view, query, max(k, DEPTH), among))
        if mode in ("hybrid", "bm25"):
            lists.append(self._bm25(view, query, max(k, DEPTH), among))
        fused = _fuse(lists)
        hits = {hit.id: hit for ranking in lists for hit in ranking}
        kinds = next((INTENT_KINDS[i] for i in query.intents if i in INTENT_KINDS), ())
        if mode == "hybrid" and (kinds or query.subjects):
            fused = _fuse(
                [*lists, _focused([hits[i] for i in sorted(fused, key=lambda i: (-fused[i], i))], query, kinds)]
            )
        best = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        similar = self._similarities(view, query, [hits[i] for i in best]) if mode != "bm25" else {}
        return [replace(self._passage(hits[i], view, fused[i]), similarity=similar.get(i)) for i in best]

    def _similarities(self, view: SnapshotView, query: Query, found: list[Hit]) -> dict[str, float]:
        """Each passage's cosine to the question under the encoder (the evidence that the corpus speaks
        of what is asked at all)."""
        if view.vectors is None:
            return {h.id: 1.0 - h.distance for h in found}  # Chroma's search: only dense hits are scored
        question = self.encoder.query(query.text)
        return {h.id: float(view.vectors[view.position[h.id]] @ question) for h in found}

    def _dense(self, view: SnapshotView, query: Query, depth: int, among: np.ndarray | None) -> list[Hit]:
        embedding = self.encoder.query(query.text).tolist()
        if view.vectors is not None:
            return view.nearest(embedding, depth, among)
        found = self.store.query(view.snapshot, embedding, depth if among is None else 4 * depth)
        return [h for h in found if among is None or among[view.position[h.id]]][:depth]

    @staticmethod
    def _bm25(view: SnapshotView, query: Query, depth: int, among: np.ndarray | None) -> list[Hit]:
        lexical = view.lexical
        scores = np.zeros(lexical.size, dtype=np.float32)
        # In a fixed order: float32 sums in another order round differently, and among chunks of equal score
        # (a generated site's twins) that decided the ranking; the weights' order came from sets, so it
        # changed with each process's string hashing (PYTHONHASHSEED) and so did the answer's source.
        for lemma, weight in sorted(query.weights.items()):
            boost = SUBJECT_BOOST if lemma in query.subjects else 1.0
            scores += boost * weight * lexical.scores([lemma])
        if among is not None:
            scores = np.where(among, scores, 0.0)
        ranked = [int(i) for i in np.argsort(-scores, kind="stable")[:depth] if scores[i] > 0]
        return [view.hit(i, float(scores[i])) for i in ranked]

    @staticmethod
    def _passage(hit: Hit, view: SnapshotView, score: float) -> Passage:
        article = str(hit.metadata.get("article", ""))
        section = str(hit.metadata.get("section", ""))
        info = view.snapshot.articles.get(article)
        return Passage(
            id=hit.id,
            text=body_of(hit.text, str(hit.metadata.get("heading", section))),
            article=article,
            title=info.title if info else article,
            section=section,
            source=info.source if info else "",
            updated=info.updated if info else "",
            score=score,
            organization=view.organization_of(hit.id),
        )


def _focused(candidates: list[Hit], query: Query, kinds: tuple[str, ...]) -> list[Hit]:
    """A third list for fusion: the candidates that hold the kind of fact asked for, those that name whom
    the question is about first. A question for Роспотребнадзор's phone is most likely answered by a
    passage with a phone that names Роспотребнадзор, not by one that says "горячая линия" three times."""
    holding = [h for h in candidates if not kinds or any(f.kind in kinds for f in extract(h.text))]
    if not query.subjects:
        return holding
    named = [(len(query.subjects & _lemmas(h.text)), n) for n, h in enumerate(holding)]
    return [holding[n] for count, n in sorted(named, key=lambda c: (-c[0], c[1])) if count or kinds]


@lru_cache(maxsize=8192)
def _lemmas(text: str) -> frozenset[str]:
    return frozenset(content_lemmas(text))


def _fuse(lists: list[list[Hit]]) -> dict[str, float]:
    """Reciprocal rank fusion: each list gives 1 / (k + rank) to each of its hits."""
    fused: dict[str, float] = {}
    for ranking in lists:
        for rank, hit in enumerate(ranking):
            fused[hit.id] = fused.get(hit.id, 0.0) + 1.0 / (RRF_K + rank + 1)
    return fused


@dataclass(frozen=True)
class Searcher:
    """Retrieval bound to one snapshot: every step of one question (making it standalone, analysing it,
    searching, composing the answer) reads the same index state, even if an ingest commits meanwhile.
    A new question takes a new one (:meth:`Retriever.searcher`)."""

    retriever: Retriever
    view: SnapshotView

    def analyze(self, text: str) -> Query:
        """``text`` normalised against this snapshot's vocabulary and organisations."""
        return analyze(text, self.view.lexical, self.view.organizations.directory)

    def read(self, question: str, previous: str | None = None, also: Sequence[str] = ()) -> Reading | None:
        """What the trained reader reads in ``question`` (after ``previous``, for a follow-up); None where
        there is no reader. The texts of ``also`` are embedded in the same batch: retrieval will want them
        (one batch costs less)."""
        reader = load_reader(self.retriever.settings)
        if reader is None:
            return None
        encoder = self.retriever.encoder
        encoder.queries([question, *also, *([previous] if previous else [])])
        before = encoder.query(previous) if previous else None
        return reader.read(question, encoder.query(question), before)

    def retrieve(self, query: Query, k: int | None = None, mode: Mode = "hybrid") -> list[Passage]:
        """The ``k`` (default ``settings.top_k``) passages of this snapshot most about ``query``."""
        return self.retriever._retrieve(query, k, mode, self.view)
