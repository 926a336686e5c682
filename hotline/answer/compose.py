"""An answer written from the chosen units: a lead that states their facts, the quotes with ``[n]`` marks,
and the sources (see :mod:`hotline.answer.extractive`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from hotline.answer.scoring import names_any_place, names_place, written
from hotline.answer.types import Answer, Citation, Fact, source_list
from hotline.answer.units import Unit
from hotline.language.facts import FactMention
from hotline.language.morphology import is_clause
from hotline.language.ownership import SOMEONE_ELSE
from hotline.language.phones import dialled
from hotline.search.query import Query

CONTACT_KINDS = ("phone", "email", "url", "address", "hours")  # what a lead states when nothing else is asked
RESTATED = 0.9  # a unit with this share of its words in the lead is not quoted again
LABEL_CHARS = 60  # a longer "label" is a sentence, not the name of a line
LIST_MARK = re.compile(r"^(?:[-*+•]|\d{1,3}[.)])\s+")
ABBREVIATED = re.compile(r"(?<![^\W\d_])[^\W\d_]{1,3}\.$")  # ends on a short word with a dot: "пт.", "ул."


def _next_item(previous: Unit | None, unit: Unit) -> bool:
    """Whether ``unit`` is the list item right after ``previous`` in its passage."""
    return (
        previous is not None
        and previous.passage.id == unit.passage.id
        and previous.position + 1 == unit.position
        and previous.list_marker is not None
    )


def _lead_facts(chosen: list[Unit], kinds: Sequence[str], query: Query) -> list[tuple[FactMention, Unit]]:
    """The facts the lead states: of the asked kind, and for phones and addresses, those for the asked
    place (or, with no place asked, those for no particular place)."""
    facts = [(f, u) for u in chosen for f in u.facts if f.kind in kinds]
    facts = [(f, u) for f, u in facts if not names_place(f.label, query.excluded_places)] or facts
    facts = [(f, u) for f, u in facts if not written(f, query)] or facts
    if any(f.kind in ("phone", "address") for f, _ in facts):
        for_place = [(f, u) for f, u in facts if query.places and names_place(f.label or u.raw, query.places)]
        # The best unit's facts stay: scoring already preferred the general line, so a placed one first
        # won on what the question asks ("из-за границы" of a row "Из Москвы и из-за границы").
        general = [(f, u) for f, u in facts if u is chosen[0] or not names_any_place(f.label)]
        facts = for_place or general or facts
    return facts


Owner = Callable[[FactMention, Unit], str]  # whose a fact of a unit is ("" when no one's is known)


def passage_owner(fact: FactMention, unit: Unit) -> str:
    """Whose a fact is when nothing better is known: the organisation its passage is about."""
    return unit.passage.organization


def compose(
    query: Query,
    chosen: list[Unit],
    kinds: Sequence[str],
    say: dict[str, Any],
    missing: Sequence[str] = (),
    verdict: bool | None = None,
    owner: Owner = passage_owner,
) -> Answer:
    """The answer quoting ``chosen``; ``verdict``: the yes or no a quote says to a yes/no question, which
    leads a prose answer (:mod:`hotline.answer.yesno`); ``owner``: whose each fact is, which the lead
    says when the question names no one or the facts are several organisations'."""
    numbers: dict[str, int] = {}  # passage id -> its [n]
    for unit in chosen:
        numbers.setdefault(unit.passage.id, len(numbers) + 1)
    facts = [pair for kind in kinds for pair in _lead_facts(chosen, (kind,), query)]
    if not facts:  # nothing of the kind asked: state the first kind of contact the quotes give
        given = [CONTACT_KINDS.index(f.kind) for u in chosen for f in u.facts if f.kind in CONTACT_KINDS]
        facts = _lead_facts(chosen, (CONTACT_KINDS[min(given)],), query) if given else []
    lines = [
        line
        for kind in dict.fromkeys(f.kind for f, _ in facts)
        for line in lead([(f, u) for f, u in facts if f.kind == kind], numbers, query, say, owner)
    ] or [say["quotes"] if verdict is None else say["verdict_yes" if verdict else "verdict_no"]]
    if facts and missing and not any(f.kind in missing for f, _ in facts):
        lines.append(say["no_fact"].format(kind=say["kinds"][missing[0]].lower()))
    lines.append("")
    previous: Unit | None = None
    for unit in chosen:
        if restates(unit, lines):
            continue
        marker = unit.list_marker
        if marker is None:
            lines += [f"> {unit.quote} [{numbers[unit.passage.id]}]", ">"]
        else:  # a list's items stay a list, numbered as the source numbers them
            if _next_item(previous, unit):
                lines.pop()  # no break inside one list
            lines += [f"> {marker if marker[0].isdigit() else '-'} {unit.quote} [{numbers[unit.passage.id]}]", ">"]
        previous = unit
    if lines[-1] == ">":
        lines[-1] = ""
    cited = {u.passage.id: u.passage for u in chosen}
    citations = tuple(
        Citation(
            n=n,
            passage_id=pid,
            article=cited[pid].article,
            title=cited[pid].title,
            section=cited[pid].section,
            quote=" … ".join(u.quote for u in chosen if u.passage.id == pid),
            source=cited[pid].source,
            updated=cited[pid].updated,
        )
        for pid, n in numbers.items()
    )
    stated = tuple(Fact(f.kind, f.value, f.normalized, u.passage.id) for f, u in facts)
    return Answer(
        body="\n".join(lines).strip(),
        answered=True,
        sources=source_list(citations, say["sources"]),
        facts=stated,
        citations=citations,
    )


def restates(unit: Unit, lead: Sequence[str]) -> bool:
    """Whether the lead already says what ``unit`` says (an hours sentence stated whole, a table row as
    "label: value"): quoting it again would say the same thing twice."""
    said = re.findall(r"\w+", " ".join(lead).casefold())
    quoted = re.findall(r"\w+", unit.quote.casefold())
    return bool(quoted) and sum(w in said for w in quoted) >= RESTATED * len(quoted)


def lead(
    facts: list[tuple[FactMention, Unit]],
    numbers: dict[str, int],
    query: Query,
    say: dict[str, Any],
    owner: Owner = passage_owner,
) -> list[str]:
    """The lines that state the facts: one line for one value, else a list; for one place and several
    values, the list says that the sources disagree. Each says whose it is when the question names no one
    (a number whose owner is unsaid reads as the one the asker had in mind) or they are several's."""
    by_value: dict[str, list[tuple[FactMention, Unit]]] = {}
    for fact, unit in facts:
        by_value.setdefault(fact.normalized, []).append((fact, unit))
    if not by_value:
        return []

    def marks(mentions: list[tuple[FactMention, Unit]]) -> str:
        return "".join(f"[{n}]" for n in sorted({numbers[u.passage.id] for _, u in mentions}))

    kind = facts[0][0].kind
    # Only a contact is someone's line: a public body or a law named is itself the fact.
    unnamed = not (query.organizations or query.authorities) and kind in CONTACT_KINDS
    several = unnamed or len({owner(f, u) for f, u in facts}) > 1
    if len(by_value) == 1:
        mentions = next(iter(by_value.values()))
        fact = mentions[0][0]
        # The passage's own label says which line it is ("Для Санкт-Петербурга"): it leads, and the quote
        # that would only repeat "label: value" is then left out (see restates).
        label = fact.label if say["labelled_lead"] and _names_line(fact.label) else say["kinds"][kind]
        return [f"{_whose(label, owner(fact, mentions[0][1]), several)}: {_shown(fact)} {marks(mentions)}."]
    disagree = bool(query.places) and kind in ("phone", "address")
    lines = [say["disagree"] if disagree else f"{say['kinds_plural'][kind]}:"]
    for mentions in by_value.values():
        fact = mentions[0][0]
        named = fact.label if _names_line(fact.label) else ""
        if several:  # two organisations' lines, or no one's asked: each says whose
            named = _whose(named, owner(fact, mentions[0][1]), True)
        lines.append(f"- {named}: {_shown(fact)} {marks(mentions)}" if named else f"- {_shown(fact)} {marks(mentions)}")
    return lines


def _whose(label: str, whose: str, said: bool) -> str:
    """``label`` led by whose the line is, when that is to be ``said`` and the label does not say it."""
    if not said or not whose or whose == SOMEONE_ELSE or whose.casefold() in label.casefold():
        return label
    return f"{whose} · {label}" if label else whose


def _names_line(label: str) -> bool:
    """Whether a fact's label names its line ("Для Санкт-Петербурга"), not a sentence the value stood in."""
    return bool(label) and len(label) <= LABEL_CHARS and not is_clause(label)


def _shown(fact: FactMention) -> str:
    """A fact as the lead shows it: authorities by their name, hours without a repeated "часы работы"."""
    if fact.kind == "authority":
        return fact.normalized
    if fact.kind == "phone":  # in one form that dials when copied; the quote keeps the article's spelling
        return dialled(fact.normalized)
    value = LIST_MARK.sub("", fact.value.strip())  # a list item's hours are the item's text, less its marker
    if not ABBREVIATED.search(value):  # the sentence's full stop goes, an abbreviation's ("пт.", "д.") stays
        value = value.rstrip(".;")
    return re.sub(r"^(?:часы работы|режим работы)\s*:?\s*", "", value, flags=re.IGNORECASE) or value
