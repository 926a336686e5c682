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

Step 1 is :mod:`hotline.answer.units` (and :mod:`hotline.answer.owners` for whose each unit is), step 2
:mod:`hotline.answer.scoring`, step 3 :mod:`hotline.answer.choose` and :mod:`hotline.answer.compose` (what
to do beside a fact: :mod:`hotline.answer.steps`); this module decides between answering and declining and
runs the steps in order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

from hotline.answer.choose import (
    FACT_KINDS,
    MAX_QUOTES,
    choose,
    where,
)
from hotline.answer.compose import compose, passage_owner
from hotline.answer.owners import MEMBERS, closest_names, each_member, listed, own_units, owners_of
from hotline.answer.scoring import NEAR, Audiences, lines_for, score_units
from hotline.answer.steps import with_steps
from hotline.answer.types import Answer, Draft
from hotline.answer.units import Unit, lemmas_of, units, without_kinds
from hotline.answer.yesno import answered
from hotline.index.lexical import LexicalIndex
from hotline.index.passages import Passage
from hotline.index.view import SnapshotView
from hotline.language.channels import channels_in
from hotline.language.facts import FactMention
from hotline.language.lexicon import lexicon
from hotline.language.morphology import contains_phrase
from hotline.language.organizations import Directory
from hotline.language.ownership import named_owner
from hotline.search.query import Query
from hotline.wording import wording

Verify = Callable[[str, Sequence[str]], tuple[float, float] | None]  # hotline.verifier.check.Verification
MUST_HOLD = {"phone", "email", "contact", "address", "hours", "price"}  # intents declined without such a fact


class ExtractiveAnswerer:
    """The :class:`~hotline.answer.Answerer` that quotes: no model, milliseconds, always available."""

    name = "extractive"

    def __init__(
        self,
        similarity: Callable[[str, Sequence[str]], list[float]] | None,
        min_similarity: float | None,
        audiences: Audiences | None = None,
        verify: Verify | None = None,
    ) -> None:
        self.similarity = similarity
        self.min_similarity = min_similarity
        self.audiences = audiences
        self.verify = verify

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
            self.audiences,
            self.verify,
        )


def answer(
    query: Query,
    passages: Sequence[Passage],
    index: LexicalIndex,
    similarity: Callable[[str, Sequence[str]], list[float]] | None = None,
    covered: Sequence[str] = (),
    min_similarity: float | None = None,
    directory: Directory | None = None,
    audiences: Audiences | None = None,
    verify: Verify | None = None,
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
    # One member's answer, for a question about several: the same sources, the same directory.
    reply = partial(
        answer,
        index=index,
        similarity=similarity,
        min_similarity=min_similarity,
        directory=directory,
        audiences=audiences,
        verify=verify,
    )
    if len(query.organizations) > 1 and (query.partly_named or listed(query)):
        # "Кедр" of «Кедр Банк» and «Кедр Мобайл», or "телефоны МТС и Билайна": each one's answer under its
        # name, so that no number reads as another's.
        if (each := each_member(query, passages, reply)) is not None:
            return each
        if query.partly_named:
            return Answer(body=say["which"].format(names=", ".join(sorted(query.organizations))), answered=False)
    # A public body the question names that no passage mentions: its number is not in the sources either.
    absent = [
        a for a in sorted(query.authorities) if not any(contains_phrase(p.heading + "\n" + p.text, a) for p in passages)
    ]
    if absent:
        return Answer(body=say["unknown_name"].format(name=absent[0]), answered=False)
    reading = query.reading
    if reading is not None and reading.offtopic and not (query.organizations or query.authorities):
        return Answer(body=say["no_answer"], answered=False)  # a cake recipe, a vacuum cleaner to buy
    closest = max((p.similarity for p in passages if p.similarity is not None), default=None)
    if closest is not None and min_similarity is not None and closest < min_similarity:
        return Answer(body=say["no_answer"], answered=False)  # no passage speaks of anything like it
    fact_intents = [i for i in query.intents if i in FACT_KINDS]
    intent = fact_intents[0] if fact_intents else None
    kinds = FACT_KINDS.get(intent or "", ())
    also: tuple[str, ...] = ()  # a second kind of fact the question asks for: given too, or said missing
    # "Куда обратиться" asks for nothing more after a first kind: it means that kind or a contact (where).
    second = [i for i in fact_intents[1:] if i != "where"]
    if second:
        also = tuple(k for k in FACT_KINDS[second[0]] if k not in kinds)
        kinds = (*kinds, *also)
    kinds = _allowed(kinds, query)  # "только не звонить": a ruled-out channel does not answer
    also = tuple(k for k in also if k not in query.excluded_kinds)
    # A place the articles never name (Новосибирск) cannot pick among their numbers: the general one answers.
    query = replace(query, places=frozenset(p for p in query.places if index.knows(p)))
    if query.organizations:
        # A place in the name asked ("Нодоси Россия") is not the place asked.
        named = {w for name in query.organizations for w in lemmas_of(name)}
        query = replace(query, places=query.places - named)
    found = units(passages)
    if directory is not None:  # another's row, item or sentence is not quoted
        found = own_units(found, query.organizations, directory)
    if query.excluded_kinds:  # a line of a ruled-out channel alone answers nothing ("звонить не буду")
        found = [u for u in found if not (u.facts and all(f.kind in query.excluded_kinds for f in u.facts))]
    if not found:
        return Answer(body=say["no_answer"], answered=False)
    # "Кто генеральный директор Озона": about the organisation asked, but nothing a support article answers.
    # Neither the reader nor the words ask any kind of fact: the reader may find a typed-over question
    # off-topic too ("Как дозвиниться до Лифунки?"), whose words still ask for a phone.
    if reading is not None and reading.offtopic and not (reading.asks or fact_intents or query.authorities):
        return Answer(body=_declined(query, found, say, say["no_answer"]), answered=False)
    # A channel asked that no source writes ("номер факса Озона"): a phone line does not answer it.
    asked = channels_in(query.text, asked=True)
    written = channels_in("\n".join(u.raw for u in found)) if asked else []
    if lacking := [c for c in asked if c not in written]:
        kind = say.get("channels", {}).get(lacking[0], lacking[0])  # "fax" in an English answer
        return Answer(body=_declined(query, found, say, say["no_fact"].format(kind=kind)), answered=False)
    # Once retrieval keeps to the organisations asked about, their names tell no sentence from another.
    sims = similarity(query.unnamed_text, [u.in_context for u in found]) if similarity else [0.0] * len(found)
    lines = lines_for(found, query, audiences, directory) if kinds else None
    scored = score_units(query, found, kinds, sims, index.idf, lines)
    if intent == "where":  # a public body, or the company's own contact: whichever the sources say closer
        intent = where(scored)
        kinds = _allowed(FACT_KINDS[intent], query)
        if kinds and lines is None:  # whom a line is for does not depend on the kinds: read once
            lines = lines_for(found, query, audiences, directory)
        scored = score_units(query, found, kinds, sims, index.idf, lines if kinds else None)
    if intent in MUST_HOLD and not any(s.unit.has(kinds) for s in scored[: MAX_QUOTES * 3]):
        if not query.excluded_kinds:
            return Answer(body=say["no_fact"].format(kind=say["kinds"][kinds[0]].lower()), answered=False)
        # "Звонить не буду, куда написать?" and no e-mail: the way to write the sources tell (a chat, an
        # app) answers, not "no e-mail".
        # No line of a ruled-out channel is one of them ("900 | Короткий номер …" after "не по телефону").
        intent, kinds = None, ()
        scored = [
            s for s in score_units(query, found, kinds, sims, index.idf) if not s.unit.has(tuple(query.excluded_kinds))
        ]
        if not scored:
            return Answer(body=say["no_answer"], answered=False)
    chosen = choose(scored, kinds, query, found)
    if kinds and reading is not None and "steps" in reading.asks:
        chosen = with_steps(chosen, kinds, query, found, sims, index, directory)
    if also and not any(u.has(also) for u in chosen):  # the second kind, from its best unit if nearly as good
        extra = next((s for s in scored if s.unit.has(also) and not s.unit.asking), None)
        if extra is not None and extra.score >= scored[0].score - 2 * NEAR:
            chosen = [*chosen, extra.unit]
    if query.excluded_kinds:  # "без звонков": a sentence with the form and the phone is quoted without the phone
        chosen = [without_kinds(u, frozenset(query.excluded_kinds)) for u in chosen]
    # Whose line it is, among the best lines of the kind asked: chosen keeps to one organisation's, so a
    # second's nearly as good one says that the question did not say whose it wants ("телефон горячей
    # линии магазина" where the articles cover five stores). Only a question that names no one is asked.
    top = next((s.score for s in scored if s.unit.has(kinds)), 0.0)
    contenders = [s.unit for s in scored if s.unit.has(kinds) and s.score >= top - NEAR][:MAX_QUOTES]
    owners = owners_of([*chosen, *contenders], kinds, query, directory)
    if intent in MUST_HOLD and len(owners) > 1:  # one company's number given for another's is worse than none
        if len(owners) <= MEMBERS and _family_asked(owners, query):
            # "Служба жилищного надзора" of two regions' services: each one's line under its name.
            # Their names' words ask for nothing ("надзор" of «Служба жилищного надзора»).
            named = {w for name in owners for w in lemmas_of(name)}
            asks = lexicon().intents_of({t.lemma for t in query.terms if not t.negated} - named) or query.intents
            family = replace(query, organizations=frozenset(owners), partly_named=True, intents=asks)
            if (each := each_member(family, passages, reply)) is not None:
                return each
        return Answer(body=say["which"].format(names=", ".join(owners)), answered=False)
    # A yes/no question: the yes or no of the first quote that says one ("… не является обязательным").
    said = answered(query.text, frozenset(query.lemmas), [(u.quote, u.lemmas) for u in chosen]) if query.yesno else None
    # Whether what would be quoted answers at all: "номер факса Озона" is not answered by Ozon's phone line.
    checked = verify(query.text, [u.in_context for u in chosen]) if verify is not None and chosen else None
    if checked is not None and checked[0] < checked[1]:
        return Answer(body=_declined(query, found, say, say["no_answer"]), answered=False, support=checked[0])
    # Said missing only when no retrieved passage holds it: not when the quotes merely left it out.
    missing = also if not any(u.has(also) for u in found) else ()
    owner = partial(_owner, directory=directory) if directory is not None else passage_owner
    composed = compose(query, chosen, kinds, say, missing, said, owner)
    return replace(composed, support=checked[0] if checked else None)


HELD = ("phone", "email", "url", "address", "hours", "authority")  # what a decline says the sources hold


def _declined(query: Query, found: Sequence[Unit], say: dict[str, Any], lead: str) -> str:
    """The decline (``lead``), with the kinds of contact the sources do hold about the organisation asked."""
    if len(query.organizations) != 1:
        return lead
    (name,) = query.organizations
    own = [u for u in found if u.passage.organization == name]
    kinds = [say["kinds_plural"][k].lower() for k in HELD if any(u.has((k,)) for u in own)]
    if not kinds:
        return lead
    return f"{lead} {say['holds'].format(name=name, kinds=', '.join(kinds))}"


def _owner(fact: FactMention, unit: Unit, directory: Directory) -> str:
    """Whose a fact is by where it stands (:func:`hotline.language.ownership.named_owner`), else its
    passage's organisation: the lead says so when the question names no one."""
    return named_owner(fact, unit.raw, unit.facts, unit.passage.section, directory) or unit.passage.organization


def _allowed(kinds: tuple[str, ...], query: Query) -> tuple[str, ...]:
    """The kinds of fact asked without those the question rules out (all of them if it rules out all)."""
    return tuple(k for k in kinds if k not in query.excluded_kinds) or kinds


def _family_asked(owners: Sequence[str], query: Query) -> bool:
    """Whether the question writes a word of each one's name that says whose it is (not "телефон"), and
    no name of its own besides theirs ("rinkeg bank" is not «Dokuse Bank»'s family)."""
    asking = lexicon().asking
    written = {t.lemma for t in query.terms}
    names = [{w for w in lemmas_of(name) if w not in asking} for name in owners]
    theirs = set().union(*names)
    return all(n & written for n in names) and all(t.lemma in theirs for t in query.terms if t.name and not t.added)
