"""A question's words as the articles would write them: a Latin word in its Russian sense or Cyrillic
spelling, a shortened or misspelt word as the word meant, a place with its other spellings (see
:mod:`hotline.search.query`, which reads the question with them).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from hotline.index.lexical import LexicalIndex
from hotline.language.lexicon import lexicon, word_forms
from hotline.language.morphology import is_dictionary_word, is_function_word, is_place_name, lemma, top_parse


@dataclass(frozen=True)
class Term:
    """One word of the question: as typed, as the articles would write it, and what kind it is."""

    surface: str
    word: str
    lemma: str
    name: bool = False  # typed as a name: Latin, capitalised inside a sentence, or an organisation's name
    place: bool = False
    asked: bool = True  # in a sentence that asks (one ending in "?"), not in the context around it
    excluded: bool = False  # a place the question rules out ("не Москвы", "кроме СПб")
    negated: bool = False  # after "не": "не приходя лично" does not ask for an address
    added: bool = False  # a form added by normalisation (a place's other spelling, an English word's sense)
    by_post: bool = False  # "почта" in "по почте": matches the articles' "почта", but does not ask for e-mail
    measure: bool = False  # a time word with a number, how long ("часов на 5"): it does not ask for hours
    prior: bool = False  # in a clause of what comes first ("прежде чем жаловаться"): it asks for nothing
    weight: float = 1.0  # its weight in BM25 (synonyms count less than the words asked)


def latin_terms(raw: str, word: str, index: LexicalIndex) -> list[Term]:
    lex = lexicon()
    terms = []
    if word in index.vocabulary:  # the articles use it as is: "Ozon", "Card", "Premium"
        terms.append(Term(raw, word, word, name=True))
    if word in lex.english:  # its Russian words, as if typed (so "petersburg" is a place)
        return terms + [
            replace(t, added=True) for ru in lex.english[word] for t in cyrillic_terms(raw, ru, False, index)
        ]
    if word in lex.english_stopwords:
        return terms
    import cyrtranslit

    cyrillic = str(cyrtranslit.to_cyrillic(word, "ru"))
    if cyrillic not in index.vocabulary and not is_dictionary_word(cyrillic):
        cyrillic = correct(cyrillic, index)
    if cyrillic in index.vocabulary or is_dictionary_word(cyrillic):
        return terms + cyrillic_terms(raw, cyrillic, False, index)
    return terms or [Term(raw, word, word, name=True)]


def cyrillic_terms(raw: str, word: str, capitalised: bool, index: LexicalIndex) -> list[Term]:
    lex = lexicon()
    word = lex.shortened.get(word, word)
    if word not in index.vocabulary and not is_dictionary_word(word):
        word = correct(word, index)
    if is_function_word(word):
        return []
    base = lemma(word)
    spellings = lex.places.get(word) or lex.places.get(base)
    place = bool(spellings) or is_place_name(word)
    organisation = "Orgn" in top_parse(word).tag
    terms = [Term(raw, word, base, name=(capitalised or organisation) and not place, place=place)]
    for other in spellings or ():
        terms.append(Term(raw, other, lemma(other), place=True, added=True))
    return terms


def correct(word: str, index: LexicalIndex) -> str:
    """The closest known form to a misspelt ``word`` (one edit, two from seven letters), or ``word``.

    Known forms are the articles' words first, then every form of the lexicons' words (so "кврты" finds
    "карты" even when the articles only say "Card").
    """
    if word in index.vocabulary or len(word) < 4:
        return word
    limit = 1 if len(word) < 7 else 2
    for known in (index.vocabulary, word_forms()):
        matches = process.extract(word, known, scorer=Levenshtein.distance, score_cutoff=limit, limit=None)
        if matches:
            # The nearest; of equally near ones the first alphabetically. extractOne took the first in the
            # set's order, which changes with each process's string hashing: a brand's inflected form was
            # corrected to one of its forms in one process and another in the next (PYTHONHASHSEED), and
            # the same question's answer cited another page.
            return str(min(matches, key=lambda match: (match[1], match[0]))[0])
    return word


def recognised(terms: list[Term]) -> frozenset[str]:
    """Words of the question that analysis corrected ("роспотребнадзра", "кврты"): typos of words, not
    names."""
    return frozenset(
        t.surface.casefold().replace("ё", "е")
        for t in terms
        if not t.added and t.word != t.surface.casefold().replace("ё", "е")
    )
