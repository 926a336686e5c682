"""Checks on a whole index that several test modules share."""

from __future__ import annotations

from langchain_classic.indexes import SQLRecordManager

from hotline.config.settings import Settings
from hotline.index.store import IndexStore
from ingest.clean import clean_corpus
from ingest.load import load_corpus
from ingest.split import chunk_id, split_corpus


def expected_ids(settings: Settings) -> set[str]:
    """The chunk ids the corpus folder should produce."""
    articles, _ = load_corpus(settings.corpus_dir)
    articles, _ = clean_corpus(articles, settings.boilerplate_min_repeats)
    return {chunk_id(c.document()) for c in split_corpus(articles, settings.chunk_size)}


def assert_consistent(settings: Settings) -> None:
    """After a completed ingest: Chroma, the record manager and the snapshot agree with the corpus,
    with no duplicate, no missing chunk and no left-over collection."""
    store = IndexStore(settings)
    try:
        snapshot = store.snapshot()
        assert snapshot is not None
        held = store.collection(snapshot.collection).get(include=[])["ids"]
        assert len(held) == len(set(held)), "duplicate ids in Chroma"
        assert set(held) == snapshot.ids == expected_ids(settings)
        keys = SQLRecordManager(snapshot.collection, db_url=settings.record_manager_url).list_keys()
        assert sorted(keys) == sorted(snapshot.ids)
        assert store.data_collections() == [snapshot.collection]
    finally:
        store.close()
