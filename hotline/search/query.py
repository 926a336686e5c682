"""Understanding a question: what it asks for, about whom, and in which words the articles would say it.

People write "ozon telefon moskva", "номер для питера", "телефон озон кврты", "What is the Ozon support
phone number?". Before retrieval each word is brought to the form the articles use:

- Latin words: English ones become their Russian counterparts (lexicon); others are transliterated
  (cyrtranslit) and kept in Cyrillic when the articles or the dictionary know that form ("telefon" ->
  "телефон"), else kept as typed (a brand such as "Wildberries");
- misspelt words (in neither the articles nor pymorphy3's dictionary) become the closest word form of the
  articles, within one edit (two for long words);
- places written many ways ("Питер", "СПб", "Мск") gain the forms articles use.

The analysis also names the question's *intents* (phone, email, address, hours, law, authority,
procedure), its places, its *key lemmas* (what it is about, without the words that only say how it is
asked), the organisations it names (:mod:`hotline.language.organizations`), and the names in it that the corpus
does not cover (another store). A word the articles never use is not a reason to decline: the encoder
reads "утюг" and "номерок" for what they mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

from razdel import sentenize, tokenize

from hotline.index.lexical import LexicalIndex
from hotline.language.lexicon import lexicon
from hotline.language.morphology import is_function_word, is_place_name, lemma
from hotline.language.names import nominative, tokens
from hotline.language.organizations import Directory, Mention
from hotline.search.words import Term, cyrillic_terms, latin_terms, recognised

if TYPE_CHECKING:
    from hotline.reader import Reading

LATIN = re.compile(r"^[a-z][a-z0-9'’-]*$")
CYRILLIC = re.compile(r"[а-яё]")
SYNONYM_WEIGHT = 0.3  # how much a synonym counts in BM25 against the word the question used
CONTEXT_WEIGHT = 0.5  # how much a word of a sentence that does not ask counts
NEGATIONS = {"не", "кроме", "except", "not"}
POSTAL = {"почте", "почтой", "почта"}


@dataclass(frozen=True)
class Query:
    text: str
    language: str  # "ru" or "en"
    terms: tuple[Term, ...]
    intents: tuple[str, ...]  # by precedence
    places: frozenset[str]  # lemmas of the places asked about, with their other spellings
    excluded_places: frozenset[str]  # lemmas of the places the question rules out
    subjects: frozenset[str]  # whom the question is about: names and public bodies ("озон", "роспотребнадзор")
    authorities: frozenset[str]  # public bodies the question names (canonical names)
    unknown_names: tuple[str, ...]  # names the articles never mention
    organizations: frozenset[str] = frozenset()  # the corpus's organisations the question names
    organization_surfaces: tuple[str, ...] = ()  # as the question writes them
    partly_named: bool = False  # only a family's own word is written ("Кедр"): several may be meant
    reading: Reading | None = None  # the trained reader's view (hotline.search.reading), once it has read
    excluded_kinds: frozenset[str] = frozenset()  # kinds of fact the question rules out ("не звонить")
    yesno: bool = False  # asks whether, with no question word ("Обязательно ли …?"): a yes or a no answers

    @cached_property
    def weights(self) -> dict[str, float]:
        """What BM25 matches: each lemma of the question and its synonyms, with its weight."""
        weights: dict[str, float] = {}
        for term in self.terms:
            weights[term.lemma] = max(weights.get(term.lemma, 0.0), term.weight)
            for synonym in lexicon().synonyms.get(term.lemma, ()):
                weights.setdefault(synonym, SYNONYM_WEIGHT * term.weight)
        return weights

    @cached_property
    def lemmas(self) -> tuple[str, ...]:
        """Every term's lemma, once, in order."""
        return tuple(dict.fromkeys(t.lemma for t in self.terms))

    @cached_property
    def key_lemmas(self) -> tuple[str, ...]:
        """What the question is about: its lemmas without the words that only say how it is asked."""
        asking = lexicon().asking
        return tuple(lem for lem in self.lemmas if lem not in asking and not lem.isdigit())

    @property
    def unnamed_text(self) -> str:
        """The question without the names of the organisations it names: once retrieval keeps to their
        passages, the name no longer tells one sentence from another, and only pulls toward those that
        repeat it."""
        text = self.text
        for surface in self.organization_surfaces:
            text = re.sub(rf"(?<!\w){re.escape(surface)}(?!\w)", " ", text)
        return " ".join(text.split()) or self.text

    @property
    def intent(self) -> str | None:
        return self.intents[0] if self.intents else None


# A time word with a number says how long ("5 часов", "часов на 5", "2 суток"), not when something is open.
MEASURE = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:час|минут|сут|дн|недел)\w*|(?:час|минут|сут|дн|недел)\w*\s+(?:на|через|за|по)?\s*\d+",
    re.IGNORECASE,
)


# A clause of what comes first ("Что подготовить, прежде чем жаловаться?"): it tells when, not what is asked.
BEFORE = re.compile(r"(?<!\w)(?:прежде\s+чем|перед\s+тем\s*,?\s*как|до\s+того\s*,?\s*как|before)(?!\w)[^,;:?!.]*", re.I)


def analyze(text: str, index: LexicalIndex, directory: Directory) -> Query:
    """Normalise and analyse ``text`` against the vocabulary of ``index`` (the live articles) and the
    organisations of ``directory``."""
    lex = lexicon()
    terms: list[Term] = []
    # Question words ("куда", "когда") are function words to the dictionary, so no Term carries them, yet
    # "куда писать" asks where to turn: intents read them too, with whether their sentence asks.
    question_words: list[tuple[str, bool]] = []
    latin = english = 0
    sentences = list(sentenize(text))
    asking = [s for s in sentences if s.text.rstrip().endswith("?")] or sentences
    for sentence in sentences:
        asked = sentence in asking
        sentence_start = True
        previous = ""
        negation = False  # a "не" / "кроме" still waiting for the word it negates ("не для Москвы")
        measures = [(m.start(), m.end()) for m in MEASURE.finditer(sentence.text)]
        befores = [(m.start(), m.end()) for m in BEFORE.finditer(sentence.text)]
        for token in tokenize(sentence.text):
            raw = token.text
            if not any(ch.isalnum() for ch in raw):
                sentence_start = sentence_start or raw in {".", "!", "?", "…"}
                continue
            word = raw.casefold().replace("ё", "е")
            capitalised = raw[:1].isupper() and not sentence_start
            sentence_start = False
            prior = any(a <= token.start < b for a, b in befores)  # in "прежде чем …": it asks nothing
            negated = negation
            if word in NEGATIONS:
                negation = True
            elif not (is_function_word(word) or word in lex.english_stopwords):  # "not by phone"
                negation = False
            elif word in lex.question_words and not prior:
                question_words.append((word, asked))  # not the "как" of "перед тем как"
            by_post = word in POSTAL and (previous == "по" or word == "почтой")  # by post, not e-mail
            previous = word
            if LATIN.match(word):
                latin += 1
                english += word in lex.english or word in lex.english_stopwords
                found = latin_terms(raw, word, index)
            elif CYRILLIC.search(word):
                found = cyrillic_terms(raw, word, capitalised, index)
            else:  # numbers
                found = [Term(raw, word, word)]
            if by_post:
                found = [replace(t, by_post=True) for t in found] + [Term(raw, "почтовый", "почтовый", added=True)]
            if any(a <= token.start < b for a, b in measures):
                found = [replace(t, measure=True) for t in found]
            if prior:
                found = [replace(t, prior=True) for t in found]
            # A context sentence around the question counts half: "Заказ не приходит. Какой номер поддержки?",
            # and so does what comes first ("прежде чем жаловаться").
            asked_here = asked and not prior
            terms += [
                replace(
                    t,
                    asked=asked_here,
                    place=t.place and not negated,
                    excluded=t.place and negated,
                    negated=negated,
                    weight=t.weight * (1.0 if asked_here else CONTEXT_WEIGHT),
                )
                for t in found
            ]
    mentions = directory.mentions(text)
    if all(m.partial for m in mentions):  # "russian" of «Russian Post» is a word of «Российские железные дороги»
        mentions = _named_in_english(text, directory) or mentions
    # "почта" of "а почта электронная у Газпромбанка есть?": a word that asks names no one beside a name.
    asking = [m for m in mentions if " " not in m.surface.strip() and lemma(m.surface.casefold()) in lex.asking]
    if asking and len(asking) < len(mentions):
        mentions = [m for m in mentions if m not in asking]
    mentions = _without_alternatives(text, mentions)
    partly = bool(mentions) and all(m.partial for m in mentions)
    named = {w.casefold() for m in mentions for w in m.surface.split()}
    if mentions:  # an organisation's name is a name however it is typed ("озоне", "днс")
        terms = [replace(t, name=True) if t.surface.casefold() in named else t for t in terms]
    words_total = sum(1 for t in terms if not t.added) or 1
    language = "en" if latin >= max(2, 0.6 * words_total) and english >= 1 else "ru"
    # What is asked comes from the sentences that ask: "Дома холодно, курьер не приехал к выходным. Какой
    # у них телефон?" asks for a phone, not for hours.
    asks = {t.lemma for t in terms if not (t.negated or t.by_post or t.measure or t.prior) and t.asked}
    asks |= {w for w, asked in question_words if asked}
    everything = {t.lemma for t in terms if not (t.negated or t.by_post or t.measure or t.prior)}
    everything |= {w for w, _ in question_words}
    # The words of a name asked ("почты" of «Почта России») ask for nothing.
    naming = {t.lemma for t in terms if t.surface.casefold() in named}
    intents = lex.intents_of(asks - naming) or lex.intents_of(everything - naming)
    return Query(
        text=text,
        language=language,
        terms=tuple(terms),
        intents=intents,
        places=frozenset(t.lemma for t in terms if t.place),
        excluded_places=frozenset(t.lemma for t in terms if t.excluded),
        subjects=_subjects(terms, index),
        authorities=_authorities({t.lemma for t in terms}),
        unknown_names=()
        if mentions and not partly
        else (
            *directory.unknown_names(text, index.vocabulary | recognised(terms), mentions),
            *_new_possessor(text, index),
        ),
        organizations=frozenset(m.organization for m in mentions),
        organization_surfaces=tuple(m.surface for m in mentions),
        partly_named=partly,
    )


# A clause that offers another organisation instead of the one asked: "Yota номер поддержки, или надо в
# МегаФон звонить?" asks Yota's number, wondering aloud about MegaFon.
ALTERNATIVE = re.compile(r"[,;:(—–-]\s*(?:или|либо|or)\b", re.IGNORECASE)
RULED_OUT = re.compile(r"(?<!\w)(?:не|кроме|not|except)\s*$", re.IGNORECASE)  # right before a name
JOINED = re.compile(r"[\s,;]*(?:и|или|либо|and|or)?[\s,;]*", re.IGNORECASE)  # names asked together ("МТС и Билайн")


def _without_alternatives(text: str, mentions: list[Mention]) -> list[Mention]:
    """The organisations asked about, without those an alternative question only offers in their place
    and those it rules out. "Телефон X, или лучше в Y позвонить?" is answered with X's line: Y written in a
    clause of its own that opens with "или" after X is named. Names listed together ("X или Y?") are both
    asked. "X, не Y" asks X's."""
    folded = text.casefold()
    spans = [(m, at, at + len(m.surface)) for m in mentions if (at := folded.find(m.surface.casefold())) >= 0]
    spans.sort(key=lambda span: span[1])
    # "Телефон сбермаркета, не мегамаркета": one ruled out beside one asked is not asked.
    ruled_out = [span for span in spans if RULED_OUT.search(folded[max(0, span[1] - 16) : span[1]])]
    if ruled_out and len(ruled_out) < len(spans) and len(spans) == len(mentions):
        spans = [span for span in spans if span not in ruled_out]
        mentions = [m for m, _, _ in spans]
    kept: list[Mention] = []
    end = -1
    for mention, start, stop in spans:
        between = folded[end:start] if kept and end <= start else ""
        offered = ALTERNATIVE.search(between) and not JOINED.fullmatch(between)
        if kept and offered and mention.organization not in {k.organization for k in kept}:
            continue
        kept.append(mention)
        end = stop
    return kept if kept and len(spans) == len(mentions) else mentions


# "А у ленты какой?": a follow-up that opens on whose it asks about now.
POSSESSOR = re.compile(r"^\s*(?:а|и|ну а)\s+у\s+([а-яё][а-яё-]+)", re.IGNORECASE)


def _new_possessor(text: str, index: LexicalIndex) -> tuple[str, ...]:
    """The one a follow-up asks about instead ("а у ленты какой?") when the articles never write it: written
    in lower case, a brand that is also a word of the language ("лента") is not read as a name, and the
    follow-up would be glued to the previous organisation. Not a pronoun ("а у них?"), a place, or a word
    the articles use ("а у курьеров?")."""
    found = POSSESSOR.match(text)
    if found is None:
        return ()
    word = found.group(1).casefold().replace("ё", "е")
    if is_function_word(word) or word in index.vocabulary or index.knows(lemma(word)) or is_place_name(word):
        return ()
    return (nominative(found.group(1)).capitalize(),)


def _named_in_english(text: str, directory: Directory) -> list[Mention]:
    """The organisations an English question names by their Russian name's words ("russian railways":
    «Российские железные дороги»): found in the question read word by word in Russian, in full only."""
    english = lexicon().english
    typed = [t.text for t in tokens(text)]
    if not any(w.casefold() in english for w in typed):
        return []
    rendered = " ".join(" ".join(english.get(w.casefold(), (w,))) for w in typed)
    return [m for m in directory.mentions(rendered) if m.strength == 2 and not m.partial]


def _authorities(lemmas: set[str]) -> frozenset[str]:
    """Public bodies named in the question (all words of the name present, in any form)."""
    from hotline.language.morphology import words

    return frozenset(name for name in lexicon().authorities if all(lemma(w) in lemmas for w in words(name)))


def _subjects(terms: list[Term], index: LexicalIndex) -> frozenset[str]:
    """The lemmas that say whom the question is about: names the articles use (written as names there
    or here) and public bodies; places aside."""
    authority_words = {lemma(w) for name in lexicon().authorities for w in name.casefold().split()}
    return frozenset(
        t.lemma
        for t in terms
        if not t.place
        and not t.excluded
        and (index.knows(t.lemma) or t.word in index.vocabulary)
        and (t.name or t.lemma in index.proper or t.lemma in authority_words)
    )
