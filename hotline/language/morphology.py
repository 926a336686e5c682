"""Russian words reduced to their dictionary forms, so that matching ignores inflection.

"Роспотребнадзора", "в Роспотребнадзор" and "Роспотребнадзору" all name Роспотребнадзор; "в прокуратуру"
names прокуратура. pymorphy3 gives every possible parse of a word; we keep the set of their normal forms,
so an ambiguous form ("суда": суд or судно) matches any of its readings instead of betting on one.
"""

from __future__ import annotations

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


def is_clause(text: str) -> bool:
    """Whether ``text`` says something (has a verb: "должны обратиться") rather than names something
    ("для Санкт-Петербурга", "горячая линия")."""
    return any(top_parse(w).tag.POS in {"VERB", "INFN"} for w in words(text))


def is_place_name(word: str) -> bool:
    """A toponym by pymorphy3's dictionary ("Новосибирска", "Москвы")."""
    return "Geox" in top_parse(word).tag


@lru_cache(maxsize=200_000)
def is_dictionary_word(word: str) -> bool:
    """Whether pymorphy3's dictionary has this form (a misspelling usually is not)."""
    try:
        return bool(_analyzer().word_is_known(word))
    except ValueError:  # as in _parses
        return False


def contains_phrase(text: str, phrase: str) -> bool:
    """Whether ``text`` names ``phrase`` in any inflection ("в Общество защиты прав потребителей")."""
    target = [lemmas(w) for w in words(phrase)]
    if not target:
        return False
    tokens = [lemmas(w) for w in words(text)]
    span = len(target)
    return any(all(tokens[i + j] & target[j] for j in range(span)) for i in range(len(tokens) - span + 1))
