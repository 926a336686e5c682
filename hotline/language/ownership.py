"""Whose one fact is, read from where it stands: the one rule the fact directory and the answer's labels
share (see :mod:`hotline.directory.entries` for why it matters).

A company's article often gives a public body's number too ("Жалобу можно оставить по номеру телефона:
…" in its section "Жалоба в Роспотребнадзор"). So a fact belongs to the public body its label names; else
to the body or organisation its sentence names, nearest first; else to the body its section names (the
innermost heading first); else to the organisation the text is about (the caller's default).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from hotline.index.passages import SECTION_SEPARATOR
from hotline.language.facts import FactMention, extract
from hotline.language.organizations import ANOTHER, Directory

SOMEONE_ELSE = "—"  # the owner of a contact the page marks as another's without naming whose


def named_owner(
    fact: FactMention,
    text: str,
    facts: Sequence[FactMention],
    section: str,
    names: Directory,
    span: tuple[int, int] | None = None,
) -> str | None:
    """Whose ``fact`` of ``text`` is, when its label, its sentence (``span`` of ``text``, all of it by
    default) or its ``section`` says so; None when nothing there names anyone. ``facts``: ``text``'s."""
    if fact.kind == "authority":
        return None  # a public body named is where to turn, listed under whoever points there
    labelled = _bodies(extract(fact.label)) if fact.label else []
    if labelled:
        return labelled[0]
    start, end = span or (0, len(text))
    near = sorted(
        (f for f in facts if f.kind == "authority" and start <= f.start < end),
        key=lambda f: abs(f.start - fact.start),
    )
    if near:
        return near[0].normalized
    sentence = text[start:end]
    owners = names.owners_in(sentence)  # the one owner function the answerer and the guard use
    named = [m.organization for m in names.mentions(sentence) if m.organization in owners]
    named += sorted(owners - {ANOTHER} - set(named))
    if named:
        return named[0]
    if ANOTHER in owners:  # an advert's or a partner's line the page does not name: not the page's
        return SOMEONE_ELSE
    for heading in reversed(section.split(SECTION_SEPARATOR)):
        bodies = _bodies(extract(heading))
        if bodies:
            return bodies[0]
    return None


def _bodies(facts: Iterable[FactMention]) -> list[str]:
    return [f.normalized for f in facts if f.kind == "authority"]
