"""The extractive answerer: the sentences of the sources that answer the question, a lead that states
their facts, ``[n]`` marks, and the sources. No language model, and no word of fact that the sources
do not hold.

1. The retrieved passages (of the organisations the question names, if it names any) are cut into
   *units* (:mod:`hotline.answer.units`): sentences of prose, table rows, list items, each with what
   frames it (section heading, table header, the caption before a list, the sentence before).
2. Units are chosen by meaning: the sentence encoder compares each, in its frame, with the question (the
   names of the organisations asked about left out: once retrieval keeps to their passages, a name only
   pulls toward the sentences that repeat it). The question's qualifiers then order them, in points on
   the same scale (a cosine 0.05 lower costs a point): the kind of fact asked, the place asked or ruled
   out, the general line when no place is, the rank retrieval gave the passage, and two things of the
   text itself: a sentence of a question the source poses ("Вопрос: … Что делать?") or a lead-in whose
   list the source lost is never the answer, and a unit whose facts belong to another public body than
   the one asked about yields. These replace the 18 lexical weights the answerer had before.
3. For a fact (phone, e-mail, address, hours, law, price), the best unit holding one is quoted, with
   the units holding values the others lack (another source for the same line). A question asking for
   two kinds ("телефон? а ночью отвечают?") gets both, or is told which one the sources lack. For where
   to turn, the best units naming public bodies, one per body. For a prose answer, the best unit and
   those of its passage nearly as good; a lead-in brings the list it introduces.
4. The question is declined (``answered=False``) on evidence: it names an organisation or public body
   the sources do not cover; no passage is close to it in meaning (a threshold on the encoder's cosine,
   see ``Settings.similarity_floor``); it asks for a kind of fact (a price) no retrieved passage holds;
   or it asks for a contact without saying whose, and the best candidates are several organisations'
   (it is then asked which one it means).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from hotline.answer.owners import closest_names, each_member, own_units, owners_of
from hotline.answer.types import Answer, Citation, Draft, Fact, source_list
from hotline.answer.units import Unit, lemmas_of, units
from hotline.index.lexical import LexicalIndex
from hotline.index.passages import Passage
from hotline.index.view import SnapshotView
from hotline.language.facts import INTENT_KINDS, FactMention
from hotline.language.lexicon import lexicon
from hotline.language.morphology import contains_phrase, is_clause, is_place_name, lemma, words
from hotline.language.organizations import Directory
from hotline.search.query import Query
from hotline.wording import wording

FACT_KINDS = INTENT_KINDS  # the first intent of a question that has a kind of fact decides
CONTACT_KINDS = ("phone", "email", "url", "address", "hours")  # what a lead states when nothing else is asked
MUST_HOLD = {"phone", "email", "contact", "address", "hours", "price"}  # intents declined without such a fact
SIM_SCALE = 0.05  # a cosine this much below the closest unit's costs one point
RANK_PRIOR = 1.5  # points for the first retrieved passage over the last: retrieval read the whole passage
KIND_POINTS = 1.0  # the unit holds the kind of fact asked for
PLACE_POINTS = 1.0  # its fact is for the place asked (negative: for another, or one ruled out)
GENERAL_POINTS = 0.3  # with no place asked, the general line ("Все регионы", "единый")
CONFLICT_POINTS = 2.0  # its facts are another public body's than the one asked about
ASKING_POINTS = 3.0  # a sentence of a question the source poses, or a lead-in whose list the source lost
NEAR = 1.0  # units this many points below the best still count as nearly as good
MAX_QUOTES = 4
RESTATED = 0.9  # a unit with this share of its words in the lead is not quoted again
LABEL_CHARS = 60  # a longer "label" is a sentence, not the name of a line
ABBREVIATED = re.compile(r"(?<![^\W\d_])[^\W\d_]{1,3}\.$")  # ends on a short word with a dot: "пт.", "ул."


@dataclass(frozen=True)
class Scored:
    unit: Unit
    score: float


class ExtractiveAnswerer:
    """The :class:`~hotline.answer.Answerer` that quotes: no model, milliseconds, always available."""

    name = "extractive"

    def __init__(
        self, similarity: Callable[[str, Sequence[str]], list[float]] | None, min_similarity: float | None
    ) -> None:
        self.similarity = similarity
        self.min_similarity = min_similarity

    def answer(self, query: Query, passages: Sequence[Passage], view: SnapshotView) -> Iterator[Draft | Answer]:
        yield self.compose(query, passages, view)

    def compose(self, query: Query, passages: Sequence[Passage], view: SnapshotView) -> Answer:
        """The answer at once (the language-model answerer starts from it)."""
        return answer(
            query,
            passages,
            view.lexical,
            self.similarity,
            view.organizations.names,
            self.min_similarity,
            view.organizations.directory,
        )


def score_units(query: Query, found: Sequence[Unit], kinds: Sequence[str], sims: Sequence[float]) -> list[Scored]:
    """Units best first, in points: how close in meaning each is to the question (a cosine 0.05 below the
    closest unit costs a point), what retrieval thought of its passage, and what the question's
    qualifiers say: the kind of fact asked, the place asked or ruled out, the general line when no place
    is, and whose facts they are."""
    n = max((u.rank for u in found), default=0) + 1
    best = max(sims, default=0.0)
    scored = []
    for unit, sim in zip(found, sims, strict=True):
        score = (sim - best) / SIM_SCALE + RANK_PRIOR * (1 - unit.rank / n)
        if unit.quote.rstrip().endswith(":") and not _introduced(unit, found):
            score -= ASKING_POINTS  # a lead-in whose list the source lost ("Для этого необходимо:", nothing after)
        if query.subjects and not (query.subjects & (unit.lemmas | unit.context)):
            named = {f.normalized for f in unit.facts if f.kind == "authority"}
            if kinds and "authority" not in kinds and named - query.authorities:
                score -= CONFLICT_POINTS
        if kinds and unit.has(kinds):
            score += KIND_POINTS
        if query.places or query.excluded_places:
            score += PLACE_POINTS * _place_fit(unit, query, kinds)
        if not query.places and "phone" in kinds and any(_general(f.label) for f in unit.facts if f.kind == "phone"):
            score += GENERAL_POINTS
        if unit.asking:
            score -= ASKING_POINTS
        scored.append(Scored(unit, score))
    return sorted(scored, key=lambda s: (-s.score, s.unit.rank, s.unit.position))


def _place_fit(unit: Unit, query: Query, kinds: Sequence[str]) -> float:
    """1 when the unit's asked-for facts are labelled with the asked place (or the unit names it), -0.5
    when they are all labelled with other or ruled-out places, 0 otherwise."""
    labelled = [f for f in unit.facts if f.kind in kinds and f.label] if kinds else []
    if labelled:
        if query.places and any(_names_place(f.label, query.places) for f in labelled):
            return 1.0
        if all(_names_any_place(f.label) or _names_place(f.label, query.excluded_places) for f in labelled):
            return -0.5
        return 0.0
    return 1.0 if unit.lemmas & query.places else 0.0


def _general(label: str) -> bool:
    return bool(set(lemmas_of(label)) & lexicon().general)


def _names_place(text: str, places: frozenset[str]) -> bool:
    return bool(set(lemmas_of(text)) & places)


def _names_any_place(text: str) -> bool:
    places = lexicon().places
    return any(w in places or lemma(w) in places or is_place_name(w) for w in words(text))


def answer(
    query: Query,
    passages: Sequence[Passage],
    index: LexicalIndex,
    similarity: Callable[[str, Sequence[str]], list[float]] | None = None,
    covered: Sequence[str] = (),
    min_similarity: float | None = None,
    directory: Directory | None = None,
) -> Answer:
    """Compose the answer to ``query`` from ``passages`` (ranked), or decline.

    ``similarity`` gives the cosine of the question to each unit under the embedding model; without it
    units are ordered by their passage's rank and the question's qualifiers alone. ``directory`` says
    whose facts a row, item or sentence gives by the names it writes (see
    :meth:`hotline.language.organizations.Directory.owners_in`): an answer about X quotes none of
    another's, and none that the page marks as someone else's (an advert, a partner).
    """
    say = wording(query.language)
    if query.unknown_names:
        text = say["unknown_name"].format(name=query.unknown_names[0])
        nearest = closest_names(query.unknown_names[0], covered)
        if nearest:
            text += " " + say["covered"].format(names=", ".join(nearest))
        return Answer(body=text, answered=False)
    if query.partly_named and len(query.organizations) > 1:  # "Кедр" of «Кедр Банк» and «Кедр Мобайл»
        reply = partial(answer, index=index, similarity=similarity, min_similarity=min_similarity, directory=directory)
        return each_member(query, passages, reply) or Answer(
            body=say["which"].format(names=", ".join(sorted(query.organizations))), answered=False
        )
    # A public body the question names that no passage mentions: its number is not in the sources either.
    absent = [
        a for a in sorted(query.authorities) if not any(contains_phrase(p.heading + "\n" + p.text, a) for p in passages)
    ]
    if absent:
        return Answer(body=say["unknown_name"].format(name=absent[0]), answered=False)
    closest = max((p.similarity for p in passages if p.similarity is not None), default=None)
    if closest is not None and min_similarity is not None and closest < min_similarity:
        return Answer(body=say["no_answer"], answered=False)  # no passage speaks of anything like it
    fact_intents = [i for i in query.intents if i in FACT_KINDS]
    intent = fact_intents[0] if fact_intents else None
    kinds = FACT_KINDS.get(intent or "", ())
    also: tuple[str, ...] = ()  # a second kind of fact the question asks for: given too, or said missing
    # "Куда обратиться" asks for nothing more after a first kind: it means that kind or a contact (_where).
    second = [i for i in fact_intents[1:] if i != "where"]
    if second:
        also = tuple(k for k in FACT_KINDS[second[0]] if k not in kinds)
        kinds = (*kinds, *also)
    # A place the articles never name (Новосибирск) cannot pick among their numbers: the general one answers.
    query = replace(query, places=frozenset(p for p in query.places if index.knows(p)))
    if query.organizations:
        # A place in the name asked ("Нодоси Россия") is not the place asked.
        named = {w for name in query.organizations for w in lemmas_of(name)}
        query = replace(query, places=query.places - named)
    found = units(passages)
    if directory is not None:  # another's row, item or sentence is not quoted
        found = own_units(found, query.organizations, directory)
    if not found:
        return Answer(body=say["no_answer"], answered=False)
    # Once retrieval keeps to the organisations asked about, their names tell no sentence from another.
    sims = similarity(query.unnamed_text, [u.in_context for u in found]) if similarity else [0.0] * len(found)
    scored = score_units(query, found, kinds, sims)
    if intent == "where":  # a public body, or the company's own contact: whichever the sources say closer
        intent = _where(scored)
        kinds = FACT_KINDS[intent]
        scored = score_units(query, found, kinds, sims)
    if intent in MUST_HOLD and not any(s.unit.has(kinds) for s in scored[: MAX_QUOTES * 3]):
        return Answer(body=say["no_fact"].format(kind=say["kinds"][kinds[0]].lower()), answered=False)
    chosen = _choose(scored, kinds, query, found)
    if also and not any(u.has(also) for u in chosen):  # the second kind, from its best unit if nearly as good
        extra = next((s for s in scored if s.unit.has(also) and not s.unit.asking), None)
        if extra is not None and extra.score >= scored[0].score - 2 * NEAR:
            chosen = [*chosen, extra.unit]
    owners = owners_of(chosen, kinds, query, directory)
    if intent in MUST_HOLD and len(owners) > 1:  # one company's number given for another's is worse than none
        return Answer(body=say["which"].format(names=", ".join(owners)), answered=False)
    # Said missing only when no retrieved passage holds it: not when the quotes merely left it out.
    return _compose(query, chosen, kinds, say, also if not any(u.has(also) for u in found) else ())


def _where(scored: Sequence[Scored]) -> str:
    """ "Куда обратиться?" asks for a public body or for the company's own contact: "authority" when the
    best unit naming a body scores at least as high as the best unit giving a contact, else "contact"."""
    usable = [s for s in scored if not s.unit.asking]
    body = next((s.score for s in usable if s.unit.has(("authority",))), None)
    contact = next((s.score for s in usable if s.unit.has(FACT_KINDS["contact"] + ("address",))), None)
    return "contact" if body is None or (contact is not None and contact > body) else "authority"


def _choose(scored: list[Scored], kinds: Sequence[str], query: Query, found: Sequence[Unit]) -> list[Unit]:
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
        return _with_what_they_introduce(same, found)
    anchor = next((s for s in scored if s.unit.has(kinds)), best)
    if anchor.score < best.score - NEAR:
        anchor = best
    # The best unit too, when it is another and as good: it may say what the fact asked really is ("2420").
    chosen = list(dict.fromkeys([anchor.unit, *([best.unit] if best.score - anchor.score < NEAR / 2 else [])]))
    for candidate in scored:
        if len(chosen) >= MAX_QUOTES or candidate.score < anchor.score - 2 * NEAR:
            break
        unit = candidate.unit
        if unit not in chosen and unit.has(kinds) and _adds_fact(unit, chosen, kinds, query):
            chosen.append(unit)
    return _with_what_they_introduce(chosen, found)


INTRODUCED = 6  # list items or rows a lead-in ("Для этого необходимо:") brings along


def _introduced(unit: Unit, found: Sequence[Unit]) -> list[Unit]:
    """The list items or table rows right after a lead-in ("Для этого необходимо:") in its passage."""
    following = [u for u in found if u.passage.id == unit.passage.id and u.position > unit.position]
    items = []
    for item in following:
        if not item.is_item:
            break
        items.append(item)
    return items


def _with_what_they_introduce(chosen: list[Unit], found: Sequence[Unit]) -> list[Unit]:
    """``chosen`` with, after a lead-in, the list items or rows it introduces."""
    result: list[Unit] = []
    for unit in chosen:
        if unit not in result:
            result.append(unit)
        if unit.quote.rstrip().endswith(":"):
            result += [u for u in _introduced(unit, found)[:INTRODUCED] if u not in result]
    return result


def _adds_fact(unit: Unit, chosen: list[Unit], kinds: Sequence[str], query: Query) -> bool:
    """Whether ``unit`` has an asked-for fact for the asked place that the chosen units lack (a second
    source, perhaps disagreeing), or of an asked kind they have none of. It must be about whom the first
    source is: a question about Ozon Card does not collect the general line too."""
    # Beside the first source, in its section, a line need not repeat whose it is: "Из-за границы: …" under
    # "Горячая линия: …" is the same organisation's.
    beside = unit.passage.id == chosen[0].passage.id
    if not _subjects_in(chosen[0], query) <= _subjects_in(unit, query) or (
        query.subjects and not _subjects_in(unit, query) and not beside
    ):
        return False
    have = {f.normalized for u in chosen for f in u.facts if f.kind in kinds}
    new = [f for f in unit.facts if f.kind in kinds and f.normalized not in have]
    new = [f for f in new if not _names_place(f.label, query.excluded_places)]
    if query.places:
        # A kind asked that the quotes lack yet ("телефон и куда в Москве прийти": the phone) need not be
        # for the place, only not for another one: the place may qualify the other kind asked.
        lacking = {k for k in kinds if not any(u.has((k,)) for u in chosen)}
        return any(
            _names_place(f.label or unit.raw, query.places) or (f.kind in lacking and not _names_any_place(f.label))
            for f in new
        )
    return bool(new) and not any(_names_any_place(f.label) for f in new)


def _subjects_in(unit: Unit, query: Query) -> frozenset[str]:
    return query.subjects & (unit.lemmas | unit.context)


def _lead_facts(chosen: list[Unit], kinds: Sequence[str], query: Query) -> list[tuple[FactMention, Unit]]:
    """The facts the lead states: of the asked kind, and for phones and addresses, those for the asked
    place (or, with no place asked, those for no particular place)."""
    facts = [(f, u) for u in chosen for f in u.facts if f.kind in kinds]
    facts = [(f, u) for f, u in facts if not _names_place(f.label, query.excluded_places)] or facts
    if any(f.kind in ("phone", "address") for f, _ in facts):
        for_place = [(f, u) for f, u in facts if query.places and _names_place(f.label or u.raw, query.places)]
        general = [(f, u) for f, u in facts if not _names_any_place(f.label)]
        facts = for_place or general or facts
    return facts


def _compose(
    query: Query, chosen: list[Unit], kinds: Sequence[str], say: dict[str, Any], missing: Sequence[str] = ()
) -> Answer:
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
        for line in _lead([(f, u) for f, u in facts if f.kind == kind], numbers, query, say)
    ] or [say["quotes"]]
    if facts and missing and not any(f.kind in missing for f, _ in facts):
        lines.append(say["no_fact"].format(kind=say["kinds"][missing[0]].lower()))
    lines.append("")
    for unit in chosen:
        if not _restates(unit, lines):
            lines += [f"> {unit.quote} [{numbers[unit.passage.id]}]", ">"]
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
    lead = tuple(Fact(f.kind, f.value, f.normalized, u.passage.id) for f, u in facts)
    return Answer(
        body="\n".join(lines).strip(),
        answered=True,
        sources=source_list(citations, say["sources"]),
        facts=lead,
        citations=citations,
    )


def _restates(unit: Unit, lead: Sequence[str]) -> bool:
    """Whether the lead already says what ``unit`` says (an hours sentence stated whole, a table row as
    "label: value"): quoting it again would say the same thing twice."""
    said = re.findall(r"\w+", " ".join(lead).casefold())
    quoted = re.findall(r"\w+", unit.quote.casefold())
    return bool(quoted) and sum(w in said for w in quoted) >= RESTATED * len(quoted)


def _lead(
    facts: list[tuple[FactMention, Unit]], numbers: dict[str, int], query: Query, say: dict[str, Any]
) -> list[str]:
    """The lines that state the facts: one line for one value, else a list; for one place and several
    values, the list says that the sources disagree."""
    by_value: dict[str, list[tuple[FactMention, Unit]]] = {}
    for fact, unit in facts:
        by_value.setdefault(fact.normalized, []).append((fact, unit))
    if not by_value:
        return []

    def marks(mentions: list[tuple[FactMention, Unit]]) -> str:
        return "".join(f"[{n}]" for n in sorted({numbers[u.passage.id] for _, u in mentions}))

    kind = facts[0][0].kind
    if len(by_value) == 1:
        mentions = next(iter(by_value.values()))
        fact = mentions[0][0]
        # The passage's own label says which line it is ("Для Санкт-Петербурга"): it leads, and the quote
        # that would only repeat "label: value" is then left out (see _restates).
        named = say["labelled_lead"] and fact.label and len(fact.label) <= LABEL_CHARS and not is_clause(fact.label)
        label = fact.label if named else say["kinds"][kind]
        return [f"{label}: {_shown(fact)} {marks(mentions)}."]
    disagree = bool(query.places) and kind in ("phone", "address")
    lines = [say["disagree"] if disagree else f"{say['kinds_plural'][kind]}:"]
    for mentions in by_value.values():
        fact = mentions[0][0]
        label = f"{fact.label}: " if fact.label and len(fact.label) <= LABEL_CHARS else ""
        lines.append(f"- {label}{_shown(fact)} {marks(mentions)}")
    return lines


def _shown(fact: FactMention) -> str:
    """A fact as the lead shows it: authorities by their name, hours without a repeated "часы работы"."""
    if fact.kind == "authority":
        return fact.normalized
    value = fact.value.strip()
    if not ABBREVIATED.search(value):  # the sentence's full stop goes, an abbreviation's ("пт.", "д.") stays
        value = value.rstrip(".")
    return re.sub(r"^(?:часы работы|режим работы)\s*:?\s*", "", value, flags=re.IGNORECASE) or value
