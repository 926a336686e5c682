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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from hotline.index.passages import SECTION_SEPARATOR
from hotline.language.lexicon import lexicon
from hotline.language.matcher import NameMatcher
from hotline.language.morphology import is_dictionary_word, is_function_word, is_place_name, lemmas, top_parse
from hotline.language.names import (
    CYRILLIC,
    LATIN,
    Token,
    forms,
    name_key,
    name_words,
    nominative,
    normal,
    to_cyrillic,
    tokens,
)

ANOTHER = "\x00another"  # the owner of a contact marked as someone else's whom the text does not name
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
QUOTED = re.compile(r"«([^«»]{2,60})»")


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
    strength: int  # 2: every word written, the same or within a typo; 1: its first letters ("сбер") or part
    at: int = 0  # the word of the text it starts at
    partial: bool = False  # only some of its words are written (a family's own word: "Кедр")


class Directory:
    """The organisations of one corpus and the names that find them."""

    def __init__(
        self, organizations: Iterable[Organization], is_name_word: Callable[[str], bool] | None = None
    ) -> None:
        self.organizations = {o.name: o for o in organizations}
        names = ((o.name, n) for o in self.organizations.values() for n in o.names)
        self._matcher = NameMatcher(names, is_name_word)
        self._first_words = {
            name_words(n)[0]: o.name for o in self.organizations.values() for n in o.names if len(name_words(n)) > 1
        }

    def __len__(self) -> int:
        return len(self.organizations)

    def mentions(self, text: str) -> list[Mention]:
        """The organisations ``text`` names, in the order it names them, each once: every name written in
        full, or, when none is, the partly written ones as good as the best (a family's own word)."""
        found = self._matcher.find(text)
        if any(f.complete for f in found):
            found = [f for f in found if f.complete]
            if any(f.surest for f in found):
                found = [f for f in found if f.surest]
        return [
            Mention(f.organization, f.surface, 2 if f.complete and f.surest else 1, f.at, not f.complete) for f in found
        ]

    def unknown_names(self, text: str, known_words: frozenset[str]) -> tuple[str, ...]:
        """Names ``text`` writes that no organisation of the corpus has and the articles never use:
        another company ("Wildberries", "МТС", "тинек"). Places and public bodies are not names here."""
        mentions = self.mentions(text)
        mentioned = {w.casefold() for m in mentions for w in m.surface.split()}
        unknown = []
        for run in _name_runs(text, known_words):
            typed = [w.casefold().replace("ё", "е") for w in run.split()]
            if set(typed) & mentioned or all(w in known_words or normal(w) in known_words for w in typed):
                continue  # a name the articles use ("Card"), or part of one the corpus covers
            unknown.append(run)
        return tuple(dict.fromkeys([*unknown, *self.other_members(text, known_words, mentions)]))

    def other_members(self, text: str, known_words: frozenset[str], mentions: Sequence[Mention] = ()) -> list[str]:
        """ "Яндекс Маркет" where the corpus covers "Яндекс Еда", "Кедр Страхование" where it covers
        «Кедр Банк» and «Кедр Мобайл»: a name's first word, or a family's own word, then a word that is
        not the name's next one, that the articles never use and that is not how a question is asked.
        A brand's other business is another organisation, whose contacts the articles do not hold
        ("яндекс курьер опоздал" is not one: the articles say "курьер")."""
        typed = [t.text for t in tokens(text)]
        normal_ = [normal(w) for w in typed]
        partly = {m.at for m in mentions if m.partial}
        if mentions and not partly:
            return []
        found = []
        for i in range(len(normal_) - 1):
            word, after = normal_[i], normal_[i + 1]
            if i not in partly and word not in self._first_words:
                continue
            names = [o for o in self.organizations.values() for n in o.names if name_words(n)[:1] == (word,)]
            nexts = {name_words(n)[1] for o in names for n in o.names if len(name_words(n)) > 1}
            if after not in nexts and (_unheard(after, known_words) or self._is_word_of_a_name(after)):
                found.append(f"{typed[i]} {typed[i + 1]}")
        return found

    def _is_word_of_a_name(self, word: str) -> bool:
        """A word of some registry name other than its first: "Страхование" of «Сосна Страхование»."""
        return bool(self._matcher.find(word)) and not is_function_word(word) and word not in lexicon().asking

    def owners_in(self, text: str) -> frozenset[str]:
        """Whose facts ``text`` (a table row, a list item, a sentence) gives, by the names it writes: the
        organisations it names in full (not after "не": "а не «Пятёрочки»"), and, where it marks the
        contact as another's (an advert, a partner, "не путайте с …"), a name it writes «in quotes» that is
        no one's of the registry. Empty when it names no one: then the fact is its section's or article's."""
        typed = [t.text.casefold() for t in tokens(text)]
        # An ordinary word in lower case ("телефонов", "лента") names no one in an article's own text.
        named = {
            m.organization
            for m in self.mentions(text)
            if m.strength == 2
            and not (m.surface.islower() and is_dictionary_word(normal(m.surface)))
            and not (m.at and typed[m.at - 1] == "не")
        }
        if _marked_as_another(typed):
            for quoted in QUOTED.findall(text):
                words = [replace(t, start=False) for t in tokens(quoted)]  # «in quotes» a name is a name anywhere
                if not self._matcher.find(quoted) and any(_is_name(t, False, frozenset(), True) for t in words):
                    named.add(" ".join(nominative(w) for w in quoted.split()))
            named.add(ANOTHER)
        return frozenset(named)

    def disowned_in(self, text: str) -> frozenset[str]:
        """The organisations ``text`` says a contact is not of: "это телефон сайта, а не Росгосстраха"."""
        typed = [t.text.casefold() for t in tokens(text)]
        return frozenset(m.organization for m in self.mentions(text) if m.at and typed[m.at - 1] == "не")

    def of_heading(self, section: str, organization: str, text: str = "") -> str:
        """Whose a section is: another organisation that its deepest heading naming one names instead of
        ``organization`` ("Не путайте с СберМаркетом" in Мегамаркет's article). One the corpus does not
        cover counts only when ``text`` (the passage) writes it «in quotes», as Russian writes a company."""
        quoted = {f for q in QUOTED.findall(text) for w in q.split() for f in forms(normal(w))}
        for heading in reversed(section.split(SECTION_SEPARATOR)):
            named = self.mentions(heading)
            if any(m.organization == organization for m in named):
                return organization
            others = [m.organization for m in named if m.strength == 2]
            if others:
                return others[0]
            for run in _name_runs(heading, frozenset(), written=True):
                typed = run.split()
                if any(forms(normal(w)) & quoted for w in typed):
                    return " ".join(nominative(w) for w in typed)
        return organization


def _is_name(token: Token, english: bool, known_words: frozenset[str], written: bool = False) -> bool:
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
    typed = tokens(text)
    english = sum(bool(LATIN.match(t.text)) for t in typed) > len(typed) / 2
    runs: list[list[str]] = [[]]
    for token in typed:
        if _is_name(token, english, known_words, written):
            runs[-1].append(token.text)
        elif runs[-1]:
            runs.append([])
    return [" ".join(run) for run in runs if run]


def infer(title: str, body: str) -> Organization | None:
    """Whom an article is about, from the names its title gives: the one the article mentions most."""
    words = tokens(title)
    spans: list[list[str]] = []
    aliases: dict[int, list[str]] = {}
    bracket = False
    at = 0
    for i, token in enumerate(words):
        start = title.find(token.text, at)
        gap, at = title[at:start], start + len(token.text)
        if spans and spans[-1] and (set(gap) & {",", ";", "/"} or " и " in f" {gap} "):
            spans.append([])  # "МТС, МегаФона, Билайна и Теле2": names listed, not one name
        follows = title[at:].lstrip()[:1]
        # "Ситилинк: горячая линия …", "Мегамаркет (СберМегаМаркет): …": a leading name, capitalised anyway.
        leading = i == 0 and follows in {":", "(", "—", "–"} and token.text[:1].isupper()
        if _is_name(replace(token, start=token.start and not leading), False, frozenset(), written=True):
            if spans and i > 0 and spans[-1] and words[i - 1].text == spans[-1][-1] and not bracket:
                spans[-1].append(token.text)
            else:
                spans.append([token.text])
                if bracket and len(spans) > 1:
                    aliases.setdefault(len(spans) - 2, []).append(token.text)
        bracket = follows == "("
    named = [span for span in spans if span and not any(span[0] in a for a in aliases.values())]
    if not named or len(named) >= ROUNDUP_NAMES:  # "телефоны МТС, МегаФона, Билайна и Теле2": a roundup's
        return None
    text = f"{title}\n{' '.join(HEADING.findall(body))}\n{body}"
    counts = Counter[int]()
    for n, span in enumerate(spans):
        counts[n] = _occurrences(" ".join(span), text) if span else -1
    alias_spans = {id(s) for owner in aliases for s in spans if s and s[0] in aliases[owner]}
    best = max((n for n, s in enumerate(spans) if s and id(s) not in alias_spans), key=lambda n: (counts[n], -n))
    name = " ".join(nominative(w) for w in spans[best])
    if len(spans[best]) == 1 and (noun := _noun_after(title, spans[best][0])):  # "Социального фонда"
        name = _agreed(spans[best][0], noun) or name
    return Organization(name, tuple(" ".join(a.split()) for a in aliases.get(best, [])))


ROUNDUP_NAMES = 3  # a title naming this many organisations is a roundup's, about none of them


def _noun_after(title: str, word: str) -> str:
    """The lower-case noun right after ``word`` in ``title`` when ``word`` is an adjective: the name's head
    ("Социального фонда")."""
    typed = [t.text for t in tokens(title)]
    at = typed.index(word) if word in typed else -1
    if at < 0 or at + 1 >= len(typed) or "ADJF" not in top_parse(word.casefold()).tag:
        return ""
    noun = typed[at + 1]
    return noun if noun.islower() and "NOUN" in top_parse(noun).tag else ""


def _agreed(adjective: str, noun: str) -> str:
    """ "Социального фонда" -> "Социальный фонд": both in the nominative, the adjective agreeing."""
    head = top_parse(noun).inflect({"nomn", "sing"})
    if head is None:
        return ""
    gender = head.tag.gender
    agreed = top_parse(adjective.casefold()).inflect({"nomn", "sing", *([gender] if gender else [])})
    if agreed is None:
        return ""
    return str(agreed.word).capitalize() + " " + str(head.word)


def _occurrences(name: str, text: str) -> int:
    """How many times ``text`` writes ``name`` in full (in any form, script or typo)."""
    matcher = NameMatcher([(name, name)])
    count, rest = 0, tokens(text)
    words = [t.text for t in rest]
    for i in range(len(words)):  # each start once: a name's words at ``i``
        found = matcher.find(" ".join(words[i : i + len(name_words(name)) + 1]))
        count += any(f.complete and f.surest and f.at == 0 for f in found)
    return count


def unify(organizations: Sequence[Organization]) -> dict[str, Organization]:
    """One organisation per identity, keyed by every name it had: names that are one name after
    normalisation (:func:`hotline.language.names.name_key`: case, ё, quotes, legal form, script), or
    joined by a name declared an alias of both. Never a shared word or a near spelling: «Кедр Банк» and
    «Кедр Мобайл», «Кедр» and «Кедр Банк» stay apart. Its name is the one given most often (a declared one
    before inferred ones, in order)."""
    parent = list(range(len(organizations)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, organization in enumerate(organizations):
        for name in organization.names:
            key = name_key(name)
            if key in first:
                parent[root(i)] = root(first[key])
            else:
                first[key] = i
    groups: dict[int, list[Organization]] = {}
    for i, organization in enumerate(organizations):
        groups.setdefault(root(i), []).append(organization)
    unified: dict[str, Organization] = {}
    for group in groups.values():
        counts = Counter(o.name for o in group)
        name = max(counts, key=lambda n: (counts[n], not n.isupper(), -[o.name for o in group].index(n)))
        others = {n for o in group for n in o.names if name_key(n) != name_key(name)}
        spelled = {n for o in group for n in o.names if name_key(n) == name_key(name) and n != name}
        merged = Organization(name, tuple(sorted(others | spelled)))
        for organization in group:
            unified[organization.name] = merged
    return unified


@dataclass(frozen=True)
class CorpusOrganizations:
    """Whose each chunk of a snapshot is, and the directory that finds organisations in questions."""

    directory: Directory
    of_chunk: tuple[str, ...]  # the organisation of each chunk, in the snapshot view's order ("" unknown)
    named_in: tuple[frozenset[str], ...] = ()  # the others whose contacts each chunk gives (a roundup's rows)

    @classmethod
    def build(
        cls,
        articles: Mapping[str, Organization | None],
        chunks: Sequence[tuple[str, str, str]],
        proper: frozenset[str] = frozenset(),
    ) -> CorpusOrganizations:
        """``articles``: each article's organisation as declared or inferred; ``chunks``: (article, section,
        text) of each chunk; ``proper``: the lemmas the articles write as names (a word of a name that the
        articles also use as an ordinary word, "почта", weighs less and never finds a name alone)."""
        unified = unify([o for o in articles.values() if o is not None])
        canonical = {o.name: o for o in unified.values()}

        def is_name_word(word: str) -> bool:
            return not is_dictionary_word(word) or bool(forms(word) & proper)

        directory = Directory(canonical.values(), is_name_word)
        of_chunk = []
        for article, section, text in chunks:
            declared = articles.get(article)
            owner = unified[declared.name].name if declared is not None else ""
            of_chunk.append(directory.of_heading(section, owner, text) if owner else owner)
        extra = [Organization(name) for name in dict.fromkeys(of_chunk) if name and name not in canonical]
        keys = {name_key(n) for o in canonical.values() for n in o.names} | {name_key(o.name) for o in extra}
        for _, _, text in chunks:  # organisations named only in a roundup's rows are the registry's too
            for name in row_names(text, frozenset(keys)):
                if name_key(name) not in keys:
                    keys.add(name_key(name))
                    extra.append(Organization(name))
        if extra:
            directory = Directory([*canonical.values(), *extra], is_name_word)
        named_in = tuple(_named_with_contacts(directory, text) for _, _, text in chunks)
        return cls(directory, tuple(of_chunk), named_in)

    @property
    def names(self) -> tuple[str, ...]:
        """The organisations the corpus covers, by name, in order."""
        return tuple(self.directory.organizations)


def _marked_as_another(words: Sequence[str]) -> bool:
    """Whether a text marks its contact as someone else's: an advert, a partner, "не путайте"."""
    cues = lexicon().third_party
    return any(lemmas(w) & cues for w in words if w.isalpha())


ROW = re.compile(r"^\s*(?:\|\s*([^|]+?)\s*\||(?:[-*+]|\d{1,3}[.)])\s+(.+?)\s*(?:[:—–]|\s-\s))")
ROW_NAME_WORDS = 5


def row_names(text: str, known: frozenset[str] = frozenset()) -> list[str]:
    """The names a roundup gives its rows: a table row's first cell or a list item's lead ("Липа Банк —
    8 800 …") on a line with a contact, when it is written as a name (see :func:`_is_name`: a word
    capitalised inside it, Latin, or one no dictionary has) and is not a place or a line's label. In a
    table or list where most such cells are names (written so, or ``known``: keys of the registry's
    names), every one is: a roundup's column of names ("Сбербанк" beside "ВТБ" and "Альфа-Банк")."""
    found: list[str] = []
    block: list[tuple[str, bool]] = []  # the cells of one table or list, and whether each looks a name

    def close() -> None:
        if len(block) >= 2 and sum(named for _, named in block) * 2 >= len(block):
            found.extend(cell for cell, _ in block)
        else:
            found.extend(cell for cell, named in block if named)
        block.clear()

    for line in text.splitlines():
        match = ROW.match(line)
        if not match:
            if not line.strip().startswith("|"):
                close()
            continue
        if not CONTACT_LINE.search(line):
            continue
        cell = (match.group(1) or match.group(2) or "").strip(' *_`«»"')
        typed = tokens(cell)
        if not typed or len(typed) > ROW_NAME_WORDS or sum(ch.isdigit() for ch in cell) > 2:
            continue
        if any(_place_or_body(t.text.casefold()) for t in typed):
            continue
        block.append((" ".join(t.text for t in typed), name_key(cell) in known or _written_as_name(typed)))
    close()
    return found


def _written_as_name(typed: Sequence[Token]) -> bool:
    if len(typed) == 1:  # a lone word: capitalised anyway, so only a word no dictionary has, or Latin
        word = typed[0].text
        tag = str(top_parse(normal(word)).tag)
        unknown = not is_dictionary_word(normal(word)) or "Orgn" in tag or "Trad" in tag
        english = bool(LATIN.match(word)) and word.casefold() in lexicon().english
        return sum(ch.isalpha() for ch in word) >= 3 and unknown and not english
    return any(_is_name(t, False, frozenset(), written=True) for t in typed)


CONTACT_LINE = re.compile(r"\d{3}|@")  # a line that may give a phone, a short number or an e-mail


def _named_with_contacts(directory: Directory, text: str) -> frozenset[str]:
    """The organisations named in full on the lines of ``text`` that give a contact (a roundup's rows)."""
    lines = [line for line in text.splitlines() if CONTACT_LINE.search(line)]
    return frozenset(m.organization for line in lines for m in directory.mentions(line) if m.strength == 2)


def _unheard(word: str, known_words: frozenset[str]) -> bool:
    """A word that could name something: not a function word, number, place, public body or a word of how
    questions are asked, and in no form a word of the articles."""
    if len(word) < 3 or not word.isalpha() or is_function_word(word):
        return False
    found = forms(word)  # the word itself among them
    if found & lexicon().asking or _place_or_body(word):
        return False
    return not found & known_words
