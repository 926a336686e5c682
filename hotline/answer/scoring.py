"""Units scored for a question, in points: how close in meaning each is, what retrieval thought of its
passage, and what the question's qualifiers say (see :mod:`hotline.answer.extractive`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from hotline.answer.units import Unit, introduced, lemmas_of
from hotline.language.lexicon import lexicon
from hotline.language.mentions import FactMention
from hotline.language.morphology import is_place_name, lemma, words
from hotline.language.organizations import Directory
from hotline.reader.labels import QUALIFIERS
from hotline.search.query import Query

SIM_SCALE = 0.05  # a cosine this much below the closest unit's costs one point
RANK_PRIOR = 1.5  # points for the first retrieved passage over the last: retrieval read the whole passage
KIND_POINTS = 1.0  # the unit holds the kind of fact asked for
PLACE_POINTS = 1.0  # its fact is for the place asked (negative: for another, or one ruled out)
GENERAL_POINTS = 0.3  # with no place asked, the general line ("Все регионы", "единый")
CONFLICT_POINTS = 2.0  # its facts are another public body's than the one asked about
ASKING_POINTS = 3.0  # a sentence of a question the source poses, or a lead-in whose list the source lost
ECHO_POINTS = 0.5  # a line of the kind asked writes the question's own words (all of them; a share for some)
NOT_ASKED = 0.15  # a question the reader gives less than this for an audience does not ask about it
NAMED_PRODUCT = "named product"  # a line's audience: the users of a product named under a brand (extractive)
AUDIENCE_POINTS = 1.0  # its line is for whom the question asks about (negative: for someone it does not)
NEAR = 1.0  # units this many points below the best still count as nearly as good
# Whom each of several lines is for ("business", "abroad", "product"...; see hotline.reader), in their order.
Audiences = Callable[[Sequence[str]], list[frozenset[str]]]


@dataclass(frozen=True)
class Scored:
    unit: Unit
    score: float
    for_others: bool = False  # its line is for an audience the question does not ask about (see Audiences)


def score_units(
    query: Query,
    found: Sequence[Unit],
    kinds: Sequence[str],
    sims: Sequence[float],
    idf: Callable[[str], float] = lambda _: 1.0,
    lines: Sequence[frozenset[str]] | None = None,
) -> list[Scored]:
    """Units best first, in points: how close in meaning each is to the question (a cosine 0.05 below the
    closest unit costs a point), what retrieval thought of its passage, and what the question's
    qualifiers say: the kind of fact asked, the place asked or ruled out, the general line when no place
    is, and whose facts they are; among the lines of the kind asked, the one that writes the question's own
    words (weighed by ``idf``, so that "поддержка" tells little and "из-за границы" much). ``lines`` says
    whom each unit's line is for: a line for an audience the question does not ask about (Ozon Card's
    holders, legal entities) loses to the general one, and one for the audience it asks about wins."""
    n = max((u.rank for u in found), default=0) + 1
    best = max(sims, default=0.0)
    own = _own_words(query, idf)
    own_total = sum(own.values())
    asked, unasked = audiences_of(query)
    # The question's own words beside the names: a line that writes one of them is what the question asks.
    written_words = set(query.key_lemmas) - {t.lemma for t in query.terms if t.name or t.place or t.negated}
    scored = []
    for i, (unit, sim) in enumerate(zip(found, sims, strict=True)):
        audience = lines[i] if lines is not None else frozenset()
        score = (sim - best) / SIM_SCALE + RANK_PRIOR * (1 - unit.rank / n)
        if unit.quote.rstrip().endswith(":") and not introduced(unit, found):
            score -= ASKING_POINTS  # a lead-in whose list the source lost ("Для этого необходимо:", nothing after)
        if query.subjects and not (query.subjects & (unit.lemmas | unit.context)):
            named = {f.normalized for f in unit.facts if f.kind == "authority"}
            # Another body's line, when the question names one ("в Роспотребнадзор по какому телефону?"):
            # its number is that body's, not the one asked about.
            other = bool(named - query.authorities) and not (query.authorities and named & query.authorities)
            if kinds and other and ("authority" not in kinds or query.authorities):
                score -= CONFLICT_POINTS
        if kinds and gives(unit, kinds, query):
            score += KIND_POINTS  # not for the number the question itself writes ("0890 не набирается")
        if query.places or query.excluded_places:
            score += PLACE_POINTS * _place_fit(unit, query, kinds)
        if not query.places and "phone" in kinds and any(_general(f.label) for f in unit.facts if f.kind == "phone"):
            score += GENERAL_POINTS
        if unit.asking:
            score -= ASKING_POINTS
        if own_total and kinds and unit.has(kinds):
            score += ECHO_POINTS * sum(w for forms, w in own.items() if forms & unit.lemmas) / own_total
        echoed = bool(written_words & read_in_russian(unit.lemmas))  # "карты" asks for a Card's line
        # A product's line the question does not name ("Ozon Card") is for its users whatever the reader
        # reads, unless the question writes what the line is about ("credit card" beside "кредитных карт").
        for_others = not echoed and (NAMED_PRODUCT in audience or (bool(audience) and audience <= unasked))
        if audience and kinds and unit.has(kinds):
            score += AUDIENCE_POINTS if audience & asked else -AUDIENCE_POINTS if for_others else 0.0
        scored.append(Scored(unit, score, for_others))
    return sorted(scored, key=lambda s: (-s.score, s.unit.rank, s.unit.position))


def audiences_of(query: Query) -> tuple[frozenset[str], frozenset[str]]:
    """The audiences the question asks about, and those it surely does not (the reader reads "product"
    less surely than the rest: a product a question names, "Ozon Card", it gives 0.4 at times)."""
    if query.reading is None:
        return frozenset(), frozenset()
    p = query.reading.probabilities
    asked = query.reading.qualifiers
    unasked = frozenset(q for q in QUALIFIERS if p.get(f"qualifier:{q}", 0.0) < NOT_ASKED)
    return asked, unasked


@lru_cache(maxsize=4096)
def read_in_russian(lemmas: frozenset[str]) -> frozenset[str]:
    """A unit's lemmas with its English words' Russian senses ("card": "карта")."""
    english = lexicon().english
    return lemmas | {lemma(r) for w in lemmas if w in english for sense in english[w] for r in sense.split()}


def gives(unit: Unit, kinds: Sequence[str], query: Query) -> bool:
    """Whether ``unit`` holds a fact of the kinds asked that the question does not write itself."""
    return any(f.kind in kinds and not written(f, query) for f in unit.facts)


def written(fact: FactMention, query: Query) -> bool:
    """Whether the question writes this phone itself: the person has it already, so it answers nothing."""
    return fact.kind == "phone" and re.sub(r"\D", "", fact.value) in _numbers(query.text)


@lru_cache(maxsize=256)
def _numbers(text: str) -> frozenset[str]:
    return frozenset(re.sub(r"\D", "", n) for n in re.findall(r"\+?\d[\d\s()-]{1,16}\d", text))


def _own_words(query: Query, idf: Callable[[str], float]) -> dict[frozenset[str], float]:
    """The words that say what the question is about, each as its forms and its weight: not the names
    (retrieval kept to their passages), places (scored above), words ruled out, or those that only say
    how it asks ("как", "позвонить"). A table row that writes them ("из-за границы") answers it more
    surely than the encoder alone can tell of short rows that differ in one word. By word as typed: each
    of its senses ("abroad": "граница", "заграница") counts as the word, and its rarest sense weighs."""
    asking = lexicon().asking
    senses: dict[str, set[str]] = {}
    for t in query.terms:
        if t.name or t.place or t.excluded or t.negated or t.by_post:
            continue
        if len(t.lemma) > 2 and t.lemma not in asking and t.lemma not in query.subjects:
            senses.setdefault(t.surface.casefold(), set()).add(t.lemma)
    return {frozenset(forms): max(idf(f) for f in forms) for forms in senses.values()}


def _place_fit(unit: Unit, query: Query, kinds: Sequence[str]) -> float:
    """1 when the unit's asked-for facts are labelled with the asked place (or the unit names it), -0.5
    when they are all labelled with other or ruled-out places, 0 otherwise."""
    labelled = [f for f in unit.facts if f.kind in kinds and f.label] if kinds else []
    if labelled:
        if query.places and any(names_place(f.label, query.places) for f in labelled):
            return 1.0
        if all(names_any_place(f.label) or names_place(f.label, query.excluded_places) for f in labelled):
            return -0.5
        return 0.0
    return 1.0 if unit.lemmas & query.places else 0.0


def _general(label: str) -> bool:
    return bool(set(lemmas_of(label)) & lexicon().general)


def names_place(text: str, places: frozenset[str]) -> bool:
    return bool(set(lemmas_of(text)) & places)


def names_any_place(text: str) -> bool:
    places = lexicon().places
    return any(w in places or lemma(w) in places or is_place_name(w) for w in words(text))


def lines_for(
    found: Sequence[Unit], query: Query, audiences: Audiences | None, directory: Directory | None
) -> list[frozenset[str]] | None:
    """Whom each unit's line is for: the audiences the reader reads in it, and a product's users where it
    names one under the brand of its organisation or of the one asked ("Владельцы Ozon Card …") that the
    question does not name itself ("ozon card", "карта озона")."""
    if audiences is None:
        return None
    lines = audiences([u.in_context for u in found])
    if directory is None:
        return lines
    written = read_in_russian(frozenset(t.lemma for t in query.terms))
    whose = query.organizations
    return [
        line | {NAMED_PRODUCT}
        if _unasked_product(directory.products_in(u.raw), whose | {u.passage.organization}, written)
        else line
        for u, line in zip(found, lines, strict=True)
    ]


def _unasked_product(products: frozenset[tuple[str, str]], whose: frozenset[str], written: frozenset[str]) -> bool:
    return any(o in whose and not read_in_russian(frozenset({lemma(w.lower())})) & written for o, w in products)
