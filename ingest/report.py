"""What an ingest changed, in chunks and in the contact directory, and what it met on the way (see
:mod:`ingest.pipeline`).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from hotline import directory
from hotline.config.errors import StoreUnavailable, first_line
from hotline.config.settings import Settings
from hotline.directory import Change, Conflict, Entry, Stale, saved
from hotline.index.store import IndexStore, Snapshot
from hotline.index.view import SnapshotView
from ingest.clean import Boilerplate
from ingest.load import Article, Problem

Directory = tuple[Snapshot | None, list[Entry]]  # the live snapshot (None: none yet) and its fact directory
log = logging.getLogger("ingest.pipeline")


@dataclass(frozen=True)
class IngestReport:
    """What an ingest changed, in chunks, and what it met on the way."""

    added: int
    updated: int
    removed: int
    unchanged: int
    embedded: int
    articles: int
    chunks: int
    generation: int
    seconds: float
    rebuilt: bool = False
    replaced_model: str = ""  # the model the previous index was built with, when this ingest replaced it
    problems: list[Problem] = field(default_factory=list)
    boilerplate: list[Boilerplate] = field(default_factory=list)
    changes: tuple[Change, ...] = ()  # the contact facts this ingest added, removed or changed
    conflicts: tuple[Conflict, ...] = ()  # lines whose articles disagree, in the index as committed
    stale: tuple[Stale, ...] = ()  # articles older than settings.stale_after_days
    readers: tuple[tuple[str, str], ...] = ()  # (article, library) of each article made Markdown (ingest.formats)

    @property
    def replaced_note(self) -> str:
        """One line when this ingest rebuilt an index another embedding model had built, else ""."""
        if not self.replaced_model:
            return ""
        return f"the index was built with embedding model {self.replaced_model!r}; rebuilt it with the configured one"

    def summary(self) -> str:
        return (
            f"added {self.added}, updated {self.updated}, removed {self.removed}, unchanged {self.unchanged}"
            f" ({self.embedded} chunks embedded; {self.chunks} chunks from {self.articles} articles;"
            f" {self.seconds:.1f} s)"
        )


def directory_of(settings: Settings, store: IndexStore, known: Directory | None = None) -> Directory | None:
    """(the live snapshot, its fact directory: ``known``'s when it is that snapshot's, else as saved beside
    the index, else built), or None when it cannot be read: the directory is a view for maintainers, and
    never costs an ingest."""
    try:
        snapshot = store.snapshot()
        if snapshot is None:
            return None, []
        if known is not None and known[0] is not None and known[0].generation == snapshot.generation:
            return known
        entries = saved.of_snapshot(
            snapshot, settings.data_dir, lambda: SnapshotView.load(store, snapshot, with_vectors=False)
        )
        return snapshot, entries
    except StoreUnavailable as exc:  # a damaged or unreachable index: the ingest itself says so, once
        log.info("the fact directory could not be read: %s", exc)
        return None
    except Exception as exc:
        log.warning("the fact directory could not be read: %s", first_line(exc))
        log.debug("the fact directory could not be read", exc_info=True)
        return None


def with_directory(
    report: IngestReport, settings: Settings, store: IndexStore, before: Directory | None
) -> IngestReport:
    """``report`` with what the ingest changed in the fact directory (recorded beside the index), the
    conflicts and the stale articles of the snapshot it committed."""
    after = directory_of(settings, store, before)
    if after is None or after[0] is None:
        return report
    snapshot = after[0]
    # The first build has nothing to compare with: its facts are the directory, not changes to it. (The
    # change history was written when the saved directory was replaced: see hotline.directory.saved.)
    compared = before if before is not None and before[0] is not None and after is not before else None
    changed = tuple(directory.changes(compared[1], after[1])) if compared is not None else ()
    return replace(
        report,
        changes=changed,
        conflicts=tuple(directory.conflicts(after[1])),
        stale=tuple(directory.stale(snapshot.articles, settings.stale_after_days)),
    )


def report_of(
    before: Mapping[str, tuple[str, str]],
    snapshot: Snapshot,
    after: Mapping[str, tuple[str, str]],
    articles: list[Article],
    embedded: int,
    problems: list[Problem],
    boilerplate: list[Boilerplate],
    rebuilt: bool,
) -> IngestReport:
    """The report of an ingest that went from chunks ``before`` to ``after`` (id -> article, section)."""
    added, updated, removed, unchanged = diff(before, after)
    return IngestReport(
        added=added,
        updated=updated,
        removed=removed,
        unchanged=unchanged,
        embedded=embedded,
        articles=len(articles),
        chunks=len(snapshot.ids),
        generation=snapshot.generation,
        seconds=0.0,
        rebuilt=rebuilt,
        problems=problems,
        boilerplate=boilerplate,
        readers=tuple((a.path, a.reader) for a in articles if a.reader),
    )


def sections_of(store: IndexStore, snapshot: Snapshot) -> dict[str, tuple[str, str]]:
    metadatas = store.metadatas(snapshot.collection, sorted(snapshot.ids))
    return {i: (str(m.get("article", "")), str(m.get("section", ""))) for i, m in metadatas.items()}


def diff(before: Mapping[str, tuple[str, str]], after: Mapping[str, tuple[str, str]]) -> tuple[int, int, int, int]:
    """(added, updated, removed, unchanged) chunks. A chunk that replaced one in the same section of the
    same article is *updated*; chunk ids are content hashes, so "unchanged" means byte-identical."""
    unchanged = len(before.keys() & after.keys())
    gone = Counter(before[i] for i in before.keys() - after.keys())
    came = Counter(after[i] for i in after.keys() - before.keys())
    updated = sum((gone & came).values())
    return sum(came.values()) - updated, updated, sum(gone.values()) - updated, unchanged
