"""What a maintainer should look at in the directory: facts that contradict each other, what an ingest
changed, and articles nobody has updated for long.

**Conflicts.** Two articles give one organisation's phone for the same line with different numbers. A
line is the same when the passages' labels name the same place ("Для Москвы", "Для жителей Москвы";
"СПб" and "Санкт-Петербурга" are one place), or both mark the general line ("Все регионы", "Для прочих
субъектов", "Обычный"; the words are the lexicon's ``general``). Other labels say too little to tell two
lines apart, and unlabelled numbers are usually different lines (a courier's, a card's), so neither is
compared; nor are other kinds (an organisation may well have several addresses).

**Changes.** Facts are compared by organisation, kind, article and label: one value gone and one come
under the same key is a change ("Ozon · Для Москвы: <old number> → <new number>"); anything else is an
addition or a removal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from hotline.directory.entries import Entry
from hotline.index.records import ArticleInfo
from hotline.language.lexicon import lexicon
from hotline.language.morphology import is_place_name, lemma, words

GENERAL_LINE = "general"


@dataclass(frozen=True)
class Conflict:
    """One organisation's line with several values across articles; ``entries`` newest article first."""

    organization: str
    kind: str
    line: str  # as the newest article labels it
    entries: tuple[Entry, ...]

    def describe(self) -> str:
        shown = "; ".join(f"{e.value} ({e.article}, {e.updated or 'no date'})" for e in self.entries)
        return f"{self.organization} · {self.line}: {shown}"


@dataclass(frozen=True)
class Change:
    """A fact added, removed, or changed (``old`` and ``new`` both set) by an ingest."""

    organization: str
    kind: str
    line: str
    article: str
    old: str = ""
    new: str = ""

    @property
    def what(self) -> str:
        return "changed" if self.old and self.new else "added" if self.new else "removed"

    @property
    def values(self) -> str:
        """ "old → new" for a change, else the one value."""
        return f"{self.old} → {self.new}" if self.what == "changed" else self.new or self.old

    def describe(self) -> str:
        return f"{self.what}: {self.organization or '—'} · {self.kind} · {self.line}: {self.values} ({self.article})"


@dataclass(frozen=True)
class Stale:
    """An article whose ``updated`` date is older than the setting allows."""

    article: str
    title: str
    updated: str
    days: int


def line_key(entry: Entry) -> str | None:
    """The line a phone's label names, as conflicts compare it: "place:<place>", the general line, or
    None when the label says neither."""
    if entry.kind != "phone" or not entry.label:
        return None
    places = lexicon().places
    for word in words(entry.label):
        spelled = places.get(word) or places.get(lemma(word))
        if spelled:
            return f"place:{spelled[0]}"
        if is_place_name(word):
            return f"place:{lemma(word)}"
    if {lemma(w) for w in words(entry.label)} & lexicon().general:
        return GENERAL_LINE
    return None


def conflicts(entries: Iterable[Entry]) -> list[Conflict]:
    """Lines of one organisation whose articles disagree (see the module docstring)."""
    groups: dict[tuple[str, str, str], list[Entry]] = {}
    for entry in entries:
        key = line_key(entry)
        if key is not None and entry.organization:
            groups.setdefault((entry.organization, entry.kind, key), []).append(entry)
    found = []
    for (organization, kind, _), group in sorted(groups.items()):
        if len({e.normalized for e in group}) > 1 and len({e.article for e in group}) > 1:
            once: dict[tuple[str, str], Entry] = {}  # one per value and article, newest article first
            for e in sorted(group, key=lambda e: (e.updated, e.article), reverse=True):
                once.setdefault((e.normalized, e.article), e)
            shown = tuple(once.values())
            found.append(Conflict(organization, kind, shown[0].label, shown))
    return found


def disputed(found: Iterable[Conflict]) -> frozenset[Entry]:
    """The entries the conflicts ``found`` name: what the page and the command mark."""
    return frozenset(e for c in found for e in c.entries)


def changes(before: Sequence[Entry], after: Sequence[Entry]) -> list[Change]:
    """What changed from one directory to the next, fact by fact."""

    def keyed(entries: Sequence[Entry]) -> dict[tuple[str, str, str, str], dict[str, Entry]]:
        grouped: dict[tuple[str, str, str, str], dict[str, Entry]] = {}
        for e in entries:
            grouped.setdefault((e.organization, e.kind, e.article, e.label), {}).setdefault(e.normalized, e)
        return grouped

    old, new = keyed(before), keyed(after)
    found = []
    for key in sorted(old.keys() | new.keys()):
        was, now = old.get(key, {}), new.get(key, {})
        gone = [was[v] for v in was if v not in now]
        came = [now[v] for v in now if v not in was]
        organization, kind, article, _ = key
        if len(gone) == len(came) == 1:
            found.append(Change(organization, kind, came[0].line, article, gone[0].value, came[0].value))
            continue
        found += [Change(organization, kind, e.line, article, old=e.value) for e in gone]
        found += [Change(organization, kind, e.line, article, new=e.value) for e in came]
    return found


def stale(articles: Mapping[str, ArticleInfo], days: int, today: date | None = None) -> list[Stale]:
    """Articles updated more than ``days`` ago, oldest first (an article without a readable date is not
    listed: its age is unknown)."""
    today = today or date.today()
    found = []
    for path, info in articles.items():
        try:
            updated = date.fromisoformat(info.updated.strip()[:10])
        except ValueError:
            continue
        age = (today - updated).days
        if age > days:
            found.append(Stale(path, info.title, info.updated, age))
    return sorted(found, key=lambda s: (-s.days, s.article))
