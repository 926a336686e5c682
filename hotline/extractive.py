"""The extractive answerer: the sentences of the sources that answer the question, a lead that states
their facts, ``[n]`` marks, and the sources. No language model, and no word of fact that the sources
do not hold.

1. The retrieved passages are cut into *units*: sentences of prose, table rows, list items. Each unit
   keeps its context (section path, table header, the caption before a list, the sentence before) and
   its passage and article title, for matching.
2. Units are scored by how much of the question they cover (lemmas weighted by rarity; the question's
   subject counts more than the words that say how it is asked), their cosine to the question under
   the embedding model, whether they hold the kind of fact asked for, whether that fact is for the
   place asked about, whether they are about whom the question asks (and not another body), and their
   passage's rank.
3. For a fact (phone, e-mail, address, hours, law, price), the best unit holding one is quoted, with
   the units nearly as good that hold other values (another source for the same line). Their facts make
   the lead; when sources give different values for one place, each is given with its source. For a
   prose answer (how to, where to turn), the best unit is quoted with its passage.
4. The question is declined (``answered=False``) when it names something the articles never mention
   (another store), asks about a thing they never use a word for, or asks for a kind of fact (a price)
   that no retrieved passage holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from razdel import sentenize

from hotline.answer import Answer, Citation, Fact
from hotline.facts import INTENT_KINDS, FactMention, extract
from hotline.lexical import LexicalIndex
from hotline.lexicon import lexicon
from hotline.morphology import contains_phrase, is_place_name, lemma, words
from hotline.passages import SECTION_SEPARATOR, Passage
from hotline.prompts import load_yaml
from hotline.query import Query

FACT_KINDS = INTENT_KINDS  # the first intent of a question that has a kind of fact decides
CONTACT_KINDS = ("phone", "email", "url", "address", "hours")  # what a lead states when nothing else is asked
MUST_HOLD = {"phone", "email", "contact", "address", "hours", "price"}  # intents declined without such a fact
CONTEXT_WEIGHT = 0.6  # a word found in the section path, caption or previous sentence, against one in the unit
PASSAGE_WEIGHT = 0.3  # a word found elsewhere in the passage
ASKING_WEIGHT = 0.3  # words that say how the question is asked count for this much of its subject
DENSE_WEIGHT = 0.4  # cosine of unit and question under the embedding model: "регистрация" ~ "авторизованные"
FACT_BONUS = 0.35
PLACE_BONUS = 0.4
SUBJECT_BONUS = 0.3
CONFLICT_PENALTY = 0.5  # the unit is about another body than the one asked about
GENERAL_BONUS = 0.2  # with no (known) place asked, the general line ("Обычный", "Все регионы")
HEADING_WEIGHT = 0.3  # share of the section heading's words that the question asks about
PARENT_HEADING = 0.5  # a heading above the unit's own says less about it
PREFIX_WEIGHT = 0.5  # a word sharing its first five letters: aspect pairs ("закроют" / "закрывают")
RANK_BONUS = 0.15
ASKING_PENALTY = 0.5  # a sentence of a question the source poses is never the answer while others are at hand
NEAR_BEST = 0.75
SAME_PASSAGE = 0.6  # for prose answers: sentences of the best passage this close are quoted too
MAX_QUOTES = 4
WHOLE_PASSAGE_CHARS = 600
MIN_COVERAGE = 0.1
TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")


@dataclass(frozen=True)
class Unit:
    """A quotable piece of a passage and what it is scored by."""

    rank: int  # of its passage in the retrieved list, from 0
    position: int  # within the passage
    passage: Passage
    raw: str  # as in the passage (a table row keeps its pipes: labels are read from them)
    lemmas: frozenset[str]
    context: frozenset[str]  # section path, table header or list caption, and the sentence before
    around: frozenset[str]  # the rest of the passage, and the article's title
    facts: tuple[FactMention, ...]
    prefixes: frozenset[str]  # first five letters of its longer lemmas
    headings: tuple[frozenset[str], ...]  # what each heading above it is about (the title before any heading)
    asking: bool = False  # part of a question the source poses ("Вопрос: … Что делать?"), not an answer
    framing: str = ""  # the text that frames it: table header, list caption, or the sentence before

    @property
    def in_context(self) -> str:
        """What the encoder reads for it: where it stands (section), what frames it, and the unit."""
        where = self.passage.section.split(SECTION_SEPARATOR)[-1] + ". " if self.passage.section else ""
        return f"{where}{self.framing.strip()} {self.quote}".strip()

    @property
    def quote(self) -> str:
        text = self.raw.strip()
        if text.startswith("|"):
            text = " | ".join(cell.strip() for cell in text.strip("|").split("|"))
        return LIST_ITEM.sub("", text, count=1)

    def has(self, kinds: Sequence[str]) -> bool:
        return any(f.kind in kinds for f in self.facts)


@dataclass(frozen=True)
class Scored:
    unit: Unit
    score: float
    coverage: float


def texts(language: str) -> dict[str, Any]:
    wording: dict[str, dict[str, Any]] = load_yaml("extractive.yaml")
    return wording.get(language) or wording["ru"]


def units(passages: Sequence[Passage]) -> list[Unit]:
    """Every passage cut into sentences, table rows and list items, each with its context."""
    found: list[Unit] = []
    for rank, passage in enumerate(passages):
        headings = tuple(_heading(part) for part in passage.section.split(SECTION_SEPARATOR) if part.strip())
        headings = headings or (_heading(passage.title),)
        for raw, lemmas_, context, around, facts, asking, framing in _cut(passage.text, passage.section, passage.title):
            prefixes = frozenset(lem[:5] for lem in lemmas_ if len(lem) >= 6)
            found.append(
                Unit(
                    rank, len(found), passage, raw, lemmas_, context, around, facts, prefixes, headings, asking, framing
                )
            )
    return found


@lru_cache(maxsize=4096)
def _cut(
    text: str, section: str, title: str
) -> tuple[tuple[str, frozenset[str], frozenset[str], frozenset[str], tuple[FactMention, ...], bool, str], ...]:
    """The units of one passage text (cached: the same passages come back for many questions)."""
    heading = set(_lemmas(section.replace(SECTION_SEPARATOR, " ")))
    everything = frozenset(_lemmas(text)) | heading | frozenset(_lemmas(title))
    pieces: list[tuple[str, str, bool]] = []
    caption = ""
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line.strip()]
        if lines and all(line.lstrip().startswith("|") for line in lines):
            header = lines[0] if len(lines) > 1 and TABLE_SEPARATOR.match(lines[1].strip()) else ""
            rows = [line for line in lines if line is not header and not TABLE_SEPARATOR.match(line.strip())]
            pieces += [(row, f"{caption} {header}", False) for row in rows]
        elif lines and all(LIST_ITEM.match(line) or line.startswith("  ") for line in lines):
            pieces += [(line, caption, False) for line in lines]
        else:
            sentences = [s.text for line in lines for s in sentenize(line)]
            # A paragraph that ends in a question poses one (an FAQ's "Вопрос: …"): a sentence encoder finds
            # it nearest to a question like it, but it is what the source was asked, not what it answers.
            posed = bool(sentences) and sentences[-1].rstrip().endswith("?")
            pieces += [
                (sentence, sentences[i - 1] if i else caption, posed or sentence.rstrip().endswith("?"))
                for i, sentence in enumerate(sentences)
            ]
        caption = block if block.rstrip().endswith(":") or len(block) <= 200 else ""
    cut = []
    for raw, context, asking in pieces:
        own = frozenset(_lemmas(raw))
        near = frozenset(heading | set(_lemmas(context)))
        cut.append((raw, own, near, everything, extract(raw), asking, context))
    return tuple(cut)


@lru_cache(maxsize=4096)
def _heading(text: str) -> frozenset[str]:
    """What a heading is about: its lemmas but function and generic words."""
    from hotline.morphology import is_function_word

    generic = lexicon().generic
    return frozenset(lem for w in words(text) if not is_function_word(w) and (lem := lemma(w)) not in generic)


def _lemmas(text: str) -> list[str]:
    """Lemmas of every word, and of the parts of hyphenated ones ("чат-поддержки"); Latin words also in
    Cyrillic ("OZON" is "озон"), as questions are normalised."""
    found = []
    for word in words(text):
        found.append(lemma(word))
        if "-" in word:
            found += [lemma(part) for part in word.split("-") if len(part) > 2]
        if word.isascii() and word.isalpha():
            found.append(_cyrillic(word))
    return found


@lru_cache(maxsize=20_000)
def _cyrillic(word: str) -> str:
    import cyrtranslit

    return lemma(str(cyrtranslit.to_cyrillic(word, "ru")))


def score_units(
    query: Query,
    found: Sequence[Unit],
    index: LexicalIndex,
    kinds: Sequence[str],
    similarity: Sequence[float] | None = None,
) -> list[Scored]:
    """Units best first. ``similarity`` is each unit's cosine to the question, when a model is at hand."""
    asking = lexicon().asking
    weights = {lem: w * index.idf(lem) * (ASKING_WEIGHT if lem in asking else 1.0) for lem, w in query.weights.items()}
    total = sum(weights.values()) or 1.0
    n = max((u.rank for u in found), default=0) + 1
    scored = []
    for i, unit in enumerate(found):
        matched = sum(_match(lem, unit) * w for lem, w in weights.items())
        coverage = matched / total
        score = coverage + RANK_BONUS * (1 - unit.rank / n)
        if similarity is not None:
            score += DENSE_WEIGHT * max(0.0, similarity[i])
        if kinds and unit.has(kinds):
            score += FACT_BONUS / 2 if kinds[0] == "authority" else FACT_BONUS
        if query.places or query.excluded_places:
            score += PLACE_BONUS * _place_fit(unit, query, kinds)
        if not query.places and "phone" in kinds and any(_general(f.label) for f in unit.facts if f.kind == "phone"):
            score += GENERAL_BONUS
        score += _subject_fit(unit, query, kinds, index.proper)
        score += HEADING_WEIGHT * _heading_fit(unit, query)
        if unit.asking:
            score -= ASKING_PENALTY
        scored.append(Scored(unit, score, coverage))
    return sorted(scored, key=lambda s: (-s.score, s.unit.rank, s.unit.position))


def _heading_fit(unit: Unit, query: Query) -> float:
    """How much of what one of the unit's headings is about the question asks: a section about delivery
    is a poor source for a question that never mentions delivery, however well its sentences match;
    "Общественная приёмная" under "В Роспотребнадзор" is a fair one for a question about Роспотребнадзор."""
    asked = set(query.weights) | {_cyrillic(w) for w in query.weights if w.isascii() and w.isalpha()}
    fits = [len(heading & asked) / len(heading) if heading else 0.0 for heading in unit.headings]
    return max([fits[-1], *(PARENT_HEADING * fit for fit in fits[:-1])])


def _match(lemma_: str, unit: Unit) -> float:
    if lemma_ in unit.lemmas:
        return 1.0
    if lemma_ in unit.context:
        return CONTEXT_WEIGHT
    if len(lemma_) >= 6 and lemma_[:5] in unit.prefixes:
        return PREFIX_WEIGHT
    return PASSAGE_WEIGHT if lemma_ in unit.around else 0.0


def _subject_fit(unit: Unit, query: Query, kinds: Sequence[str], names: frozenset[str]) -> float:
    """A bonus when the unit (or what frames it) names whom the question is about; a penalty when the
    unit's facts belong to another public body ("Общество защиты прав потребителей" for Роспотребнадзор),
    or when its passage never names whom the question asks about but names someone else. ``names`` are
    the lemmas the articles write as names."""
    if not query.subjects:
        return 0.0
    if query.subjects & (unit.lemmas | unit.context):
        return SUBJECT_BONUS
    if kinds and "authority" not in kinds:
        named = {f.normalized for f in unit.facts if f.kind == "authority"}
        if named - query.authorities:
            return -CONFLICT_PENALTY  # its facts are another public body's
    if query.subjects & unit.around:
        return SUBJECT_BONUS / 2
    if kinds and "authority" not in kinds:
        others = {n for n in (unit.lemmas | unit.context) & names if n not in lexicon().places and not is_place_name(n)}
        if others:
            return -CONFLICT_PENALTY  # its passage never names whom the question asks about, but names another
    return 0.0


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
    return bool(set(_lemmas(label)) & lexicon().general)


def _names_place(text: str, places: frozenset[str]) -> bool:
    return bool(set(_lemmas(text)) & places)


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
) -> Answer:
    """Compose the answer to ``query`` from ``passages`` (ranked), or decline.

    ``similarity`` gives the cosine of the question to each unit under the embedding model; without it
    units are compared by their words alone.
    """
    say = texts(query.language)
    if query.unknown_names:
        text = say["unknown_name"].format(name=query.unknown_names[0])
        if covered:
            text += " " + say["covered"].format(names=", ".join(covered))
        return Answer(text=text, answered=False)
    # A public body the question names that no passage mentions: its number is not in the sources either.
    absent = [
        a for a in sorted(query.authorities) if not any(contains_phrase(p.heading + "\n" + p.text, a) for p in passages)
    ]
    if absent:
        return Answer(text=say["unknown_name"].format(name=absent[0]), answered=False)
    closest = max((p.similarity for p in passages if p.similarity is not None), default=None)
    if closest is not None and min_similarity is not None and closest < min_similarity:
        return Answer(text=say["no_answer"], answered=False)  # no passage speaks of anything like it
    intent = next((i for i in query.intents if i in FACT_KINDS), None)
    kinds = FACT_KINDS.get(intent or "", ())
    # A place the articles never name (Новосибирск) cannot pick among their numbers: the general one answers.
    query = replace(query, places=frozenset(p for p in query.places if index.knows(p)))
    found = units(passages)
    cosines = similarity(query.text, [u.quote for u in found]) if similarity else None
    scored = score_units(query, found, index, kinds, cosines)
    if not scored or (intent not in MUST_HOLD and scored[0].coverage < MIN_COVERAGE):
        return Answer(text=say["no_answer"], answered=False)
    if intent in MUST_HOLD and not any(s.unit.has(kinds) for s in scored[: MAX_QUOTES * 3]):
        return Answer(text=say["no_fact"].format(kind=say["kinds"][kinds[0]].lower()), answered=False)
    chosen = _choose(scored, kinds, query)
    return _compose(query, chosen, kinds, say)


def _choose(scored: list[Scored], kinds: Sequence[str], query: Query) -> list[Unit]:
    """The units to quote, in order.

    For a question that asks for a kind of fact: the best unit that holds one (and the best unit
    overall, when that is another and nearly as good), then the units nearly as good with facts the
    others lack: another source, perhaps disagreeing. For a question whose answer may be prose (no kind
    of fact asked, or where to turn): the best unit with its passage, all of it when short.
    """
    best = scored[0]
    if not kinds or kinds[0] == "authority":
        passage = [s for s in scored if s.unit.passage.id == best.unit.passage.id and not s.unit.asking] or [best]
        if sum(len(s.unit.quote) for s in passage) > WHOLE_PASSAGE_CHARS:
            passage = [s for s in passage if s.score >= SAME_PASSAGE * best.score][:3]
        return sorted((s.unit for s in passage), key=lambda u: u.position)
    anchor = next((s for s in scored if s.unit.has(kinds)), best)
    if anchor.score < NEAR_BEST * best.score:
        anchor = best
    chosen = list(dict.fromkeys([anchor.unit, best.unit]))
    for candidate in scored:
        if len(chosen) >= MAX_QUOTES:
            break
        if candidate.unit in chosen or candidate.score < NEAR_BEST * anchor.score:
            continue
        if candidate.unit.has(kinds) and _adds_fact(candidate.unit, chosen, kinds, query):
            chosen.append(candidate.unit)
    return chosen


def _adds_fact(unit: Unit, chosen: list[Unit], kinds: Sequence[str], query: Query) -> bool:
    """Whether ``unit`` has an asked-for fact for the asked place that the chosen units lack (a second
    source, perhaps disagreeing). It must be about whom the first source is: a question about Ozon Card
    does not collect the general line too."""
    if not _subjects_in(chosen[0], query) <= _subjects_in(unit, query) or (
        query.subjects and not _subjects_in(unit, query)
    ):
        return False
    have = {f.normalized for u in chosen for f in u.facts if f.kind in kinds}
    new = [f for f in unit.facts if f.kind in kinds and f.normalized not in have]
    new = [f for f in new if not _names_place(f.label, query.excluded_places)]
    if query.places:
        return any(_names_place(f.label or unit.raw, query.places) for f in new)
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


def _compose(query: Query, chosen: list[Unit], kinds: Sequence[str], say: dict[str, Any]) -> Answer:
    numbers: dict[str, int] = {}  # passage id -> its [n]
    for unit in chosen:
        numbers.setdefault(unit.passage.id, len(numbers) + 1)
    facts = _lead_facts(chosen, kinds, query)
    if not facts:  # nothing of the kind asked: state the first kind of contact the quotes give
        given = [CONTACT_KINDS.index(f.kind) for u in chosen for f in u.facts if f.kind in CONTACT_KINDS]
        facts = _lead_facts(chosen, (CONTACT_KINDS[min(given)],), query) if given else []
    lines = _lead(facts, numbers, query, say) or [say["quotes"]]
    lines.append("")
    for unit in chosen:
        lines += [f"> {unit.quote} [{numbers[unit.passage.id]}]", ">"]
    lines[-1] = ""
    cited = {u.passage.id: u.passage for u in chosen}
    lines += [say["sources"], *(f"[{n}] {cited[pid].heading}" for pid, n in numbers.items())]
    citations = tuple(
        Citation(
            n=n,
            passage_id=pid,
            article=cited[pid].article,
            title=cited[pid].title,
            section=cited[pid].section,
            quote=" … ".join(u.quote for u in chosen if u.passage.id == pid),
        )
        for pid, n in numbers.items()
    )
    lead = tuple(Fact(f.kind, f.value, f.normalized, u.passage.id) for f, u in facts)
    return Answer(text="\n".join(lines).strip(), answered=True, facts=lead, citations=citations)


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
        return [f"{say['kinds'][kind]}: {_shown(mentions[0][0])} {marks(mentions)}."]
    disagree = bool(query.places) and kind in ("phone", "address")
    lines = [say["disagree"] if disagree else f"{say['kinds_plural'][kind]}:"]
    for mentions in by_value.values():
        fact = mentions[0][0]
        label = f"{fact.label}: " if fact.label and len(fact.label) <= 60 else ""
        lines.append(f"- {label}{_shown(fact)} {marks(mentions)}")
    return lines


def _shown(fact: FactMention) -> str:
    """A fact as the lead shows it: authorities by their name, hours without a repeated "часы работы"."""
    if fact.kind == "authority":
        return fact.normalized
    value = fact.value.strip().rstrip(".")
    return re.sub(r"^(?:часы работы|режим работы)\s*:?\s*", "", value, flags=re.IGNORECASE) or value
