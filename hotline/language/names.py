"""How a name is written and compared: its words, its Cyrillic reading, its identity key and its stem.

People write one organisation's name in either script, with or without quotes and a legal form, declined
like a noun, or run together ("М.Видео", "мвидео"). Everything here is about how Russian writes names;
nothing lists an organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from razdel import tokenize

from hotline.language.morphology import _parses, is_dictionary_word, is_function_word, lemmas, top_parse

LATIN = re.compile(r"^[A-Za-z][A-Za-z0-9&'’-]*$")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# Legal forms say what kind of company it is, not which: "ООО «Кедр»" and "Кедр" are one name.
LEGAL_FORMS = frozenset(
    (
        *("ооо", "оао", "зао", "пао", "ао", "нао", "ано", "нко", "тоо", "ип", "гк", "фгуп", "гуп", "муп", "фгбу"),
        *("гбу", "мбу", "ук", "llc", "ltd", "inc", "jsc", "pjsc", "plc", "gmbh"),
        *("ru", "ру", "рф", "com"),  # a site's domain: "Ozon.ru", "Озон ру" are the brand
    )
)
# Russian case endings, longest first: what a declined invented brand ("Ласточке", "у Пчёлки") loses to
# meet its nominative; pymorphy3 reads the dictionary's words, this the words it does not know.
ENDINGS = (
    *("ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими"),
    *("ой", "ей", "ом", "ем", "ах", "ях", "ов", "ев", "ам", "ям", "ую", "юю", "ая", "яя", "ое", "ее", "ые", "ие"),
    *("ых", "их", "ым", "им", "а", "я", "у", "ю", "е", "ы", "и", "о", "ь"),
)
# What sounds alike is keyed alike: a brand written as it sounds in the other script ("Вэстафон",
# "Vestafon") reads "вестафон" either way.
SOUNDS = str.maketrans({"э": "е", "ё": "е", "й": "и", "ы": "и", "ъ": None, "ь": None, "щ": "ш"})


@dataclass(frozen=True)
class Organization:
    """An organisation as the corpus names it: its name and the other names people use."""

    name: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Token:
    text: str
    start: bool  # first word of its sentence or title segment


def tokens(text: str) -> list[Token]:
    """Words of ``text``; a name written with dots and no spaces ("М.Видео", "Яндекс.Еда") is one word."""
    found: list[Token] = []
    start = True
    pieces = list(tokenize(text))
    i = 0
    while i < len(pieces):
        raw, end = pieces[i].text, pieces[i].stop
        while (
            i + 2 < len(pieces)
            and pieces[i + 1].text == "."
            and pieces[i + 1].start == end
            and pieces[i + 2].start == pieces[i + 1].stop
            and pieces[i + 2].text[:1].isalpha()
        ):
            raw, end = raw + "." + pieces[i + 2].text, pieces[i + 2].stop
            i += 2
        while i + 1 < len(pieces) and pieces[i + 1].start == end and pieces[i + 1].text.isdigit() and raw.isalpha():
            raw, end = raw + pieces[i + 1].text, pieces[i + 1].stop  # "Tele2", "Теле2": one name
            i += 1
        i += 1
        if not any(ch.isalnum() for ch in raw):
            start = start or raw in {".", "!", "?", "…", ":", "|", "—", "–", "-", "›", "/", "•"}
            continue
        found.append(Token(raw, start))
        start = False
    return found


# Letters that look alike in the two scripts: a word typed with one of the other script's ("oзон" with a
# Latin "o", "Ozоn" with a Cyrillic "о") reads as neither, to people it is one word.
LOOKALIKES = dict(zip("aceopxyABCEHKMOPTXY", "асеорхуАВСЕНКМОРТХУ", strict=True))
MIXED = re.compile(r"\w*(?:[A-Za-z][А-Яа-яЁё]|[А-Яа-яЁё][A-Za-z])\w*")


def one_script(text: str) -> str:
    """``text`` with each word that mixes the scripts written in the one most of its letters are in,
    where the others have a lookalike there; a word it cannot make whole stays as typed."""

    def whole(match: re.Match[str]) -> str:
        word = match.group(0)
        cyrillic = len(CYRILLIC.findall(word))
        latin = sum(ch.isascii() and ch.isalpha() for ch in word)
        table = LOOKALIKES if cyrillic >= latin else {v: k for k, v in LOOKALIKES.items()}
        made = "".join(table.get(ch, ch) for ch in word)
        mixed = CYRILLIC.search(made) and any(ch.isascii() and ch.isalpha() for ch in made)
        return word if mixed else made

    return MIXED.sub(whole, text)


@lru_cache(maxsize=50_000)
def to_cyrillic(word: str) -> str:
    """A Latin word as it reads in Cyrillic ("ozon" -> "озон", "yandex" -> "яндекс")."""
    if not LATIN.match(word):
        return word
    import cyrtranslit

    # cyrtranslit leaves "x" as it is; in Russian brands it is "кс" (Яндекс, Xiaomi aside).
    return str(cyrtranslit.to_cyrillic(word.casefold().replace("x", "кс").replace("'", ""), "ru"))


def normal(word: str) -> str:
    """A word as names are compared: case-folded, ё as е, Latin read in Cyrillic, no dots."""
    return to_cyrillic(word.casefold().replace("ё", "е").strip("'’").replace(".", ""))


@lru_cache(maxsize=50_000)
def forms(word: str) -> frozenset[str]:
    """A normalised word and every dictionary form it may have."""
    return lemmas(word) if CYRILLIC.search(word) else frozenset({word})


def name_words(name: str) -> tuple[str, ...]:
    """A name as the normalised words it is matched by ("М.Видео" -> мвидео), legal forms left out."""
    typed = [w for t in tokens(name) for w in t.text.casefold().strip("'’").split("-") if w]  # "Альфа-Банк"
    found = tuple(normal(w) for w in typed)
    # Neither a legal form nor a preposition tells one name from another ("… по защите прав …").
    kept = tuple(n for w, n in zip(typed, found, strict=True) if w not in LEGAL_FORMS and not is_function_word(w))
    return kept or found


@lru_cache(maxsize=50_000)
def name_key(name: str) -> str:
    """A name's identity: two names are one organisation's when their keys are equal. Case, ё, quotes,
    dots, hyphens, a legal form and the script do not count; every word does ("Кедр" is not "Кедр Банк")."""
    return " ".join(sound(w) for w in name_words(name))


@lru_cache(maxsize=50_000)
def sound(word: str) -> str:
    """A normalised word as it sounds: letters that read alike made one, doubled letters single."""
    keyed = word.replace("йо", "ё").replace("-", "").translate(SOUNDS)  # "йота" and "Yota" ("ёта")
    return re.sub(r"(.)\1+", r"\1", keyed)


@lru_cache(maxsize=50_000)
def skeleton(word: str) -> str:
    """A keyed word's consonants (and its first letter, when that is one): what survives a brand written as
    it sounds in the other script, whose vowels each writer picks ("Pay" read "пай", written "пэй"; "Air"
    read "аир", written "эйр")."""
    vowels = r"[аеиоуяюи]"
    first = "" if re.match(vowels, word) else word[:1]
    return first + re.sub(vowels, "", word[1:])


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """``word`` (keyed by :func:`sound`) without its case ending, when at least three letters are left."""
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def nominative(word: str) -> str:
    """A Cyrillic word of a name in the nominative, written as it was ("Сбербанка" -> "Сбербанк")."""
    if not CYRILLIC.search(word) or word.isupper() or any(ch.isdigit() for ch in word):
        return word
    if not is_dictionary_word(word.casefold()) and any(p.tag.case == "nomn" for p in _parses(word.casefold())):
        return word  # an invented brand that may be a nominative already ("Нодоси"): keep it as written
    parse = top_parse(word.casefold())
    if parse.tag.case in (None, "nomn") or "Fixd" in parse.tag:
        return word
    inflected = parse.inflect({"nomn"})
    if inflected is None:
        return word
    form = str(inflected.word)
    same = len(common_prefix(form, word.casefold()))  # keep how the stem was written ("СберМаркет")
    return word[:same] + form[same:]
