"""Russian words reduced to their dictionary forms, so that matching ignores inflection.

"Роспотребнадзора", "в Роспотребнадзор" and "Роспотребнадзору" all name Роспотребнадзор; "в прокуратуру"
names прокуратура. pymorphy3 gives every possible parse of a word; we keep the set of their normal forms,
so an ambiguous form ("суда": суд or судно) matches any of its readings instead of betting on one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from razdel import tokenize


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def words(text: str) -> list[str]:
    """razdel tokens that are words or numbers (punctuation dropped), case-folded, ё as е."""
    return [t.text.casefold().replace("ё", "е") for t in tokenize(text) if any(ch.isalnum() for ch in t.text)]


def _parses(word: str) -> list[Any]:
    try:
        return list(_analyzer().parse(word))
    except ValueError:  # pymorphy3 asks unicodedata for each letter's name; unassigned code points have none
        return list(_analyzer().parse("".join(ch for ch in word if ch.isascii() or _named(ch)) or "_"))


def _named(ch: str) -> bool:
    import unicodedata

    return bool(unicodedata.name(ch, ""))


@lru_cache(maxsize=200_000)
def lemmas(word: str) -> frozenset[str]:
    """All dictionary forms a (case-folded) word may have, and the word itself."""
    forms = {parse.normal_form.replace("ё", "е") for parse in _parses(word)}
    return frozenset(forms | {word})


@lru_cache(maxsize=200_000)
def top_parse(word: str) -> Any:
    """pymorphy3's most likely parse of a (case-folded) word."""
    return _parses(word)[0]


def lemma(word: str) -> str:
    """The most likely dictionary form of a (case-folded) word."""
    return str(top_parse(word).normal_form).replace("ё", "е")


def is_function_word(word: str) -> bool:
    """Prepositions, conjunctions, particles, interjections, pronouns: words that carry no subject."""
    return top_parse(word).tag.POS in {"PREP", "CONJ", "PRCL", "INTJ", "NPRO"}


PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})


@lru_cache(maxsize=200_000)
def is_common_word(word: str) -> bool:
    """Whether the dictionary has this form as a word of the language, not only as a person's or place's
    name: "Белина" (a first name) may be a brand's misspelling, "замер" is a word people write."""
    return is_dictionary_word(word) and any(not (PROPER & set(p.tag.grammemes)) for p in _parses(word))


def is_noun(word: str) -> bool:
    """Whether the dictionary reads ``word`` first as a noun ("лавка"; not "позвонить", "срочно")."""
    return is_dictionary_word(word) and top_parse(word).tag.POS == "NOUN"


def is_clause(text: str) -> bool:
    """Whether ``text`` says something (has a verb: "должны обратиться") rather than names something
    ("для Санкт-Петербурга", "горячая линия")."""
    return any(top_parse(w).tag.POS in {"VERB", "INFN"} for w in words(text))


def is_place_name(word: str) -> bool:
    """A toponym by pymorphy3's dictionary ("Новосибирска", "Москвы"); not a word it only guesses at (an
    invented brand, "Ломму", is guessed a place by its ending)."""
    return "Geox" in top_parse(word).tag and is_dictionary_word(word)


@lru_cache(maxsize=200_000)
def is_dictionary_word(word: str) -> bool:
    """Whether pymorphy3's dictionary has this form (a misspelling usually is not)."""
    try:
        return bool(_analyzer().word_is_known(word))
    except ValueError:  # as in _parses
        return False


def phrase_starts(tokens: Sequence[frozenset[str]], phrase: str) -> Iterator[int]:
    """Where ``phrase`` starts in a text given as each word's :func:`lemmas`, in any inflection of each of
    its words ("в Общество защиты прав потребителей" holds "общество защиты прав потребителей")."""
    target = _phrase_lemmas(phrase)
    span = len(target)
    if span:
        yield from (i for i in range(len(tokens) - span + 1) if all(tokens[i + j] & target[j] for j in range(span)))


@lru_cache(maxsize=1024)
def _phrase_lemmas(phrase: str) -> tuple[frozenset[str], ...]:
    return tuple(lemmas(w) for w in words(phrase))


def contains_phrase(text: str, phrase: str) -> bool:
    """Whether ``text`` names ``phrase`` in any inflection (see :func:`phrase_starts`)."""
    return next(phrase_starts([lemmas(w) for w in words(text)], phrase), None) is not None
