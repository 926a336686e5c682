"""LangChain embeddings over a SentenceTransformer (the torch path: ingest, and any model but the built
default), with what our models need on top. Its own module because importing LangChain's Hugging Face
classes costs ~0.3 s, which a question answered under ONNX Runtime never needs."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from langchain_huggingface import HuggingFaceEmbeddings

from hotline.config.errors import ModelUnavailable
from hotline.index import e5

# Model families trained with instruction prefixes that some published folders do not declare as prompts
# (intfloat's e5 models among them): a fact about how those models were trained, applied only when the
# folder itself declares none.
FAMILY_PROMPTS = {re.compile(r"(?:^|[/_-])e5(?:[_-]|$)", re.IGNORECASE): (e5.QUERY_PROMPT, e5.PASSAGE_PROMPT)}
BATCH_SIZE = 8  # measured on 2 cores: small batches pad less, and run faster than 32 or 64


class HotlineEmbeddings(HuggingFaceEmbeddings):
    """LangChain embeddings over a SentenceTransformer, with what our models need on top.

    - Asymmetric models get their query and passage prompts: those the folder declares (``query`` and
      ``document`` or ``passage``), else those of their family (e5's ``query: `` / ``passage: ``).
    - Vectors are unit length in float32 even when the model computes in bfloat16 (whose rounding leaves
      norms near 1.001), so that a dot product is a cosine everywhere downstream.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # sentence-transformers 6 lists "query" and "document" with empty prompts when a folder declares none.
        declared = {name: prompt for name, prompt in (getattr(self._client, "prompts", None) or {}).items() if prompt}
        query = {"prompt_name": "query"} if "query" in declared else {}
        document = next(({"prompt_name": n} for n in ("document", "passage") if n in declared), {})
        if not query and not document:
            family = next((p for pattern, p in FAMILY_PROMPTS.items() if pattern.search(self.model_name)), None)
            if family is not None:
                query, document = {"prompt": family[0]}, {"prompt": family[1]}
        self.query_encode_kwargs = {**self.encode_kwargs, **query}
        self.encode_kwargs = {**self.encode_kwargs, **document}

    @property
    def dimension(self) -> int:
        dimension = self._client.get_embedding_dimension()
        if dimension is None:
            raise ModelUnavailable(f"embedding model {self.model_name!r} does not say its dimension")
        return int(dimension)

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Several questions in one batch: a question and its text without names cost ~33 ms together
        on 2 cores, ~52 ms one after the other."""
        return self._embed(texts, self.query_encode_kwargs)

    def _embed(self, texts: list[str], encode_kwargs: dict[str, Any]) -> list[list[float]]:
        vectors = np.asarray(super()._embed(texts, encode_kwargs), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return (vectors / np.where(norms == 0, 1, norms)).tolist()
