"""What the index records beside its chunks, and how the snapshot record is written and read back.

The snapshot is one Chroma record (see :mod:`hotline.index.store`): its metadata says which data
collection is live and which model built it, its document lists the committed chunk ids and the articles.
Kept apart from the store so that the directory and the ingest can use these records without Chroma.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from hotline.config.errors import StoreUnavailable

SNAPSHOT_RECORD = "snapshot"
# The committed generation alone, read before every question: Chroma keeps a record's document among its
# metadata, so reading the snapshot record's metadata read its whole id list too (9 ms at 30,000 chunks).
GENERATION_RECORD = "snapshot-generation"


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


def snapshot_record(snapshot: Snapshot) -> tuple[str, dict[str, str | int]]:
    """The snapshot as the meta collection stores it: the document (ids and articles, JSON) and the
    metadata (what a reader checks before it reads the document)."""
    body = {"ids": sorted(snapshot.ids), "articles": {p: asdict(a) for p, a in snapshot.articles.items()}}
    metadata: dict[str, str | int] = {
        "generation": snapshot.generation,
        "collection": snapshot.collection,
        "model": snapshot.model,
        "committed_at": snapshot.committed_at,
        "chunks": len(snapshot.ids),
        "articles": len(snapshot.articles),
    }
    return json.dumps(body, ensure_ascii=False), metadata


def read_snapshot(metadata: Mapping[str, Any], document: str) -> Snapshot:
    """The snapshot a stored record holds."""
    body = json.loads(document)
    return Snapshot(
        generation=generation_of(metadata),
        collection=str(metadata["collection"]),
        model=str(metadata["model"]),
        committed_at=str(metadata["committed_at"]),
        ids=frozenset(body["ids"]),
        articles={path: _article_info(info) for path, info in body["articles"].items()},
    )


def generation_of(metadata: Mapping[str, Any]) -> int:
    value = metadata.get("generation")
    if not isinstance(value, int | float | str):
        raise StoreUnavailable(f"the index's snapshot record is damaged (generation {value!r}); rebuild with --full")
    return int(value)


def _article_info(stored: Mapping[str, Any]) -> ArticleInfo:
    """An article as the snapshot stores it (JSON has lists, not tuples; older snapshots lack fields)."""
    known = {k: v for k, v in stored.items() if k in ArticleInfo.__dataclass_fields__}
    return ArticleInfo(**{**known, "aliases": tuple(known.get("aliases") or ())})
