"""Which organisations a text names: every word of the text scored against every name of the registry.

A name is found word by word. A written word meets a name's word when they are one word in some
dictionary form (pymorphy3), share a stem once their case endings are off (an invented brand declined
like a noun: "у Ласточки"), sound alike across scripts ("Вэстафон", "Vestafon"), are within a typo of
each other (a word no dictionary has), or the written word is the first letters of a long one ("сбер").

Words are not equal evidence. A word that many names share (Банк, Маркет, Мобайл, Такси) says little
about which organisation is meant, and a word of the language (банк, доставка) less than a brand's own
(Кедр, Vesta): a word weighs by its rarity across the registry's organisations, halved when it is an
ordinary word of the language and the articles do not write it as a name. A name is *written* when all
its words are; *partly written* when the written ones carry most of its weight and each is a name in the
articles, or they are the name's leading words (the family's own word, "Кедр" of «Кедр Банк» and «Кедр
Мобайл»). So "Y Банк" never finds
"X Банк" through «Банк», and "X" alone finds every X of the registry, which the answerer then asks about.

Cost grows with the question, not with the registry: each written word is looked up in hash maps of the
registry's words, stems and first letters, and only a word no dictionary has is compared for typos
(rapidfuzz over the registry's words, a C loop).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from hotline.language.morphology import is_common_word, is_dictionary_word, is_function_word
from hotline.language.names import common_prefix, forms, name_words, normal, skeleton, sound, stem, tokens

SAME, STEM, TYPO, PREFIX, ALIKE = 1.0, 0.9, 0.8, 0.6, 0.5  # how surely a written word is a name's word
PARTIAL_SHARE = 0.6  # a partly written name counts when its written words carry this share of its weight
MARGIN = 0.15  # names scoring this much below the best are not what the text means
COMMON_WEIGHT = 0.5  # an ordinary word of the language weighs this much of a brand's own word
PREFIX_LETTERS = 4
INITIALISM = 5  # an upper-case name this short is an initialism


@dataclass(frozen=True)
class Found:
    """An organisation a text names: how much of its name is written, how, and where."""

    organization: str
    score: float  # the written share of the name's weight, each word by how surely it was written
    complete: bool  # every word of the name is written
    surface: str  # as the text writes it
    at: int  # the word of the text it starts at
    surest: bool  # each word written the same or within a typo (not by its first letters alone)


@dataclass(frozen=True)
class _Variant:
    organization: str
    keys: tuple[str, ...]
    weights: tuple[float, ...]
    joined: bool = False  # a name of several words run together ("кедрбанк"): typed so, or within a typo


class NameMatcher:
    """The names of a registry, indexed for finding them in questions."""

    def __init__(self, names: Iterable[tuple[str, str]], is_name_word: Callable[[str], bool] | None = None) -> None:
        """``names``: (organisation, one of its names) pairs. ``is_name_word(word)`` says whether the
        articles write a (normalised) word as a name; by default, whether no dictionary has it."""
        self._is_name_word = is_name_word or (lambda w: not is_dictionary_word(w))
        names = list(names)
        # An initialism ("ПРБ") is typed as it is: a word that merely shares its consonants ("пирби") or
        # lacks a letter is not it.
        initialisms = {key for _, n in names if (key := _initialism(n))}
        written = [(org, name_words(name)) for org, name in names]
        written = [(org, words) for org, words in written if words]
        organizations = {org for org, _ in written}
        df: Counter[str] = Counter()
        for key, orgs in _owners_of_keys(written).items():
            df[key] = len(orgs)
        n = max(len(organizations), 1)
        self._variants: list[_Variant] = []
        self._by_key: dict[str, list[int]] = defaultdict(list)
        self._by_stem: dict[str, set[str]] = defaultdict(set)
        self._by_prefix: dict[str, set[str]] = defaultdict(set)
        self._plain: dict[str, str] = {}  # key -> a normalised spelling (for the dictionary's forms)
        for org, words in written:
            keys = tuple(sound(w) for w in words)
            weights = tuple(self._weight(w, df[k], n) for w, k in zip(words, keys, strict=True))
            variants = [_Variant(org, keys, weights)]
            if len(keys) > 1:  # "мвидео" for "М Видео", "кедрбанк" for "Кедр Банк"
                variants.append(_Variant(org, ("".join(keys),), (sum(weights),), joined=True))
            for variant in variants:
                self._variants.append(variant)
                vkeys = variant.keys
                for key in dict.fromkeys(vkeys):
                    self._by_key[key].append(len(self._variants) - 1)
            for word, key in zip(words, keys, strict=True):
                self._plain.setdefault(key, word)
        self._by_dropped: dict[str, set[str]] = defaultdict(set)
        self._by_skeleton: dict[str, set[str]] = defaultdict(set)
        for key in self._by_key:
            if key in initialisms:
                continue
            if len(skeleton(key)) >= 2 or len(key) <= 4:
                self._by_skeleton[skeleton(key)].add(key)
            self._by_stem[stem(key)].add(key)
            # Dropped letters of the key and of the spelling (whose doubled letters the key merges).
            for spelled in {key, self._plain.get(key, key)}:
                if 4 <= len(spelled) <= 6:
                    for i in range(1, len(spelled)):
                        self._by_dropped[spelled[:i] + spelled[i + 1 :]].add(key)
            if len(key) >= PREFIX_LETTERS + 2:
                self._by_prefix[key[:PREFIX_LETTERS]].add(key)
        self._lemma_keys: dict[str, set[str]] = defaultdict(set)
        for key, word in self._plain.items():
            for form in forms(word):
                self._lemma_keys[sound(form)].add(key)
        self._keys = list(self._by_key)

    def _weight(self, word: str, df: int, n: int) -> float:
        rarity = math.log(1 + n / max(df, 1))
        return rarity * (1.0 if self._is_name_word(word) else COMMON_WEIGHT)

    def find(self, text: str) -> list[Found]:
        """The organisations ``text`` names, in the order it names them: every fully written name, and
        partly written ones as good as the best (several of them: the text does not say which)."""
        typed = tokens(text)
        words = [normal(t.text) for t in typed]
        # Per written word: the registry's word keys it may be, and how surely.
        meets: list[dict[str, float]] = [self._meets(w, t.text) for w, t in zip(words, typed, strict=True)]
        pairs = {i: sound(words[i] + words[i + 1]) for i in range(len(words) - 1)}  # "м видео"
        variants: set[int] = {v for m in meets for key in m for v in self._by_key[key]}
        variants |= {v for key in pairs.values() for v in self._by_key.get(key, ())}
        best: dict[str, Found] = {}
        for v in variants:
            found = self._score(self._variants[v], meets, pairs, typed)
            if found is None:
                continue
            kept = best.get(found.organization)
            if kept is None or (found.score, found.complete) > (kept.score, kept.complete):
                best[found.organization] = found
        if not best:
            return []
        top = max(f.score for f in best.values())
        written = any(f.complete for f in best.values())
        # Partly written names, when no name is written whole, are every family member the word may mean.
        chosen = [f for f in best.values() if f.score >= top - MARGIN or (f.complete and f.surest) or not written]
        # A name written inside a longer one written whole ("Taxi" of "Zarmu Taxi") is not named apart.
        whole = [f for f in chosen if f.complete]
        chosen = [f for f in chosen if not any(_inside(f, g) for g in whole if g is not f)]
        # Nor is one whose words all belong to others written beside it: "Сосна Банка и Кедр Мобайл" does
        # not name «Кедр Банк».
        chosen = [f for f in chosen if not _borrowed(f, [g for g in chosen if g is not f and g.complete], words)]
        return sorted(chosen, key=lambda f: (f.at, -f.score))

    def _meets(self, word: str, raw: str) -> dict[str, float]:
        if len(word) < 2 or is_function_word(word) or word.isdigit():
            return {}
        key = sound(word)
        if len(word) < 3 and not raw.isupper():  # "вб": only a registry name written so
            return {key: SAME} if key in self._by_key and len(self._by_key[key]) else {}
        found: dict[str, float] = {}
        if key in self._by_key:
            found[key] = SAME
        for form in forms(word):
            for known in self._lemma_keys.get(sound(form), ()):
                _put(found, known, SAME)
        common = is_common_word(word)
        if len(key) >= 3 and not common:  # a short name typed with a letter left out ("озн", "тоот")
            for known in self._by_dropped.get(key, set()) | self._by_dropped.get(word, set()):
                _put(found, known, TYPO)
        if len(key) >= 3:  # written as it sounds in the other script: "пэй" for "Pay", "лайн" for "Line"
            alike = ALIKE if is_dictionary_word(word) else TYPO
            for known in self._by_skeleton.get(skeleton(key), ()):
                if abs(len(known) - len(key)) <= 2:
                    _put(found, known, alike)
        if len(key) < 4:
            return found
        for known in self._by_stem.get(stem(key), ()):
            _put(found, known, STEM)
        if not common:  # a typo: a letter wrong, left out, added, or two swapped ("Inmov" for «Imnov»)
            limit = 1 if len(key) < 8 else 2
            if len(key) >= 5:
                for known, _, _ in process.extract(key, self._keys, scorer=OSA.distance, score_cutoff=limit, limit=20):
                    if len(known) >= 5:
                        _put(found, known, TYPO)
        if len(key) >= PREFIX_LETTERS and max(found.values(), default=0.0) < STEM:  # none better
            for known in self._by_prefix.get(key[:PREFIX_LETTERS], ()):
                shared = len(common_prefix(key, known))  # "сбер", "сбера" for «Сбербанк»
                if shared * 2 >= len(known) and shared >= len(key) - 2:
                    _put(found, known, PREFIX)
        return found

    def _score(
        self, variant: _Variant, meets: Sequence[dict[str, float]], pairs: dict[int, str], typed: Sequence[object]
    ) -> Found | None:
        total = sum(variant.weights)
        if len(variant.keys) == 1:
            key = variant.keys[0]
            floor = TYPO if variant.joined else PREFIX
            spans = [(q, i, 1) for i, m in enumerate(meets) if (q := m.get(key, 0.0)) and q >= floor]
            spans += [(SAME, i, 2) for i, k in pairs.items() if k == key and len(key) >= 5]
            if not spans:
                return None
            quality, first, span = max(spans, key=lambda s: (s[0], -s[1]))
            return Found(variant.organization, quality, True, _surface(typed, first, span), first, quality >= TYPO)
        written: list[tuple[float, int]] = []
        for key in variant.keys:
            options = [(m[key], i) for i, m in enumerate(meets) if key in m]
            written.append(max(options, key=lambda o: (o[0], -o[1])) if options else (0.0, -1))
        at = [i for q, i in written if q]
        if not at:
            return None
        score = sum(q * w for (q, _), w in zip(written, variant.weights, strict=True)) / (total or 1)
        complete = all(q for q, _ in written)
        if not complete:
            # The family's own word leads its members' names ("Кедр" of «Кедр Банк»): a name's leading words
            # written find it however rare its other words are.
            leading = [bool(q) for q, _ in written] == sorted((bool(q) for q, _ in written), reverse=True)
            if (score < PARTIAL_SHARE and not leading) or max(at) - min(at) >= len(variant.keys):
                return None
            if not all(
                self._is_name_word(self._plain.get(k, k)) for (q, _), k in zip(written, variant.keys, strict=True) if q
            ):
                return None
        elif max(at) - min(at) > len(variant.keys):  # its words far apart: not this name written
            return None
        surest = all(q >= TYPO for q, _ in written)
        start, end = min(at), max(at)
        return Found(variant.organization, score, complete, _surface(typed, start, end - start + 1), start, surest)


def _put(found: dict[str, float], key: str, quality: float) -> None:
    """Keep the surest way a written word meets a registry word (a stem beats a sound-alike)."""
    found[key] = max(found.get(key, 0.0), quality)


def _inside(inner: Found, outer: Found) -> bool:
    """Whether ``inner`` is written within ``outer``'s words, and ``outer`` is the longer."""
    span = len(outer.surface.split())
    return (
        len(inner.surface.split()) < span
        and outer.at <= inner.at
        and inner.at + len(inner.surface.split()) <= outer.at + span
    )


def _borrowed(found: Found, others: Sequence[Found], words: Sequence[str]) -> bool:
    """Whether every word of ``found``'s span (function words aside) lies within the spans of other names
    that are written apart from it, none of them over its whole span (two names on the same words, "Герде
    Авиа" and "Герд Авиа", are the text naming one of them: the matcher's margin decides)."""
    start, end = found.at, found.at + len(found.surface.split())
    spans = [(g.at, g.at + len(g.surface.split())) for g in others]
    apart = [(a, b) for a, b in spans if not (a <= start and b >= end)]
    taken = {i for a, b in apart for i in range(a, b)}
    own = [i for i in range(start, end) if not is_function_word(words[i])]
    return bool(apart) and bool(own) and all(i in taken for i in own)


def _surface(typed: Sequence[object], start: int, span: int) -> str:
    return " ".join(str(getattr(t, "text", t)) for t in typed[start : start + span])


def _owners_of_keys(written: Sequence[tuple[str, tuple[str, ...]]]) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = defaultdict(set)
    for org, words in written:
        for word in words:
            owners[sound(word)].add(org)
    return owners


def _initialism(name: str) -> str:
    """The key of a name that is an initialism, its legal form aside ("ПРБ", "ПАО «МОЭСК»"), else ""."""
    words = name_words(name)
    if len(words) != 1:
        return ""
    typed = [t.text for t in tokens(name) if normal(t.text) == words[0]]
    return sound(words[0]) if any(w.isupper() and w.isalpha() and len(w) <= INITIALISM for w in typed) else ""
