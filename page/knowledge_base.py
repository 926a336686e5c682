"""What the knowledge-base page shows a maintainer, in Russian (the words from ``prompts/page.yaml``):
the index in one line, the indexed articles as a table, one article's text, what an ingest did, and
why an action was refused.

The command line keeps its English (``IngestReport.summary``); this is the page's wording of the same
records. No Gradio here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from hotline.config.errors import HotlineError, StoreUnavailable
from hotline.config.settings import Settings
from hotline.index.view import SnapshotView
from hotline.search.retrieval import IndexStats
from hotline.wording import counted, page_wording
from ingest import IngestReport
from ingest.pipeline import IngestBusy, NothingToIngest
from ingest.upload import article_file


@dataclass(frozen=True)
class ArticleRow:
    """One indexed article as the table lists it."""

    path: str
    title: str
    organization: str
    source: str
    updated: str
    chunks: int

    def cells(self) -> list[str | int]:
        return [self.path, self.title, self.organization, self.source, self.updated, self.chunks]


def article_rows(view: SnapshotView) -> list[ArticleRow]:
    """The snapshot's articles, by file name, with whom each is about (as answering reads it: the name
    the organisations were unified to) and how many chunks it has in the index."""
    chunks = Counter(str(m.get("article", "")) for m in view.metadatas)
    owners: dict[str, Counter[str]] = {}
    for metadata, owner in zip(view.metadatas, view.organizations.of_chunk, strict=True):
        owners.setdefault(str(metadata.get("article", "")), Counter())[owner] += 1
    rows = []
    for path, info in sorted(view.snapshot.articles.items()):
        named = [name for name, _ in owners.get(path, Counter()).most_common() if name]
        rows.append(
            ArticleRow(
                path, info.title, named[0] if named else info.organization, info.source, info.updated, chunks[path]
            )
        )
    return rows


def article_text(settings: Settings, path: str) -> str:
    """The article's file as it is in the corpus folder now (what a re-ingest would read)."""
    file = article_file(settings, path)
    try:
        return file.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        why = exc.strerror or str(exc)
        raise HotlineError(page_wording()["knowledge_base"]["unreadable"].format(path=path, why=why)) from exc


def figures(stats: IndexStats) -> str:
    """The index in one sentence: "5 статей, 63 фрагмента; обновлён 26 ноября 2026 в 09:14"."""
    say = page_wording()["knowledge_base"]
    when = _when(stats.committed_at)
    line = say["figures"].format(articles=counted(stats.articles, "article"), chunks=counted(stats.chunks, "chunk"))
    return line + (say["committed"].format(when=when) if when else "") + "."


def ingest_summary(report: IngestReport) -> str:
    """What an ingest changed, in chunks, as a sentence: "2 фрагмента добавлено, 1 изменён. Теперь …"."""
    say = page_wording()["knowledge_base"]
    counts = {"added": report.added, "updated": report.updated, "removed": report.removed}
    head = ", ".join(counted(n, change) for change, n in counts.items() if n) or say["unchanged"]
    return say["now"].format(
        changes=head[:1].upper() + head[1:],
        articles=counted(report.articles, "article"),
        chunks=counted(report.chunks, "chunk"),
        seconds=f"{report.seconds:.1f}".replace(".", ","),
    )


def refusal(exc: HotlineError) -> str:
    """Why an action on the page did not happen, for a person: the known cases in Russian, any other
    with its own message."""
    say = page_wording()["knowledge_base"]
    if isinstance(exc, IngestBusy):
        return str(say["busy"])
    if isinstance(exc, NothingToIngest):
        return str(say["nothing"])
    if isinstance(exc, StoreUnavailable):
        return str(say["store"]).format(error=exc)
    return str(exc)


def _when(iso: str) -> str:
    """An ISO time as the server's local date and time: "26 ноября 2026 в 09:14"."""
    try:
        moment = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    say = page_wording()["knowledge_base"]
    return str(say["when"]).format(
        day=moment.day, month=say["months"][moment.month - 1], year=moment.year, time=f"{moment:%H:%M}"
    )
