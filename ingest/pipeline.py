"""Ingest: corpus -> clean -> chunks -> Chroma, incrementally, ending in one committed snapshot.

The LangChain indexing API does the bookkeeping: a record manager (SQLite, in the data dir) remembers
which chunk hashes are in the vector store, so unchanged chunks are never embedded again. We call it
twice around the commit (see :mod:`hotline.index.store`): first with no cleanup, which adds what is new while
the previous snapshot keeps serving; then, after the commit, with ``cleanup="full"``, which deletes what
the previous snapshot alone used. A run killed anywhere leaves the previous snapshot serving; the next
run skips whatever the killed one already embedded, and sweeps any chunk Chroma holds that no snapshot
or record knows, so nothing is duplicated or missed.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import httpx
from chromadb.errors import ChromaError
from langchain_core.documents import Document
from langchain_core.indexing import index

from hotline.config.errors import HotlineError, StoreUnavailable, first_line
from hotline.config.settings import Settings
from hotline.index.embeddings import model_id
from hotline.index.store import IndexStore, Snapshot, index_is_current
from ingest import registry_file
from ingest.clean import clean_corpus
from ingest.lines import prepare_lines
from ingest.load import Problem, load_corpus
from ingest.records import CountingEmbeddings, ingest_lock, record_manager
from ingest.report import IngestReport, directory_of, report_of, sections_of, with_directory
from ingest.split import chunk_id, split_articles

Progress = bool | Callable[[int, int], None]  # a tqdm bar, none, or a callback given (done, total) chunks

BATCH_SIZE = 64
log = logging.getLogger(__name__)


class NothingToIngest(HotlineError):
    """The corpus folder is missing or holds no readable article; the index is left as it is."""


def run_ingest(
    settings: Settings,
    *,
    full: bool = False,
    progress: Progress = False,
    wait: float | None = None,
    store: IndexStore | None = None,
) -> IngestReport:
    """Bring the index in line with the corpus folder and commit it.

    ``full`` rebuilds from scratch, into a new data collection that is switched to only when complete.
    ``wait`` is how long to wait for another ingest on the same data dir (default from settings).
    Pass the process's ``store`` when it has one (the app does): Chroma shares one embedded client per
    path and process, and a second store would see this ingest's writes late.
    """
    return _locked_ingest(settings, full=full, progress=progress, wait=wait, store=store)


def rebuild_index(settings: Settings, *, progress: Progress = False, wait: float | None = None) -> IngestReport:
    """Build the index anew from the corpus whatever state the old one is in (``python -m ingest
    --rebuild``): the old store and record manager are not opened, only moved aside (``*.damaged-<time>``,
    to be deleted once not needed), and a full ingest follows. The recovery for a damaged embedded
    store (a crash on opening it, "database disk image is malformed"); a Chroma server's own storage is
    the server's to repair, so with one this is a full ingest."""
    if settings.chroma_url is not None:
        return run_ingest(settings, full=True, progress=progress, wait=wait)
    return _locked_ingest(settings, full=True, progress=progress, wait=wait, store=None, prepare=_set_aside)


def _locked_ingest(
    settings: Settings,
    *,
    full: bool,
    progress: Progress,
    wait: float | None,
    store: IndexStore | None,
    prepare: Callable[[Settings], list[Problem]] | None = None,
) -> IngestReport:
    """One ingest under the data dir's lock; ``prepare`` runs first, under the lock, before the store opens."""
    started = time.perf_counter()
    if not settings.corpus_dir.is_dir():
        raise NothingToIngest(
            f"corpus folder {settings.corpus_dir} does not exist (set HOTLINE_CORPUS_DIR or --corpus)"
        )
    with ingest_lock(settings, wait):
        notes = prepare(settings) if prepare is not None else []
        own = store is None
        store = store or IndexStore(settings)
        try:
            before = directory_of(settings, store)
            report = _ingest(settings, store, full=full, progress=progress)
            report = with_directory(report, settings, store, before)
        except (httpx.HTTPError, ChromaError, OSError, sqlite3.Error) as exc:
            # Writes go through LangChain's Chroma wrapper, past the store's own error handling: a server
            # gone (ConnectError) or a full disk (InternalError) is one line too, not "unexpected".
            check = "check free space and that the data dir is writable" if store.embedded else "check the server"
            raise StoreUnavailable(
                f"the ingest could not write to the index at {store.location} ({type(exc).__name__}: "
                f"{first_line(exc)}); the index is as it was: {check}, then ingest again"
            ) from exc
        finally:
            if own:
                store.close()
    return replace(report, problems=[*report.problems, *notes], seconds=time.perf_counter() - started)


def _set_aside(settings: Settings) -> list[Problem]:
    """Move the embedded store and the record manager aside, unopened (for ``rebuild_index``)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    moved = []
    for name in ("chroma", "records.sqlite"):
        old = settings.data_dir / name
        if old.exists():
            aside = old.with_name(f"{name}.damaged-{stamp}")
            shutil.move(old, aside)
            moved.append(aside.name)
    note = f"moved the old index aside ({', '.join(moved)}: delete once no longer needed)"
    return [Problem("data dir", note, False)] if moved else []


def _ingest(settings: Settings, store: IndexStore, *, full: bool, progress: Progress) -> IngestReport:
    articles, problems = load_corpus(settings.corpus_dir, settings.read_limit)
    if not articles:
        raise NothingToIngest(
            f"no readable article in {settings.corpus_dir}; the index was left as it is "
            "(an empty corpus is refused so that a wrong path cannot wipe the index)"
        )
    articles, corrected = registry_file.apply(articles, settings.corpus_dir)
    problems = [*problems, *corrected]
    articles, boilerplate = clean_corpus(articles, settings.boilerplate_min_repeats)
    chunks, cut = split_articles(articles, settings.chunk_size)
    problems = [*problems, *cut]
    documents = [chunk.document() for chunk in chunks]
    live = store.snapshot()
    kept, problems = _keep_unreadable(store, live, problems)
    documents += kept
    sections = {chunk_id(d): (d.metadata["article"], d.metadata["section"]) for d in documents}

    model = model_id(settings)
    # Vectors of two models cannot share an index: another model's index is rebuilt beside the live one,
    # which keeps serving until the commit.
    replaced = live.model if live is not None and live.model != model else ""
    full = full or bool(replaced)
    target = _target_collection(store, live, model, full)
    keep = {target} | ({live.collection} if live else set())
    leftovers = [c for c in store.data_collections() if c not in keep]  # from a rebuild killed before its commit
    for leftover in leftovers:
        _drop(store, settings, leftover, problems)
    # Every ingest sweeps what a dropped collection left on disk (a few ms): a run killed inside the sweep
    # would otherwise leave its folder until the next full rebuild. The VACUUM only after a drop.
    store.reclaim_disk(vacuum=bool(leftovers))

    embeddings = CountingEmbeddings(settings)
    vector_store = store.vector_store(target, embeddings, model)
    records = record_manager(settings, target, problems)
    present = store.ids(target)
    records.delete_keys([key for key in records.list_keys() if key not in present])  # Chroma lost them: redo
    infos = [a.info for a in articles]
    infos += [live.articles[path] for path in sorted({str(d.metadata["article"]) for d in kept}) if live]

    if (
        live is not None
        and live.collection == target
        and live.ids == present == set(sections) == set(records.list_keys())
    ):
        # Nothing to embed or delete, and Chroma, the records and the snapshot agree: the indexing API
        # would only refresh timestamps. Commit only if an article's title or date changed.
        changed = dict(live.articles) != {i.path: i for i in infos}
        snapshot = store.commit(target, model, live.ids, infos) if changed else live
        prepare_lines(settings, documents, progress is True)  # an index from before the lines were kept gains them
        return report_of(sections, snapshot, sections, articles, 0, problems, boilerplate, rebuilt=False)

    index(_progress(documents, progress), records, vector_store, key_encoder=chunk_id, batch_size=BATCH_SIZE)
    previous = sections_of(store, live) if live is not None else {}
    snapshot = store.commit(target, model, sections.keys(), infos)
    # From here readers use the new snapshot: delete what only the previous one used.
    index(documents, records, vector_store, cleanup="full", key_encoder=chunk_id, batch_size=BATCH_SIZE)
    strays = sorted(store.ids(target) - snapshot.ids)  # written by a killed run, known to no record
    store.delete(target, strays)
    records.delete_keys(sorted(set(strays) & set(records.list_keys())))
    if live is not None and live.collection != target:
        _drop(store, settings, live.collection, problems)
        store.reclaim_disk()

    rebuilt = target != (live.collection if live else None)
    prepare_lines(settings, documents, progress is True)
    report = report_of(previous, snapshot, sections, articles, embeddings.count, problems, boilerplate, rebuilt)
    return replace(report, replaced_model=replaced)


def _keep_unreadable(
    store: IndexStore, live: Snapshot | None, problems: list[Problem]
) -> tuple[list[Document], list[Problem]]:
    """The indexed chunks of the articles that were indexed before and cannot be read now (a stray binary
    byte, a half-written save, a permission): they stay as they were, with a warning, instead of the
    article silently leaving the index. Deleting the file is how an article leaves."""
    skipped = [p for p in problems if p.skipped]
    unreadable = {a for a in (live.articles if live else ()) if any(p.covers(a) for p in skipped)}
    if live is None or not unreadable:
        return [], problems
    stored = store.documents_of(live.collection, sorted(unreadable))
    kept = [
        Document(page_content=text, metadata=dict(meta))
        for chunk, (text, meta) in sorted(stored.items())
        if chunk in live.ids  # not what a killed ingest left in the collection
    ]
    noted = [
        replace(p, message=f"{p.message}; its previously indexed version stays in the index", skipped=False, kept=True)
        if p.path in unreadable
        else p
        for p in problems
    ]
    return kept, noted


def ensure_index(settings: Settings, store: IndexStore | None = None, progress: bool = False) -> IngestReport | None:
    """Build the index from the corpus if none is committed yet (a fresh data dir), or rebuild it if another
    embedding model built it (an older checkout's data dir); else do nothing."""
    if index_is_current(settings, store):
        return None
    return run_ingest(settings, progress=progress, store=store)


def _target_collection(store: IndexStore, live: Snapshot | None, model: str, full: bool) -> str:
    """Where this ingest writes: the live collection; or, for the first build, what a killed first build
    left (its chunks are as good as new); or, for ``full``, always a new collection."""
    if live is not None and not full:
        return live.collection
    if live is None and not full:
        leftovers = [name for name in store.data_collections() if store.collection_model(name) == model]
        if leftovers:
            return leftovers[-1]
    return store.new_collection_name()


def _progress(documents: list[Any], progress: Progress) -> Any:
    """``documents`` with a tqdm bar (``True``), reported to a callback (the page's bar), or as they are.

    A callback rather than Gradio's tqdm tracking: its patched tqdm breaks on the way the indexing API
    pulls batches from the iterator."""
    if callable(progress):
        return _reported(documents, progress)
    if not progress:
        return documents
    from tqdm import tqdm

    return tqdm(documents, desc="indexing", unit="chunk", leave=False)


def _reported(documents: list[Any], report: Callable[[int, int], None]) -> Iterator[Any]:
    total = len(documents)
    for n, document in enumerate(documents):
        if n % 16 == 0:
            report(n, total)
        yield document
    report(total, total)


def _drop(store: IndexStore, settings: Settings, collection: str, problems: list[Problem]) -> None:
    store.drop_collection(collection)
    records = record_manager(settings, collection, problems)
    records.delete_keys(records.list_keys())
