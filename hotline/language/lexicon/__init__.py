"""Lexicons about the language of support questions, kept as YAML beside this file.

They say how people ask (English words for Russian ones, city nicknames, words that ask for a phone or
an address, names of public bodies), never what the answer is: no number, address or line of any store
lives here, so the answers always follow the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent


def _load(name: str) -> Any:
    return yaml.safe_load((HERE / f"{name}.yaml").read_text(encoding="utf-8"))


def _words(value: str) -> tuple[str, ...]:
    return tuple(str(value).casefold().split())


@dataclass(frozen=True)
class Lexicon:
    english: dict[str, tuple[str, ...]]  # English word -> Russian words
    english_stopwords: frozenset[str]
    places: dict[str, tuple[str, ...]]  # a way to write a place -> the forms articles use
    synonyms: dict[str, frozenset[str]]  # lemma -> its group
    intents: dict[str, tuple[frozenset[str], ...]]  # intent -> lemma sets that ask for it, by precedence
    authorities: tuple[str, ...]  # names of public bodies, longest first
    generic: frozenset[str]  # lemmas that never decide what a question is about
    general: frozenset[str]  # lemmas that mark a contact as the general one ("обычный", "все регионы")
    shortened: dict[str, str]  # a shortened or diminutive form as typed -> the word it stands for
    third_party: frozenset[str] = frozenset()  # lemmas marking a contact as another's (an advert, a partner)
    everyday_names: tuple[tuple[str, ...], ...] = ()  # a national public body's names, each group one body
    channels: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a channel's name -> its spellings
    kinds: frozenset[str] = frozenset()  # lemmas naming a kind of organisation ("гипермаркет", "банк")

    @cached_property
    def asking(self) -> frozenset[str]:
        """Lemmas that only say how a question is asked: intent words and generic ones (read per question
        and per word of a text, so built once)."""
        return frozenset(w for entries in self.intents.values() for entry in entries for w in entry) | self.generic

    @cached_property
    def question_words(self) -> frozenset[str]:
        """Words of the intent phrases that the dictionary takes for function words ("куда", "когда")."""
        from hotline.language.morphology import is_function_word

        return frozenset(w for entries in self.intents.values() for e in entries for w in e if is_function_word(w))

    def intents_of(self, lemmas: set[str]) -> tuple[str, ...]:
        """The intents whose words (all words, for a phrase) occur among ``lemmas``, by precedence."""
        return tuple(name for name, entries in self.intents.items() if any(entry <= lemmas for entry in entries))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    synonyms: dict[str, frozenset[str]] = {}
    for group in _load("synonyms"):
        members = frozenset(str(w).casefold() for w in group)
        for word in members:
            synonyms[word] = synonyms.get(word, frozenset()) | members
    return Lexicon(
        english={str(k).casefold(): _words(v) for k, v in _load("english").items()},
        english_stopwords=frozenset(str(w).casefold() for w in _load("stopwords-en")),
        places={str(k).casefold(): _words(v) for k, v in _load("places").items()},
        synonyms=synonyms,
        intents={str(k): tuple(frozenset(_words(w)) for w in v) for k, v in _load("intents").items()},
        authorities=tuple(sorted((str(a) for a in _load("authorities")), key=len, reverse=True)),
        generic=frozenset(str(w).casefold() for w in _load("generic")),
        general=frozenset(str(w).casefold() for w in _load("general")),
        shortened={str(k).casefold(): str(v).casefold() for k, v in _load("shortened").items()},
        third_party=frozenset(str(w).casefold() for w in _load("third_party")),
        everyday_names=tuple(tuple(str(n) for n in group) for group in _load("everyday_names")),
        channels={str(k): tuple(str(w).casefold() for w in v) for k, v in _load("channels").items()},
        kinds=frozenset(str(w).casefold() for w in _load("kinds")),
    )


@lru_cache(maxsize=1)
def word_forms() -> frozenset[str]:
    """Every inflected form of every Russian word in the lexicons: what a misspelling may be corrected to
    when the articles themselves never use the word ("кврты" -> "карты")."""
    from hotline.language.morphology import _analyzer

    lex = lexicon()
    lemmas = set(lex.asking) | {w for group in lex.synonyms.values() for w in group}
    lemmas |= {w for values in lex.english.values() for w in values} | {w for v in lex.places.values() for w in v}
    forms: set[str] = set()
    for word in lemmas:
        if any("а" <= ch <= "я" for ch in word):
            forms |= {f.word.replace("ё", "е") for f in _analyzer().parse(word)[0].lexeme}
    return frozenset(forms)
