"""Every contact fact of a snapshot, once, with whose it is and where it stands: the fact directory.

A fact is a phone, e-mail, web address, postal address, hours statement or public body that a passage
states (found by :func:`hotline.language.facts.extract`, the answerer's own reading). Its *line* is what
the passage calls it ("Для Москвы", "Общество защиты прав потребителей · Бесплатная линия"), or, with no
such label, the section it stands in.

Whose a fact is matters more than anything here; :func:`hotline.language.ownership.named_owner` reads it,
the same rule the answer's labels use, else the fact is the organisation's the chunk is about. A public
body mentioned as where to turn is listed under the organisation whose article points there.
"""

from __future__ import annotations

from dataclasses import dataclass

from razdel import sentenize

from hotline.index.passages import SECTION_SEPARATOR, body_of
from hotline.index.view import SnapshotView
from hotline.language.facts import extract
from hotline.language.ownership import named_owner

DIRECTORY_KINDS = ("phone", "email", "url", "address", "hours", "authority")


@dataclass(frozen=True)
class Entry:
    """One fact of one article. ``label`` is the passage's own name for it ("" when it gives none);
    ``line`` is that label, or the section the fact stands in."""

    organization: str
    kind: str
    value: str  # as the article writes it
    normalized: str  # what comparisons use (E.164 for phones)
    label: str
    article: str
    section: str
    updated: str

    @property
    def line(self) -> str:
        return self.label or self.section.split(SECTION_SEPARATOR)[-1]


def build(view: SnapshotView) -> list[Entry]:
    """The directory of one snapshot, ordered by organisation, kind, line and article."""
    found: dict[tuple[str, ...], Entry] = {}
    names = view.organizations.directory
    for text, metadata, owner in zip(view.texts, view.metadatas, view.organizations.of_chunk, strict=True):
        article, section = str(metadata.get("article", "")), str(metadata.get("section", ""))
        info = view.snapshot.articles.get(article)
        body = body_of(text, str(metadata.get("heading", "")))
        facts = extract(body)
        for fact in facts:
            if fact.kind not in DIRECTORY_KINDS:
                continue
            whose = owner or (info.organization if info else "")
            whose = named_owner(fact, body, facts, section, names, _sentence_of(body, fact.start)) or whose
            updated = info.updated if info else ""
            entry = Entry(whose, fact.kind, fact.value.strip(), fact.normalized, fact.label, article, section, updated)
            found.setdefault((whose, fact.kind, fact.normalized, fact.label, article), entry)
    return sorted(found.values(), key=lambda e: (e.organization, DIRECTORY_KINDS.index(e.kind), e.line, e.article))


def _sentence_of(text: str, at: int) -> tuple[int, int]:
    """The span of the sentence (or table row) of ``text`` that holds position ``at``."""
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:line_end].lstrip().startswith("|"):
        return line_start, line_end
    for sentence in sentenize(text[line_start:line_end]):
        if line_start + sentence.start <= at < line_start + sentence.stop:
            return line_start + sentence.start, line_start + sentence.stop
    return line_start, line_end
