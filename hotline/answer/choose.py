"""Which units an answer quotes, in order: the best holding the kind of fact asked, those adding a fact
the others lack, and the list a lead-in introduces (see :mod:`hotline.answer.extractive`).
"""

from __future__ import annotations

from collections.abc import Sequence

from hotline.answer.scoring import NEAR, Scored, gives, names_any_place, names_place
from hotline.answer.units import INTRODUCED, Unit, introduced
from hotline.language.facts import INTENT_KINDS
from hotline.search.query import Query

FACT_KINDS = INTENT_KINDS  # the first intent of a question that has a kind of fact decides
MAX_QUOTES = 4
WHOLE_LIST = 10  # a list of steps this long or shorter is quoted whole


def where(scored: Sequence[Scored]) -> str:
    """ "Куда обратиться?" asks for a public body or for the company's own contact: "authority" when the
    best unit naming a body scores at least as high as the best unit giving a contact, else "contact"."""
    usable = [s for s in scored if not s.unit.asking]
    body = next((s.score for s in usable if s.unit.has(("authority",))), None)
    contact = next((s.score for s in usable if s.unit.has(FACT_KINDS["contact"] + ("address",))), None)
    return "contact" if body is None or (contact is not None and contact > body) else "authority"


def choose(scored: list[Scored], kinds: Sequence[str], query: Query, found: Sequence[Unit]) -> list[Unit]:
    """The units to quote, in order.

    For where to turn: the best units that name public bodies, one per body. For a prose answer (no kind
    of fact asked): the best unit and those of its passage nearly as good. For a kind of fact: the best
    unit holding one (and the best unit overall when that is another and as good: it may say what the
    fact really is), then units with facts the others lack (another source, perhaps disagreeing). A
    lead-in brings the list it introduces."""
    best = scored[0]
    if kinds and kinds[0] == "authority":
        chosen: list[Unit] = []
        seen: set[str] = set()
        for candidate in scored:
            if candidate.score < best.score - 2 * NEAR or len(chosen) >= MAX_QUOTES:
                break
            new = {f.normalized for f in candidate.unit.facts if f.kind == "authority"} - seen
            if new and not candidate.unit.asking:
                chosen.append(candidate.unit)
                seen |= new
        if chosen:
            return chosen
    if not kinds or kinds[0] == "authority":
        same = [
            s.unit
            for s in scored
            if s.unit.passage.id == best.unit.passage.id and not s.unit.asking and s.score >= best.score - NEAR
        ][:3] or [best.unit]
        # Another passage's best unit as good as these: two sections answer, and the reader sees both.
        rival = next((s for s in scored if s.unit.passage.id != best.unit.passage.id and not s.unit.asking), None)
        if rival is not None and rival.score >= best.score - NEAR / 2:
            same = [*sorted(same, key=lambda u: u.position)[:2], rival.unit]
        else:
            same = sorted(same, key=lambda u: u.position)
        return with_whole_lists(with_what_they_introduce(same, found), found)
    # Not a line whose numbers the question writes itself ("0505 не набирается"): the person has it.
    anchor = next((s for s in scored if gives(s.unit, kinds, query)), best)
    if anchor.score < best.score - NEAR:
        anchor = best
    # The best unit too, when it is another and as good: it may say what the fact asked really is ("2420").
    chosen = list(dict.fromkeys([anchor.unit, *([best.unit] if best.score - anchor.score < NEAR / 2 else [])]))
    for candidate in scored:
        if len(chosen) >= MAX_QUOTES or candidate.score < anchor.score - 2 * NEAR:
            break
        unit = candidate.unit
        if candidate.for_others:  # another audience's line is another answer, not a second source
            continue
        if unit not in chosen and unit.has(kinds) and _adds_fact(unit, chosen, kinds, query):
            chosen.append(unit)
    return with_what_they_introduce(chosen, found)


def with_what_they_introduce(chosen: list[Unit], found: Sequence[Unit]) -> list[Unit]:
    """``chosen`` with, after a lead-in, the list items or rows it introduces."""
    result: list[Unit] = []
    for unit in chosen:
        if unit not in result:
            result.append(unit)
        if unit.quote.rstrip().endswith(":"):
            result += [u for u in introduced(unit, found)[:INTRODUCED] if u not in result]
    return result


def with_whole_lists(chosen: list[Unit], found: Sequence[Unit]) -> list[Unit]:
    """``chosen`` with each list it quotes an item of quoted whole, from its lead-in: a list of steps or of
    what to prepare means little cut to its best items. A list longer than :data:`WHOLE_LIST` keeps the
    items chosen."""
    result: list[Unit] = []
    for unit in chosen:
        if unit in result:
            continue
        items = _list_of(unit, found) if unit.list_marker else []
        if 1 < len(items) <= WHOLE_LIST:
            lead_in = _lead_in(items[0], found)
            result += [u for u in [*lead_in, *items] if u not in result]
        else:
            result.append(unit)
    return result


def _list_of(item: Unit, found: Sequence[Unit]) -> list[Unit]:
    """The list ``item`` stands in: the items around it in its passage, one after another."""
    siblings = {u.position: u for u in found if u.passage.id == item.passage.id}
    first = last = item.position
    while first - 1 in siblings and siblings[first - 1].list_marker:
        first -= 1
    while last + 1 in siblings and siblings[last + 1].list_marker:
        last += 1
    return [siblings[p] for p in range(first, last + 1)]


def _lead_in(first: Unit, found: Sequence[Unit]) -> list[Unit]:
    """The sentence that introduces a list ("Чтобы вернуть товар:"), when the unit before it is one."""
    before = next((u for u in found if u.passage.id == first.passage.id and u.position == first.position - 1), None)
    return [before] if before is not None and before.quote.rstrip().endswith(":") else []


def _adds_fact(unit: Unit, chosen: list[Unit], kinds: Sequence[str], query: Query) -> bool:
    """Whether ``unit`` has an asked-for fact for the asked place that the chosen units lack (a second
    source, perhaps disagreeing), or of an asked kind they have none of. It must be about whom the first
    source is: a question about Ozon Card does not collect the general line too."""
    # Beside the first source, in its section, a line need not repeat whose it is: "Из-за границы: …" under
    # "Горячая линия: …" is the same organisation's.
    beside = unit.passage.id == chosen[0].passage.id
    # With no one named, another organisation's line is not a second source: it is another answer.
    first, this = chosen[0].passage.organization, unit.passage.organization
    if not query.organizations and first and this and first != this:
        return False
    if not _subjects_in(chosen[0], query) <= _subjects_in(unit, query) or (
        query.subjects and not _subjects_in(unit, query) and not beside
    ):
        return False
    have = {f.normalized for u in chosen for f in u.facts if f.kind in kinds}
    new = [f for f in unit.facts if f.kind in kinds and f.normalized not in have]
    new = [f for f in new if not names_place(f.label, query.excluded_places)]
    if query.places:
        # A kind asked that the quotes lack yet ("телефон и куда в Москве прийти": the phone) need not be
        # for the place, only not for another one: the place may qualify the other kind asked.
        lacking = {k for k in kinds if not any(u.has((k,)) for u in chosen)}
        return any(
            names_place(f.label or unit.raw, query.places) or (f.kind in lacking and not names_any_place(f.label))
            for f in new
        )
    return bool(new) and not any(names_any_place(f.label) for f in new)


def _subjects_in(unit: Unit, query: Query) -> frozenset[str]:
    return query.subjects & (unit.lemmas | unit.context)
