"""The organisation registry of a snapshot: who is who, which ones a text names, and whose a fact is.

A corpus holds articles about hundreds of organisations whose names collide («Кедр Банк», «Кедр
Мобайл», «Сосна Банк»), and an answer about one must never quote another's number. So:

- **Identity is strict** (:func:`hotline.language.registry.unify`): two names are one organisation only
  when they are one name after normalisation (case, ё, quotes, legal form, a site's domain, script:
  :func:`hotline.language.names.name_key`) or a name declared an alias of both; never because they share
  a word or are near in spelling.
- **Names come from** the front matter (``organization:``, ``aliases:``), else the title
  (:mod:`hotline.language.inference`); organisations named only in a roundup's rows, or «in quotes» as a
  third party beside a contact, are the registry's too.
- **Names in a text are found** by the scored matcher (:mod:`hotline.language.matcher`); a name written
  as a name but found in no record is one the corpus does not cover.
- **Whose a fact is** (:meth:`Directory.owners_in`): the organisation its row, item or sentence names;
  a contact the text marks as another's (an advert, a partner) is that one's; else its section's (a
  heading naming another: "Не путайте с СберМаркетом") or its article's.

Nothing here lists an organisation, and the rules are about how Russian writes names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from hotline.index.passages import SECTION_SEPARATOR
from hotline.language.inference import infer
from hotline.language.lexicon import lexicon
from hotline.language.matcher import NameMatcher
from hotline.language.morphology import is_dictionary_word, is_function_word, is_noun, is_place_name, lemmas
from hotline.language.names import Organization, forms, name_key, name_words, nominative, normal, tokens
from hotline.language.written import (
    QUOTED,
    appositive_names,
    marked_as_another,
    name_runs,
    place_or_body,
    quoted_names,
    unheard,
)

__all__ = ["ANOTHER", "Directory", "Mention", "Organization", "infer"]

T = TypeVar("T")
OWNERS_CACHED = 50_000  # texts whose owners a directory remembers (rows and sentences, a few MB)
NOT = re.compile(r"(?<!\w)не(?!\w)", re.IGNORECASE)
# A capitalised word right after a name, in the same phrase (one space): "Ozon Card", "Сбербанк Онлайн".
BRAND_WORD = re.compile(r" ([A-ZА-ЯЁ][a-zа-яё]+(?:-[A-Za-zА-Яа-яЁё]+)?)\b")
ANOTHER = "\x00another"  # the owner of a contact marked as someone else's whom the text does not name


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
        names = [(o.name, n) for o in self.organizations.values() for n in (*o.names, *_everyday(o))]
        self._matcher = NameMatcher(names, is_name_word)
        # By text: the same rows come back question after question, and reading names in them is the
        # costliest step of an answer at a thousand organisations.
        self._owners: dict[str, frozenset[str]] = {}
        self._disowned: dict[str, frozenset[str]] = {}
        self._products: dict[str, frozenset[tuple[str, str]]] = {}
        written = [name_words(n) for o in self.organizations.values() for n in o.names]
        self._later_words = frozenset(f for words in written for w in words[1:] for f in forms(w))
        # A name's first word -> the words that follow it in the registry's names ("кедр" -> банк, мобайл).
        self._next_words: dict[str, set[str]] = {}
        for words in written:
            if len(words) > 1:
                self._next_words.setdefault(words[0], set()).add(words[1])

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

    def unknown_names(
        self, text: str, known_words: frozenset[str], mentions: Sequence[Mention] | None = None
    ) -> tuple[str, ...]:
        """Names ``text`` writes that no organisation of the corpus has and the articles never use:
        another company ("Wildberries", "МТС", "тинек"). Places and public bodies are not names here.
        ``mentions``: the text's, when the caller has them already."""
        mentions = self.mentions(text) if mentions is None else mentions
        mentioned = {w.casefold() for m in mentions for w in m.surface.split()}
        asking = lexicon().asking
        unknown = []
        for run in name_runs(text, known_words):
            typed = [w.casefold().replace("ё", "е") for w in run.split()]
            if set(typed) & mentioned or all(w in known_words or normal(w) in known_words for w in typed):
                continue  # a name the articles use ("Card"), or part of one the corpus covers
            if all(lemmas(w) & asking for w in typed):
                continue  # a word of how questions are asked that no dictionary has ("имейл")
            unknown.append(run)
        # "лента гипермаркет": an ordinary word beside a kind of organisation is a name too.
        unknown += [w for w in appositive_names(text, known_words) if w.casefold() not in mentioned]
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
            if i not in partly and word not in self._next_words:
                continue
            nexts = self._next_words.get(word, set())
            written = typed[i + 1][:1].isupper() and not place_or_body(after)  # "Кедр Страхование"
            if after not in nexts and (unheard(after, known_words) or self._is_word_of_a_name(after) or written):
                found.append(f"{typed[i]} {typed[i + 1]}")
        # The member's own word written first ("лавка яндекс"): a noun the articles never use, not a kind
        # of organisation ("магазин яндекс").
        kinds = lexicon().kinds
        for i in range(1, len(normal_)):
            if i not in partly and normal_[i] not in self._next_words:
                continue
            before = normal_[i - 1]
            if before and unheard(before, known_words) and is_noun(before) and not lemmas(before) & kinds:
                found.append(f"{typed[i - 1]} {typed[i]}")
        return found

    def _is_word_of_a_name(self, word: str) -> bool:
        """A word of some registry name other than its first, in any form: "Страхование" of «Сосна
        Страхование», "такси" of «Кодун Такси»: a member of another family, so one of this family too."""
        return bool(forms(word) & self._later_words) and not is_function_word(word)

    def owners_in(self, text: str) -> frozenset[str]:
        """Whose facts ``text`` (a table row, a list item, a sentence) gives, by the names it writes: the
        organisations it names in full (not after "не": "а не «Пятёрочки»"), and, where it marks the
        contact as another's (an advert, a partner, "не путайте с …"), a name it writes «in quotes» that is
        no one's of the registry. Empty when it names no one: then the fact is its section's or article's."""
        return _cached(self._owners, text, self._owners_in)

    def _owners_in(self, text: str) -> frozenset[str]:
        typed = [t.text.casefold() for t in tokens(text)]
        # An ordinary word in lower case ("телефонов", "лента") names no one in an article's own text.
        named = {
            m.organization
            for m in self.mentions(text)
            if m.strength == 2
            and not (m.surface.islower() and is_dictionary_word(normal(m.surface)))
            and not _negated(m, typed)
            and not self._within_other_name(m, text)
        }
        if marked_as_another(typed):
            named |= {name for name in quoted_names(text) if not self._matcher.find(name)}
            named.add(ANOTHER)
        return frozenset(named)

    def _within_other_name(self, mention: Mention, text: str) -> bool:
        """Whether the text writes ``mention`` only as part of a longer name «in quotes» that is not one of
        its organisation's names: "Почта" of «Почта Банк Онлайн» is not «Почта России»."""
        surface = mention.surface.casefold()
        quoted = [q for q in QUOTED.findall(text) if surface in q.casefold()]
        return (
            bool(quoted)
            and all(
                len(q.split()) > len(mention.surface.split())
                and not any(
                    f.organization == mention.organization and f.complete and len(f.surface.split()) >= len(q.split())
                    for f in self._matcher.find(q)
                )
                for q in quoted
            )
            and not any(surface in part.casefold() for part in QUOTED.split(text)[::2])
        )

    def disowned_in(self, text: str) -> frozenset[str]:
        """The organisations ``text`` says a contact is not of: "это телефон сайта, а не Росгосстраха"."""
        if not NOT.search(text):  # most texts say no "не": no name need be looked for
            return frozenset()
        return _cached(self._disowned, text, self._disowned_in)

    def products_in(self, text: str) -> frozenset[tuple[str, str]]:
        """Each organisation whose name ``text`` writes with a name word after it, with that word: a
        product or a service under its brand ("Владельцы Ozon Card …": Ozon, "Card"), whose line is for its
        users, not the organisation's general one. A place after the name ("Ozon Москва") is not one; a
        registered name that goes on ("Сбербанк России") is found whole by the matcher, so nothing follows."""
        return _cached(self._products, text, self._products_in)

    def _products_in(self, text: str) -> frozenset[tuple[str, str]]:
        found = set()
        for mention in self.mentions(text):
            if mention.partial or not mention.surface:
                continue
            start = text.find(mention.surface)
            after = BRAND_WORD.match(text, start + len(mention.surface)) if start >= 0 else None
            if after is None:
                continue
            word = after.group(1)
            if not is_function_word(word.lower()) and not is_place_name(word) and not self.mentions(word):
                found.add((mention.organization, word))
        return frozenset(found)

    def _disowned_in(self, text: str) -> frozenset[str]:
        typed = [t.text.casefold() for t in tokens(text)]
        return frozenset(m.organization for m in self.mentions(text) if _negated(m, typed))

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
            for run in name_runs(heading, frozenset(), written=True):
                typed = run.split()
                if any(forms(normal(w)) & quoted for w in typed):
                    return " ".join(nominative(w) for w in typed)
        return organization


def _negated(mention: Mention, typed: Sequence[str]) -> bool:
    """Whether the name is written right after "не" ("а не «Пятёрочки»")."""
    return mention.at > 0 and typed[mention.at - 1] == "не"


def _everyday(organization: Organization) -> tuple[str, ...]:
    """The everyday names of a national public body the registry holds under one of its names ("соцфонд"
    for «Социальный фонд»): a fact of the language (``lexicon/everyday_names.yaml``)."""
    keys = {name_key(n) for n in organization.names}
    return tuple(n for group in lexicon().everyday_names if keys & {name_key(g) for g in group} for n in group)


def _cached(cache: dict[str, T], text: str, compute: Callable[[str], T]) -> T:
    found = cache.get(text)
    if found is None:
        if len(cache) > OWNERS_CACHED:
            cache.clear()
        cache[text] = found = compute(text)
    return found
