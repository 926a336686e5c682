"""What the knowledge-base page shows a maintainer, in Russian (the words from ``prompts/page.yaml``):
the index in one line, the indexed articles as a table, one article's text, the contact directory with
its conflicts, changes and stale articles, what an ingest did, and why an action was refused.

The command line keeps its English (``IngestReport.summary``); this is the page's wording of the same
records. No Gradio here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hotline.config.errors import HotlineError, StoreUnavailable
from hotline.config.settings import Settings
from hotline.directory import Conflict, Entry, Stale, disputed
from hotline.directory.history import Ingested
from hotline.index.view import SnapshotView
from hotline.search.retrieval import IndexStats
from hotline.wording import counted, page_wording, wording
from ingest import IngestReport
from ingest.formats import CONVERTED, convert
from ingest.isolated import IngestFailed
from ingest.pipeline import NothingToIngest
from ingest.problems import Problem
from ingest.records import IngestBusy
from ingest.upload import UploadRejected, article_file
from page.render import verbatim

CHANGES_SHOWN = 12  # fact changes listed under the directory, newest first


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


def registry_rows(view: SnapshotView) -> list[list[Any]]:
    """The organisation registry as the page lists it: name, aliases, its articles, chunks giving its
    contacts (a roundup's rows count for the organisations they name)."""
    return [[r.name, ", ".join(r.aliases), ", ".join(r.articles), r.chunks] for r in view.registry]


def article_text(settings: Settings, path: str) -> tuple[str, str]:
    """(the text box's label, the article's text): a ``.md``/``.txt`` file as it is in the corpus folder now
    (what a re-ingest would read); an HTML, PDF or DOCX file as the Markdown its library makes of it, which
    is what the index reads (its bytes would mean nothing to the maintainer)."""
    say = page_wording()["knowledge_base"]
    file = article_file(settings, path)
    try:
        if file.suffix.lower() not in CONVERTED:
            return say["article_text"], file.read_text(encoding="utf-8", errors="replace")
        converted = convert(file.suffix.lower(), file.read_bytes(), path)
    except OSError as exc:
        why = exc.strerror or str(exc)
        raise HotlineError(say["unreadable"].format(path=path, why=why)) from exc
    if isinstance(converted, Problem):
        raise HotlineError(say["unreadable"].format(path=path, why=converted.reason()))
    kind = file.suffix.lower().lstrip(".").upper()
    return say["article_converted"].format(library=converted.library, kind=kind), converted.text


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
    if isinstance(exc, IngestFailed):
        return str(say["ingest_failed"].get(exc.kind, say["ingest_failed"]["failed"])).format(**exc.details)
    if isinstance(exc, UploadRejected):
        return str(exc)  # worded in Russian where it is raised
    return str(say["other"]).format(error=exc)


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


def directory_rows(entries: Sequence[Entry], found: Sequence[Conflict]) -> list[list[str]]:
    """The fact directory as the page's table: one row per fact, its kind in Russian, conflicts marked."""
    say = page_wording()["directory"]
    kinds = wording("ru")["kinds"]
    marked = disputed(found)
    rows = []
    for e in entries:
        mark = say["disputed"] if e in marked else ""
        rows.append([e.organization, kinds.get(e.kind, e.kind), e.line, e.value, e.article, e.section, e.updated, mark])
    return rows


def conflict_lines(found: Sequence[Conflict]) -> list[str]:
    """Each conflict in one line, newest article first."""
    say = page_wording()["directory"]
    return [
        say["conflict"].format(
            organization=c.organization,
            line=c.line,
            values=" ≠ ".join(
                say["conflict_value"].format(value=e.value, article=e.article, updated=e.updated or say["no_date"])
                for e in c.entries
            ),
        )
        for c in found
    ]


def change_lines(recent: Sequence[Ingested]) -> list[str]:
    """The fact changes of the last ingests, newest first, each with when it was committed."""
    say = page_wording()["directory"]
    kinds = wording("ru")["kinds"]
    return [
        say["change"].format(
            when=_when(ingested.at),
            what=say["what"][c.what],
            organization=c.organization or "—",
            kind=kinds.get(c.kind, c.kind).lower(),
            line=c.line,
            values=c.values,
            article=c.article,
        )
        for ingested in recent
        for c in ingested.changes
    ]


def stale_lines(found: Sequence[Stale]) -> list[str]:
    say = page_wording()["directory"]
    return [say["stale_article"].format(article=s.article, updated=s.updated, days=s.days) for s in found]


def directory_summary(report: IngestReport) -> str:
    """What an ingest changed in the contacts, in one sentence ("" when nothing and no conflict)."""
    if not report.changes and not report.conflicts:
        return ""
    return str(page_wording()["directory"]["summary"]).format(
        changes=counted(len(report.changes), "change"), conflicts=counted(len(report.conflicts), "conflict")
    )


def directory_notes(
    found: Sequence[Conflict], recent: Sequence[Ingested], old: Sequence[Stale], stale_after_days: int
) -> str:
    """Under the directory: its conflicts, the last ingests' changes and the stale articles, as Markdown
    (each part says so when it is empty). Article text is escaped: it is shown, never rendered."""
    say = page_wording()["directory"]
    parts = [
        _listed(say["conflicts"], conflict_lines(found), say["no_conflicts"]),
        _listed(say["changes"], change_lines(recent)[:CHANGES_SHOWN], say["no_changes"]),
        _listed(say["stale"].format(days=stale_after_days), stale_lines(old), say["no_stale"]),
    ]
    return "\n\n".join(parts)


def _listed(title: str, lines: Sequence[str], empty: str) -> str:
    if not lines:
        return empty
    return "\n".join([title, *(f"- {verbatim(line)}" for line in lines)])
