"""A deterministic small encoder (``HOTLINE_EMBEDDING_MODEL=hashing``): each lemma of a text is hashed to a
fixed pseudo-random direction, and the text is the normalised sum of its lemmas' directions.

It reads words, not meaning: "номерок" is not near "телефон", and English is not near Russian. So it is no
substitute for the sentence encoder in use; it exists so that specs of retrieval and answering run on the
whole pipeline (ingest, Chroma, hybrid retrieval, the answerer) in milliseconds, with no model to build
or load, and give the same vectors on every machine. Two texts' cosine is, roughly, the share of the
lemmas they have in common, which is all a spec of the answering logic needs to steer it.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np
from langchain_core.embeddings import Embeddings

from hotline.config.settings import HASHING_MODEL
from hotline.index.lexical import content_lemmas

DIMENSION = 256
MODEL_ID = f"{HASHING_MODEL}-{DIMENSION}"


class HashingEmbeddings(Embeddings):
    """LangChain embeddings from hashed lemmas (see the module docstring)."""

    model_name = MODEL_ID
    dimension = DIMENSION

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(text).tolist() for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text).tolist()

    @staticmethod
    def _vector(text: str) -> np.ndarray:
        total = np.zeros(DIMENSION, dtype=np.float32)
        for word in content_lemmas(text):
            total += _direction(word)
        norm = float(np.linalg.norm(total))
        return total / norm if norm else total


@lru_cache(maxsize=50_000)
def _direction(word: str) -> np.ndarray:
    """A unit vector for ``word``, the same in every process (seeded by a hash of the word, not Python's
    salted ``hash``)."""
    seed = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
    vector = np.random.default_rng(seed).standard_normal(DIMENSION).astype(np.float32)
    return vector / np.linalg.norm(vector)
