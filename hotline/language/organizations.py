"""Organisations: which one an article is about, which ones a question names, and whose a passage is.

A corpus holds articles about many organisations, and an answer about one must never quote another's
number. So every article knows its organisation: from its front matter (``organization:`` and
``aliases:``) when given, else inferred from its title, where support articles name whom they are about
("Горячая линия DNS: …", "Контактный центр Сбербанка: …", "Мегамаркет (СберМегаМаркет): …"): the name
the title gives that the article mentions most, in the nominative, with a name in brackets after it as
an alias. A section whose heading names another organisation and not the article's ("Не путайте с
СберМаркетом") is about that one.

People name an organisation in any script, inflection or spelling: "ДНС" and "DNS", "в Самокате",
"эльдарадо", "mvideo", "М Видео", "сбер". A name is matched word by word, after Latin is transliterated
to Cyrillic: words match when they share a dictionary form (pymorphy3 gives every reading), are within
one edit (two from eight letters), or, as a weaker match, one begins with the other's first four letters
and more than half of it ("сбер" for Сбербанк). What is not matched but is written as a name (a Latin or
capitalised word, an abbreviation, a word neither the dictionary nor the articles know) is a name the
corpus does not cover.

Nothing here lists an organisation: names come from the articles, and the rules are about how Russian
writes names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz.distance import Levenshtein
from razdel import tokenize

from hotline.index.passages import SECTION_SEPARATOR
from hotline.language.lexicon import lexicon
from hotline.language.morphology import is_dictionary_word, is_function_word, is_place_name, lemmas, top_parse

LATIN = re.compile(r"^[A-Za-z][A-Za-z0-9&'’-]*$")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
QUOTED = re.compile(r"«([^«»]{2,60})»")
PREFIX_LETTERS = 4  # a word may stand for a longer name when it is its first letters, this many at least


@dataclass(frozen=True)
class Organization:
    """An organisation as the corpus names it: its name and the other names people use."""

    name: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Mention:
    """An organisation named in a text: which, as written there, and how surely."""

    organization: str
    surface: str
    strength: int  # 2: the same word or a typo of it; 1: its first letters ("сбер")
    at: int = 0  # the word of the text it starts at


@dataclass(frozen=True)
class _Token:
    text: str
    start: bool  # first word of its sentence or title segment


def _tokens(text: str) -> list[_Token]:
    """Words of ``text``; a name written with dots and no spaces ("М.Видео", "Яндекс.Еда") is one word."""
    found: list[_Token] = []
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
        i += 1
        if not any(ch.isalnum() for ch in raw):
            start = start or raw in {".", "!", "?", "…", ":", "|", "—", "–", "-", "›"}
            continue
        found.append(_Token(raw, start))
        start = False
    return found


@lru_cache(maxsize=50_000)
def to_cyrillic(word: str) -> str:
    """A Latin word as it reads in Cyrillic ("ozon" -> "озон", "yandex" -> "яндекс")."""
    if not LATIN.match(word):
        return word
    import cyrtranslit

    # cyrtranslit leaves "x" as it is; in Russian brands it is "кс" (Яндекс, Xiaomi aside).
    return str(cyrtranslit.to_cyrillic(word.casefold().replace("x", "кс").replace("'", ""), "ru"))


def _normal(word: str) -> str:
    return to_cyrillic(word.casefold().replace("ё", "е").strip("'’").replace(".", ""))


@lru_cache(maxsize=50_000)
def _forms(word: str) -> frozenset[str]:
    """A normalised word and every dictionary form it may have."""
    return lemmas(word) if CYRILLIC.search(word) else frozenset({word})


def _limit(word: str) -> int:
    return 0 if len(word) < 5 else 1 if len(word) < 8 else 2


def _word_match(typed: str, name: str) -> int:
    """2 when ``typed`` is ``name`` in some form or within a typo, 1 when it is its first letters, else 0."""
    if typed == name or _forms(typed) & _forms(name):
        return 2
    # A misspelling is a word no dictionary has: "видео" is a word, not "мвидео" mistyped.
    typo = Levenshtein.distance(typed, name, score_cutoff=_limit(name)) <= _limit(name)
    if typo and len(typed) >= 4 and not is_dictionary_word(typed):
        return 2
    if _dropped_letter(typed, name):
        return 2
    shared = len(_common_prefix(typed, name))
    if shared >= PREFIX_LETTERS and shared * 2 >= len(name) and shared >= len(typed) - 2:
        return 1
    return 0


def _dropped_letter(typed: str, name: str) -> bool:
    """A short name typed with one letter left out, as people type in a hurry ("озн", "сбр"): too short
    for an edit distance to be safe, but a word no dictionary has that is the name less one letter."""
    if len(typed) < 3 or len(name) != len(typed) + 1 or typed[0] != name[0] or is_dictionary_word(typed):
        return False
    return any(name[:i] + name[i + 1 :] == typed for i in range(1, len(name)))


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def name_words(name: str) -> tuple[str, ...]:
    """A name as the normalised words it is matched by ("М.Видео" -> м, видео)."""
    return tuple(_normal(t.text) for t in _tokens(name))


class Directory:
    """The organisations of one corpus and the names that find them."""

    def __init__(self, organizations: Iterable[Organization]) -> None:
        self.organizations = {o.name: o for o in organizations}
        self._names = [(o.name, name_words(n)) for o in self.organizations.values() for n in o.names]
        self._names = [(org, words) for org, words in self._names if words]

    def __len__(self) -> int:
        return len(self.organizations)

    def mentions(self, text: str) -> list[Mention]:
        """The organisations ``text`` names, strongest first, each once."""
        typed = [t.text for t in _tokens(text)]
        words = [_normal(w) for w in typed]
        found: dict[str, Mention] = {}
        for i in range(len(words)):
            for organization, name in self._names:
                strength, span = self._match_at(words, i, name)
                if strength:
                    surface = " ".join(typed[i : i + span])
                    best = found.get(organization)
                    if best is None or strength > best.strength:
                        found[organization] = Mention(organization, surface, strength, i)
        strongest = max((m.strength for m in found.values()), default=0)
        return sorted((m for m in found.values() if m.strength == strongest), key=lambda m: m.at)

    @staticmethod
    def _match_at(words: Sequence[str], i: int, name: tuple[str, ...]) -> tuple[int, int]:
        """(strength, words of ``words`` it spans) of ``name`` written at ``words[i]``; (0, 0) if not."""
        word = words[i]
        joined = "".join(name)
        if i + 1 < len(words) and len(joined) >= 5 and word + words[i + 1] == joined:  # "м видео"
            return 2, 2
        if len(word) < 3 or is_function_word(word):
            return 0, 0
        if len(name) == 1:
            return _word_match(word, name[0]), 1
        if len(word) >= 5 and (word == joined or _word_match(word, joined) == 2):  # "мвидео", "яндекседа"
            return 2, 1
        if i + len(name) <= len(words):
            strengths = [_word_match(words[i + j], part) for j, part in enumerate(name)]
            if all(strengths):
                return min(strengths), len(name)
        if i + 1 < len(words) and _word_match(word + words[i + 1], joined) == 2:
            return 2, 2
        return 0, 0

    def unknown_names(self, text: str, known_words: frozenset[str]) -> tuple[str, ...]:
        """Names ``text`` writes that no organisation of the corpus has and the articles never use:
        another company ("Wildberries", "МТС", "тинек"). Places and public bodies are not names here."""
        mentioned = {w.casefold() for m in self.mentions(text) for w in m.surface.split()}
        unknown = []
        for run in _name_runs(text, known_words):
            typed = [w.casefold().replace("ё", "е") for w in run.split()]
            if set(typed) & mentioned or all(w in known_words or _normal(w) in known_words for w in typed):
                continue  # a name the articles use ("Card"), or part of one the corpus covers
            unknown.append(run)
        return tuple(dict.fromkeys([*unknown, *self._other_of_brand(text, known_words)]))

    def _other_of_brand(self, text: str, known_words: frozenset[str]) -> list[str]:
        """ "Яндекс Маркет" where the corpus covers "Яндекс Еда": the first word of a name of several words,
        then a word that is not the name's next one, that the articles never use and that is not how a
        question is asked. A brand's other business is another organisation, whose contacts the articles
        do not hold ("яндекс курьер опоздал" is not one: the articles say "курьер")."""
        typed = [t.text for t in _tokens(text)]
        normal = [_normal(w) for w in typed]
        found = []
        for _, name in self._names:
            if len(name) < 2:
                continue
            for i in range(len(normal) - 1):
                word, after = normal[i], normal[i + 1]
                if _word_match(word, name[0]) == 2 and not _word_match(after, name[1]) and _unheard(after, known_words):
                    found.append(f"{typed[i]} {typed[i + 1]}")
        return found

    def of_heading(self, section: str, organization: str, text: str = "") -> str:
        """Whose a section is: another organisation that its deepest heading naming one names instead of
        ``organization`` ("Не путайте с СберМаркетом" in Мегамаркет's article). One the corpus does not
        cover counts only when ``text`` (the passage) writes it «in quotes», as Russian writes a company."""
        quoted = {f for q in QUOTED.findall(text) for w in q.split() for f in _forms(_normal(w))}
        for heading in reversed(section.split(SECTION_SEPARATOR)):
            named = self.mentions(heading)
            if any(m.organization == organization for m in named):
                return organization
            others = [m.organization for m in named if m.strength == 2]
            if others:
                return others[0]
            for run in _name_runs(heading, frozenset(), written=True):
                typed = run.split()
                if any(_forms(_normal(w)) & quoted for w in typed):
                    return " ".join(_nominative(w) for w in typed)
        return organization


def _is_name(token: _Token, english: bool, known_words: frozenset[str], written: bool = False) -> bool:
    """Whether a word is written as a name: Latin or capitalised inside a sentence, an abbreviation, or
    a word that neither the dictionary nor the articles know (unless ``written``: only how it is written
    counts, as in a title). Places and public bodies are not."""
    raw, word = token.text, token.text.casefold().replace("ё", "е")
    if len(word) < 2 or word.isdigit() or is_function_word(word):
        return False
    lex = lexicon()
    if _place_or_body(word):
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
def _authority_words() -> frozenset[str]:
    return frozenset(f for name in lexicon().authorities for w in name.split() for f in lemmas(w.casefold()))


def _place_or_body(word: str) -> bool:
    """A place ("москве", "питер") or a word of a public body's name: never a company's name."""
    places = lexicon().places
    return word in places or bool(lemmas(word) & places.keys()) or is_place_name(word) or _is_authority(word)


def _is_authority(word: str) -> bool:
    return bool(lemmas(word) & _authority_words()) and word not in {"центр", "общество", "служба", "банк"}


def _name_runs(text: str, known_words: frozenset[str], written: bool = False) -> list[str]:
    """Runs of consecutive name-like words in ``text``, as written."""
    tokens = _tokens(text)
    english = sum(bool(LATIN.match(t.text)) for t in tokens) > len(tokens) / 2
    runs: list[list[str]] = [[]]
    for token in tokens:
        if _is_name(token, english, known_words, written):
            runs[-1].append(token.text)
        elif runs[-1]:
            runs.append([])
    return [" ".join(run) for run in runs if run]


def _nominative(word: str) -> str:
    """A Cyrillic word of a name in the nominative, written as it was ("Сбербанка" -> "Сбербанк")."""
    if not CYRILLIC.search(word) or word.isupper():
        return word
    parse = top_parse(word.casefold())
    if parse.tag.case in (None, "nomn") or "Fixd" in parse.tag:
        return word
    inflected = parse.inflect({"nomn"})
    if inflected is None:
        return word
    form = str(inflected.word)
    same = len(_common_prefix(form, word.casefold()))  # keep how the stem was written ("СберМаркет")
    return word[:same] + form[same:]


def infer(title: str, body: str) -> Organization | None:
    """Whom an article is about, from the names its title gives: the one the article mentions most."""
    tokens = _tokens(title)
    spans: list[list[str]] = []
    aliases: dict[int, list[str]] = {}
    bracket = False
    for i, token in enumerate(tokens):
        follows = title[title.find(token.text) + len(token.text) :].lstrip()[:1]
        # "Ситилинк: горячая линия …", "Мегамаркет (СберМегаМаркет): …": a leading name, capitalised anyway.
        leading = i == 0 and follows in {":", "(", "—", "–"} and token.text[:1].isupper()
        if _is_name(replace(token, start=token.start and not leading), False, frozenset(), written=True):
            if spans and i > 0 and spans[-1] and tokens[i - 1].text == spans[-1][-1] and not bracket:
                spans[-1].append(token.text)
            else:
                spans.append([token.text])
                if bracket and len(spans) > 1:
                    aliases.setdefault(len(spans) - 2, []).append(token.text)
        bracket = follows == "("
    if not spans:
        return None
    words = [_normal(t.text) for t in _tokens(f"{title}\n{' '.join(HEADING.findall(body))}\n{body}")]
    counts = Counter[int]()
    for n, span in enumerate(spans):
        typed = tuple(_normal(w) for w in span)
        counts[n] = sum(Directory._match_at(words, i, typed)[0] == 2 for i in range(len(words)))
    alias_spans = {id(spans[i]) for owner in aliases for i in range(len(spans)) if spans[i][0] in aliases[owner]}
    best = max((n for n in range(len(spans)) if id(spans[n]) not in alias_spans), key=lambda n: (counts[n], -n))
    return Organization(
        " ".join(_nominative(w) for w in spans[best]), tuple(" ".join(a.split()) for a in aliases.get(best, []))
    )


def unify(organizations: Sequence[Organization]) -> dict[str, Organization]:
    """One organisation per set of names that find each other ("ОЗОН", "Озон", "Озон ру"), keyed by every
    name it had. Its name is the one given most often (a declared one before inferred ones, in order)."""
    groups: list[list[Organization]] = []
    for organization in organizations:
        for group in groups:
            directory = Directory(group)
            if any(m.strength == 2 for n in organization.names for m in directory.mentions(n)):
                group.append(organization)
                break
        else:
            groups.append([organization])
    unified: dict[str, Organization] = {}
    for group in groups:
        counts = Counter(o.name for o in group)
        name = max(counts, key=lambda n: (counts[n], not n.isupper(), -[o.name for o in group].index(n)))
        others = {n for o in group for n in o.names} - {name}
        merged = Organization(name, tuple(sorted(others)))
        for organization in group:
            unified[organization.name] = merged
    return unified


@dataclass(frozen=True)
class CorpusOrganizations:
    """Whose each chunk of a snapshot is, and the directory that finds organisations in questions."""

    directory: Directory
    of_chunk: tuple[str, ...]  # the organisation of each chunk, in the snapshot view's order ("" unknown)

    @classmethod
    def build(
        cls, articles: Mapping[str, Organization | None], chunks: Sequence[tuple[str, str, str]]
    ) -> CorpusOrganizations:
        """``articles``: each article's organisation as declared or inferred; ``chunks``: (article, section,
        text) of each chunk."""
        unified = unify([o for o in articles.values() if o is not None])
        canonical = {o.name: o for o in unified.values()}
        directory = Directory(canonical.values())
        of_chunk = []
        for article, section, text in chunks:
            declared = articles.get(article)
            owner = unified[declared.name].name if declared is not None else ""
            of_chunk.append(directory.of_heading(section, owner, text) if owner else owner)
        extra = [Organization(name) for name in dict.fromkeys(of_chunk) if name and name not in canonical]
        return cls(Directory([*canonical.values(), *extra]) if extra else directory, tuple(of_chunk))

    @property
    def names(self) -> tuple[str, ...]:
        """The organisations the corpus covers, by name, in order."""
        return tuple(self.directory.organizations)


def _unheard(word: str, known_words: frozenset[str]) -> bool:
    """A word that could name something: not a function word, number, place, public body or a word of how
    questions are asked, and in no form a word of the articles."""
    if len(word) < 3 or not word.isalpha() or is_function_word(word):
        return False
    forms = _forms(word)  # the word itself among them
    if forms & lexicon().asking or _place_or_body(word):
        return False
    return not forms & known_words
