"""Vectors for questions and short texts under the configured embedding model, cached.

The same passages and sentences come back for many questions, and retrieval and the answerer both need
a question's vector (retrieval the question as written, the answerer the same question without the
organisation names retrieval filtered on), so both kinds are kept in bounded LRU caches. Embedding a new
question with the default model costs ~15 ms on 2 cores and a new sentence a few; the caches make a
repeated one free.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Generic, TypeVar

import numpy as np

from hotline.config.settings import Settings
from hotline.index.embeddings import load_query_embeddings, model_id, onnx_ready
from hotline.index.vectors import KeptVectors, keeps_vectors

CACHE_SIZE = 20_000
V = TypeVar("V")


class TextCache(Generic[V]):
    """What was computed for a text, the ``CACHE_SIZE`` most recent texts, safe across the page's threads."""

    def __init__(self) -> None:
        self._items: OrderedDict[str, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, text: str) -> V | None:
        with self._lock:
            return self._items.get(text)

    def missing(self, texts: Sequence[str]) -> list[str]:
        """``texts`` not cached, each once, in order."""
        with self._lock:
            return [t for t in dict.fromkeys(texts) if t not in self._items]

    def put(self, items: dict[str, V]) -> None:
        with self._lock:
            self._items.update(items)
            while len(self._items) > CACHE_SIZE:
                self._items.popitem(last=False)

    def fill(self, texts: Sequence[str], compute: Callable[[list[str]], Iterable[V]]) -> list[V]:
        """The values of ``texts``, those not cached computed in one call of ``compute``."""
        missing = self.missing(texts)
        fresh = dict(zip(missing, compute(missing), strict=True)) if missing else {}
        self.put(fresh)
        with self._lock:
            return [fresh[t] if t in fresh else self._items[t] for t in texts]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class Encoder:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._documents: TextCache[np.ndarray] = TextCache()
        self._queries: TextCache[np.ndarray] = TextCache()
        # What the ingest embedded ahead for every line of the index (hotline.index.vectors): a new
        # question then embeds only itself, not the ~55 lines of its passages (~0.45 s on two cores).
        self._kept = KeptVectors(settings.model_dir, model_id(settings)) if keeps_vectors(settings) else None

    def prefetch(self) -> None:
        """Load the model in a thread of its own while the caller opens the index: ONNX Runtime builds its
        session without holding the GIL, so a command's two cores do both at once. A failure is left for
        the first question to report (the load is tried again then). Only a complete built default: a
        model still to build is built once, by whoever needs it first."""
        if not onnx_ready(self.settings):
            return

        def load() -> None:
            with contextlib.suppress(Exception):
                load_query_embeddings(self.settings)

        threading.Thread(target=load, name="hotline-encoder", daemon=True).start()

    def query(self, text: str) -> np.ndarray:
        """The vector of a question."""
        found = self._queries.get(text)
        return found if found is not None else self._embed_questions([text])[0]

    def queries(self, texts: Sequence[str]) -> None:
        """Embed the questions not cached yet, in one batch (cheaper than one by one), into the cache."""
        missing = self._queries.missing(texts)
        if len(missing) > 1:  # one alone is embedded when asked for
            self._embed_questions(missing)

    def _embed_questions(self, texts: list[str]) -> np.ndarray:
        embeddings = load_query_embeddings(self.settings)
        batch = getattr(embeddings, "embed_queries", None)  # ours batches; another model's, one by one
        vectors = batch(texts) if batch is not None else [embeddings.embed_query(t) for t in texts]
        fresh = np.asarray(vectors, dtype=np.float32)
        self._queries.put(dict(zip(texts, fresh, strict=True)))
        return fresh

    def documents(self, texts: Sequence[str]) -> np.ndarray:
        """The vectors of ``texts`` as rows."""
        return np.stack(self._documents.fill(texts, self._embed_documents))

    def _embed_documents(self, texts: list[str]) -> np.ndarray:
        found = self._kept.get(texts) if self._kept is not None else {}
        if rest := [t for t in texts if t not in found]:
            fresh = np.asarray(load_query_embeddings(self.settings).embed_documents(rest), dtype=np.float32)
            found.update(zip(rest, fresh, strict=True))
        return np.stack([found[t] for t in texts]).astype(np.float32, copy=False)

    def cosines(self, query: str, texts: Sequence[str]) -> list[float]:
        """The cosine of ``query`` to each of ``texts`` (vectors are unit length)."""
        if not texts:
            return []
        return [float(x) for x in self.documents(texts) @ self.query(query)]

    def forget_questions(self) -> None:
        """Drop the cached question vectors, so that a benchmark's repeated questions cost what new ones do."""
        self._queries.clear()
