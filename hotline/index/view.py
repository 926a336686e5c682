"""The live snapshot held in memory: chunk texts, metadata and unit vectors, for exact search.

Why not ask Chroma's HNSW index for the nearest chunks? Because HNSW is approximate and loses recall when
many vectors are (nearly) identical, as chunks that differ only in numbers are under any encoder. Checked
on chromadb 1.5: with 600 identical vectors beside 63 distinct ones, a query equal to one of the distinct
ones does not find it, and a request for all 663 returns 276. A support corpus is small (hundreds to tens
of thousands of chunks), so an exact cosine over all of them is a single matrix product of a few
milliseconds, and it is exact.
Above ``Settings.exact_search_max_chunks`` the retriever falls back to Chroma's own search.

Chroma stays the one source of truth: the view is loaded from it per snapshot generation, which is also
what the BM25 side needs (the texts), and what lets several app processes share one Chroma server.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from hotline.index.kept import FOLDER, kept
from hotline.index.lexical import LexicalIndex
from hotline.index.store import FETCH_BATCH, Hit, IndexStore, Snapshot
from hotline.language.organizations import Organization
from hotline.language.registry import CorpusOrganizations, Record


@dataclass(frozen=True)
class SnapshotView:
    """Everything retrieval needs about one snapshot, in memory and in a fixed order."""

    snapshot: Snapshot
    ids: list[str]
    texts: list[str]
    metadatas: list[Mapping[str, Any]]
    vectors: np.ndarray | None  # (chunks, dimension) float32 unit rows; None above the exact-search size
    kept_in: Path | None = None  # where its lexical index is kept between processes (hotline.index.kept)

    @classmethod
    def load(cls, store: IndexStore, snapshot: Snapshot, with_vectors: bool) -> SnapshotView:
        collection = store.collection(snapshot.collection)
        include: list[Any] = ["documents", "metadatas"] + (["embeddings"] if with_vectors else [])
        ids: list[str] = []
        texts: list[str] = []
        metadatas: list[Mapping[str, Any]] = []
        vectors: list[np.ndarray] = []
        ordered = sorted(snapshot.ids)
        for start in range(0, len(ordered), FETCH_BATCH):
            got = collection.get(ids=ordered[start : start + FETCH_BATCH], include=include)
            ids += got["ids"]
            texts += [t or "" for t in got["documents"] or []]
            metadatas += [m or {} for m in got["metadatas"] or []]
            if with_vectors and got["embeddings"] is not None and len(got["embeddings"]):
                vectors.append(np.asarray(got["embeddings"], dtype=np.float32))
        matrix = None
        if with_vectors:
            matrix = np.concatenate(vectors) if vectors else np.zeros((0, 1), dtype=np.float32)
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            matrix = matrix / np.where(norms == 0, 1, norms)
        return cls(
            snapshot=snapshot,
            ids=ids,
            texts=texts,
            metadatas=metadatas,
            vectors=matrix,
            kept_in=store.settings.data_dir / FOLDER,
        )

    @cached_property
    def lexical(self) -> LexicalIndex:
        """BM25 and the vocabulary over this snapshot's texts, built on first use, or read where an earlier
        process kept it."""
        if self.kept_in is None:
            return LexicalIndex.build(self.texts)
        # A chunk's id is the hash of its text and metadata, so the ids in their order name the texts it indexes.
        return kept(self.kept_in, "lexical", "\n".join(self.ids), lambda: LexicalIndex.build(self.texts))

    @cached_property
    def organizations(self) -> CorpusOrganizations:
        """Whose each chunk is, and the names that find organisations in questions."""
        declared = {
            path: Organization(info.organization, info.aliases) if info.organization else None
            for path, info in self.snapshot.articles.items()
        }
        chunks = [
            (str(m.get("article", "")), str(m.get("section", "")), text)
            for m, text in zip(self.metadatas, self.texts, strict=True)
        ]

        def build() -> CorpusOrganizations:
            return CorpusOrganizations.build(declared, chunks, self.lexical.proper)

        if self.kept_in is None:
            return build()
        # The chunks, and each article's organisation as the snapshot declares it (organizations.yaml may
        # change it without changing a chunk).
        identity = "\n".join([*self.ids, *(f"{path}={o!r}" for path, o in sorted(declared.items()))])
        return kept(self.kept_in, "registry", identity, build)

    @cached_property
    def registry(self) -> tuple[Record, ...]:
        """The organisation registry as people read it (each organisation with its aliases, articles and
        contact chunks), once per snapshot: the chat's coverage line asks for it on every page load."""
        return tuple(self.organizations.records([str(m.get("article", "")) for m in self.metadatas]))

    def among(self, organizations: frozenset[str]) -> np.ndarray | None:
        """A mask of the chunks of ``organizations`` (None: every chunk)."""
        if not organizations:
            return None
        mask = np.zeros(len(self.ids), dtype=bool)
        for organization in organizations:
            if (chunks := self._chunks_of.get(organization)) is not None:
                mask[chunks] = True
        return mask

    @cached_property
    def _chunks_of(self) -> dict[str, np.ndarray]:
        """Each organisation's chunks (its own, and the roundup rows naming it), by position: a question's
        mask costs the chunks of the organisations it names, not a pass over every chunk."""
        found: dict[str, list[int]] = {}
        of_chunk, named_in = self.organizations.of_chunk, self.organizations.named_in
        for i, (owner, named) in enumerate(zip(of_chunk, named_in, strict=True)):
            for name in {owner, *named} - {""}:
                found.setdefault(name, []).append(i)
        return {name: np.asarray(chunks, dtype=np.intp) for name, chunks in found.items()}

    @cached_property
    def position(self) -> dict[str, int]:
        """Each chunk id's index in this view."""
        return {chunk: i for i, chunk in enumerate(self.ids)}

    def organization_of(self, chunk: str) -> str:
        return self.organizations.of_chunk[self.position[chunk]] if chunk in self.position else ""

    def hit(self, i: int, score: float) -> Hit:
        return Hit(self.ids[i], self.texts[i], self.metadatas[i], 1.0 - score)

    def nearest(self, query: Sequence[float], k: int, among: np.ndarray | None = None) -> list[Hit]:
        """The ``k`` chunks (of those ``among`` marks, if given) with the highest cosine similarity to
        ``query``, best first (exact)."""
        assert self.vectors is not None, "this view was loaded without vectors"
        if k <= 0 or not self.ids:
            return []
        q = np.asarray(query, dtype=np.float32)
        norm = float(np.linalg.norm(q))
        scores = self.vectors @ (q / norm if norm else q)
        if among is not None:
            scores = np.where(among, scores, -np.inf)
            k = min(k, int(among.sum()))
            if k == 0:
                return []
        k = min(k, len(self.ids))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((top, -scores[top]))]  # by score, ties in a fixed order
        return [self.hit(int(i), float(scores[i])) for i in top]
