"""What the knowledge-base page shows a maintainer, in Russian: the index in one line, the indexed
articles as a table, one article's text, what an ingest did, and why an action was refused.

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
from ingest import IngestReport
from ingest.pipeline import IngestBusy, NothingToIngest
from ingest.upload import article_file

MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря")  # fmt: skip
ARTICLE_COLUMNS = ("Файл", "Заголовок", "Организация", "Источник", "Обновлена", "Фрагментов")


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
        raise HotlineError(f"«{path}» не читается: {exc.strerror or exc}") from exc


def figures(stats: IndexStats) -> str:
    """The index in one sentence: "5 статей, 63 фрагмента; обновлён 26 ноября 2026 в 09:14"."""
    when = _when(stats.committed_at)
    return (
        f"В индексе {_count(stats.articles, 'статья', 'статьи', 'статей')}, "
        f"{_count(stats.chunks, 'фрагмент', 'фрагмента', 'фрагментов')}" + (f"; обновлён {when}." if when else ".")
    )


def ingest_summary(report: IngestReport) -> str:
    """What an ingest changed, in chunks, as a sentence: "2 фрагмента добавлено, 1 изменён. Теперь …"."""
    changes = [
        _count(report.added, "фрагмент добавлен", "фрагмента добавлено", "фрагментов добавлено"),
        _count(report.updated, "изменён", "изменено", "изменено"),
        _count(report.removed, "удалён", "удалено", "удалено"),
    ]
    counts = (report.added, report.updated, report.removed)
    head = ", ".join(c for c, n in zip(changes, counts, strict=True) if n) or "статьи не менялись, индекс тот же"
    seconds = f"{report.seconds:.1f}".replace(".", ",")
    return (
        f"{head[:1].upper()}{head[1:]}. Теперь {_count(report.articles, 'статья', 'статьи', 'статей')}, "
        f"{_count(report.chunks, 'фрагмент', 'фрагмента', 'фрагментов')}; {seconds} с."
    )


def refusal(exc: HotlineError) -> str:
    """Why an action on the page did not happen, for a person: the known cases in Russian, any other
    with its own message."""
    if isinstance(exc, IngestBusy):
        return "индекс уже обновляется; дождитесь конца и повторите."
    if isinstance(exc, NothingToIngest):
        return "в папке статей нет ни одной читаемой статьи; индекс оставлен как был."
    if isinstance(exc, StoreUnavailable):
        return f"хранилище индекса недоступно ({exc})."
    return str(exc)


def _count(n: int, one: str, few: str, many: str) -> str:
    """``n`` with the noun in the form Russian gives that number: 1 статья, 3 статьи, 5 статей."""
    if n % 10 == 1 and n % 100 != 11:
        word = one
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        word = few
    else:
        word = many
    return f"{n} {word}"


def _when(iso: str) -> str:
    """An ISO time as the server's local date and time: "26 ноября 2026 в 09:14"."""
    try:
        moment = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year} в {moment:%H:%M}"
