"""How a word is written when it is a name: capitalised inside a sentence, Latin, an abbreviation, a
word no dictionary has; and the words that are never a company's (places, public bodies) or that mark a
contact as someone else's. The rules are about how Russian writes names; nothing lists an organisation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from hotline.language.lexicon import lexicon
from hotline.language.morphology import _parses, is_dictionary_word, is_function_word, is_place_name, lemmas, top_parse
from hotline.language.names import CYRILLIC, LATIN, Token, forms, nominative, normal, to_cyrillic, tokens

QUOTED = re.compile(r"«([^«»]{2,60})»")
CONTACT_LINE = re.compile(r"\d{3}|@")  # a line that may give a phone, a short number or an e-mail


def is_name(token: Token, english: bool, known_words: frozenset[str], written: bool = False) -> bool:
    """Whether a word is written as a name: Latin or capitalised inside a sentence, an abbreviation, or
    a word that neither the dictionary nor the articles know (unless ``written``: only how it is written
    counts, as in a title). Places and public bodies are not."""
    raw, word = token.text, token.text.casefold().replace("ё", "е")
    if len(word) < 2 or word.isdigit() or is_function_word(word):
        return False
    lex = lexicon()
    if place_or_body(word):
        return False
    if LATIN.match(raw):
        if word in lex.english or word in lex.english_stopwords:
            return False
        cyrillic = to_cyrillic(word)
        if cyrillic in known_words or is_dictionary_word(cyrillic):
            return not english and raw[:1].isupper() and not token.start  # "Ozon" in a Russian sentence
        return raw.isupper() or (raw[:1].isupper() and not token.start) or not english
    if not CYRILLIC.search(word):
        return False
    if raw.isupper() and len(raw) >= 2:
        return True
    if raw[:1].isupper() and not token.start:
        return True
    if written:
        return False
    tag = top_parse(word).tag
    if {"Name", "Surn", "Orgn", "Trad"} & set(str(tag).replace(" ", ",").split(",")):
        return True
    return word not in known_words and not is_dictionary_word(word)


@lru_cache(maxsize=1)
def authority_words() -> frozenset[str]:
    return frozenset(f for name in lexicon().authorities for w in name.split() for f in lemmas(w.casefold()))


def place_or_body(word: str) -> bool:
    """A place ("москве", "питер") or a word of a public body's name: never a company's name."""
    places = lexicon().places
    return word in places or bool(lemmas(word) & places.keys()) or is_place_name(word) or is_authority(word)


def is_authority(word: str) -> bool:
    return bool(lemmas(word) & authority_words()) and word not in {"центр", "общество", "служба", "банк"}


def name_runs(text: str, known_words: frozenset[str], written: bool = False) -> list[str]:
    """Runs of consecutive name-like words in ``text``, as written."""
    typed = tokens(text)
    english = sum(bool(LATIN.match(t.text)) for t in typed) > len(typed) / 2
    runs: list[list[str]] = [[]]
    for token in typed:
        if is_name(token, english, known_words, written):
            runs[-1].append(token.text)
        elif runs[-1]:
            runs.append([])
    return [" ".join(run) for run in runs if run]


def marked_as_another(words: Sequence[str]) -> bool:
    """Whether a text marks its contact as someone else's: an advert, a partner, "не путайте"."""
    cues = lexicon().third_party
    return any(lemmas(w) & cues for w in words if w.isalpha())


def written_as_name(typed: Sequence[Token]) -> bool:
    if len(typed) == 1:  # a lone word: capitalised anyway, so only a word no dictionary has, or Latin
        word = typed[0].text
        tag = str(top_parse(normal(word)).tag)
        parts = [p for p in normal(word).split("-") if p]  # "Контакт-центр": words of the language
        unknown = not all(is_dictionary_word(p) for p in parts) or "Orgn" in tag or "Trad" in tag
        english = bool(LATIN.match(word)) and word.casefold() in lexicon().english
        return sum(ch.isalpha() for ch in word) >= 3 and unknown and not english
    return any(is_name(t, False, frozenset(), written=True) for t in typed)


def unheard(word: str, known_words: frozenset[str]) -> bool:
    """A word that could name something: not a function word, number, place, public body or a word of how
    questions are asked, and in no form a word of the articles."""
    if len(word) < 3 or not word.isalpha() or is_function_word(word):
        return False
    found = forms(word)  # the word itself among them
    if found & lexicon().asking or place_or_body(word):
        return False
    return not found & known_words


def _as_quoted(word: str) -> str:
    """A quoted word as its nominative only when it cannot be one: a quote mostly keeps a name's own form
    («Индул Телеком», «Фофов и партнёры»), and a guess at an unknown word's case ("Фофов" as a genitive
    plural) or a rare reading of a known one ("Телеком" as "телек") would break it."""
    if not CYRILLIC.search(word) or not is_dictionary_word(word.casefold()):
        return word
    return word if any(p.tag.case == "nomn" for p in _parses(word.casefold())) else nominative(word)


def quoted_names(text: str) -> list[str]:
    """The names ``text`` writes «in quotes», in the nominative: a quoted phrase with a word written as a
    name (in quotes a capital counts anywhere), not a quoted phrase of the language («Горячая линия»)."""
    found = []
    for quoted in QUOTED.findall(text):
        words = [replace(t, start=False) for t in tokens(quoted)]
        if any(is_name(t, False, frozenset(), True) for t in words):
            typed = quoted.split()
            # Its first word in the nominative makes the rest its dependents, written as they are
            # («Жилинспекция Приозёрной области»).
            found.append(quoted if _as_quoted(typed[0]) == typed[0] else " ".join(_as_quoted(w) for w in typed))
    return found


def appositive_names(text: str, known_words: frozenset[str]) -> list[str]:
    """Ordinary words ``text`` uses as a name beside a kind of organisation, capitalised: "Лента" of
    "лента гипермаркет", "пятерочка" of "номер магазина пятерочка", "открытие" of "банк открытие".
    A name beside its kind stays in the nominative whatever the kind's case, so a noun that can only be
    nominative there (not the kind's genitive dependent: "магазин одежды") names the organisation, even in
    lower case and even when the dictionary has it. Words the articles use, places, and words of how a
    question is asked are not taken (see :func:`unheard`): "служба поддержка" is only typed carelessly."""
    typed = tokens(text)
    kinds = lexicon().kinds
    found = []
    for i, token in enumerate(typed):
        if not lemmas(token.text.casefold()) & kinds:
            continue
        kind_nominative = _can_be(token.text, "nomn")
        for j in (i - 1, i + 1):
            if not 0 <= j < len(typed) or (j < i and not kind_nominative):
                continue
            word = typed[j].text.casefold().replace("ё", "е")
            if (
                CYRILLIC.search(word)
                and not lemmas(word) & kinds
                and _can_be(word, "nomn", noun=True)
                and not _can_be(word, "gent")
                and unheard(word, known_words)
            ):
                raw = typed[j].text
                found.append(raw[:1].upper() + raw[1:])  # as a name is written: «Лента»
    return list(dict.fromkeys(found))


def _can_be(word: str, case: str, noun: bool = False) -> bool:
    """Whether some reading of ``word`` is in ``case`` (a noun's, when ``noun``)."""
    return any(p.tag.case == case and (not noun or p.tag.POS == "NOUN") for p in _parses(word.casefold()))
