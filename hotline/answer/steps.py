"""What the sources say to do, beside the fact, when a question asks how as well as for a fact ("как
дозвониться до живого оператора?": the number, and that the menu heard to its end reaches a person): a
job of its own after the facts are chosen (:mod:`hotline.answer.extractive` calls it)."""

from __future__ import annotations

from collections.abc import Sequence

from hotline.answer.choose import with_what_they_introduce, with_whole_lists
from hotline.answer.scoring import score_units
from hotline.answer.units import Unit
from hotline.index.lexical import LexicalIndex
from hotline.language.lexicon import lexicon
from hotline.language.organizations import Directory
from hotline.search.query import Query

STEPS = 3  # prose quoted beside the facts of a question that asks how, at most this many units


def with_steps(
    chosen: list[Unit],
    kinds: tuple[str, ...],
    query: Query,
    found: Sequence[Unit],
    sims: Sequence[float],
    index: LexicalIndex,
    directory: Directory | None,
) -> list[Unit]:
    """``chosen`` with what the sources say to do, when the question asks how as well as for a fact ("как
    дозвониться до живого оператора?": the number, and that the menu heard to its end reaches a person):
    the prose unit closest to the question that states no fact, when it is closer to the question than
    the quotes that give the fact (as a prose answer scores them), and what follows it in its passage
    (the steps go on from there), or its whole list when it is a list's item and the list gives no other
    fact of the kinds asked. Nothing the page marks as someone else's (an advert) or names another
    organisation is a step: a typed-over "как позвонить" may read as asking how, and a page's menu
    ("Вход | Регистрация") is never closer than the line that answers."""
    others = lexicon().third_party
    prose = score_units(query, found, (), sims, index.idf)

    def step(unit: Unit) -> bool:
        named = directory.owners_in(unit.raw) - query.organizations if directory is not None else frozenset()
        row = unit.raw.lstrip().startswith("|")  # a table's row is a line of contacts, not a step
        return not (unit.facts or unit.asking or row or named or (unit.lemmas | unit.context) & others)

    best = next((s for s in prose if step(s.unit)), None)
    quoted = max((s.score for s in prose if s.unit in chosen), default=prose[0].score)
    if best is None or best.score < quoted:
        return chosen  # the fact's own quotes say it closer than any prose
    first = best.unit
    listed = with_whole_lists(with_what_they_introduce([first], found), found)
    if len(listed) > 1:  # a list's item or lead-in: the whole list, unless it gives facts not quoted
        if any(u.has(kinds) and u not in chosen for u in listed):
            return chosen  # the facts' own list ("можно: - в суд; - в МВД"), quoted in part by design
        block = listed
    else:
        after = {u.position: u for u in found if u.passage.id == first.passage.id}
        block = [first]
        while len(block) < STEPS and (unit := after.get(block[-1].position + 1)) is not None and step(unit):
            block.append(unit)
    return [*(u for u in chosen if u not in block), *block]
