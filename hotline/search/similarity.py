"""Vectors for questions and short texts under the configured embedding model, cached.

The same passages and sentences come back for many questions, and retrieval and the answerer both need
a question's vector (retrieval the question as written, the answerer the same question without the
organisation names retrieval filtered on), so both kinds are kept in bounded LRU caches. Embedding a new
question with the default model costs ~15 ms on 2 cores and a new sentence a few; the caches make a
repeated one free.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from hotline.config.settings import Settings
from hotline.index.embeddings import load_query_embeddings

CACHE_SIZE = 20_000


class Encoder:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._documents: OrderedDict[str, np.ndarray] = OrderedDict()
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def query(self, text: str) -> np.ndarray:
        """The vector of a question."""
        with self._lock:
            found = self._queries.get(text)
        return found if found is not None else self._embed_questions([text])[0]

    def queries(self, texts: Sequence[str]) -> None:
        """Embed the questions not cached yet, in one batch (cheaper than one by one), into the cache."""
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._queries]
        if len(missing) > 1:  # one alone is embedded when asked for
            self._embed_questions(missing)

    def _embed_questions(self, texts: list[str]) -> np.ndarray:
        embeddings = load_query_embeddings(self.settings)
        batch = getattr(embeddings, "embed_queries", None)  # ours batches; another model's, one by one
        vectors = batch(texts) if batch is not None else [embeddings.embed_query(t) for t in texts]
        fresh = np.asarray(vectors, dtype=np.float32)
        self._remember(self._queries, dict(zip(texts, fresh, strict=True)))
        return fresh

    def documents(self, texts: Sequence[str]) -> np.ndarray:
        """The vectors of ``texts`` as rows."""
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._documents]
        if missing:
            fresh = np.asarray(load_query_embeddings(self.settings).embed_documents(missing), dtype=np.float32)
            self._remember(self._documents, dict(zip(missing, fresh, strict=True)))
        with self._lock:
            return np.stack([self._documents[t] for t in texts])

    def cosines(self, query: str, texts: Sequence[str]) -> list[float]:
        """The cosine of ``query`` to each of ``texts`` (vectors are unit length)."""
        if not texts:
            return []
        return [float(x) for x in self.documents(texts) @ self.query(query)]

    def forget_questions(self) -> None:
        """Drop the cached question vectors, so that a benchmark's repeated questions cost what new ones do."""
        with self._lock:
            self._queries.clear()

    def _remember(self, cache: OrderedDict[str, np.ndarray], items: dict[str, np.ndarray]) -> None:
        with self._lock:
            cache.update(items)
            while len(cache) > CACHE_SIZE:
                cache.popitem(last=False)
