"""The registry of a snapshot: one record per organisation, with strict identity, built from every
article's declared or inferred name, a roundup's rows and the third parties pages quote; and whose each
chunk is. See :mod:`hotline.language.organizations` for how names are found and facts owned.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hotline.language.morphology import is_dictionary_word
from hotline.language.names import Organization, forms, name_key
from hotline.language.organizations import ANOTHER, Directory
from hotline.language.rows import row_names, third_parties
from hotline.language.written import CONTACT_LINE

__all__ = ["CorpusOrganizations", "Record", "record_id", "unify"]


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
class NameWords:
    """Whether a word can be a word of a name: not a dictionary word, or one the articles write as a name.
    A class rather than a closure, so that the registry can be kept on disk (hotline.index.kept)."""

    proper: frozenset[str]

    def __call__(self, word: str) -> bool:
        return not is_dictionary_word(word) or bool(forms(word) & self.proper)


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

        is_name_word = NameWords(proper)
        directory = Directory(canonical.values(), is_name_word)
        of_chunk = []
        for article, section, text in chunks:
            declared = articles.get(article)
            owner = unified[declared.name].name if declared is not None else ""
            of_chunk.append(directory.of_heading(section, owner, text) if owner else owner)
        extra = [Organization(name) for name in dict.fromkeys(of_chunk) if name and name not in canonical]
        keys = {name_key(n) for o in canonical.values() for n in o.names} | {name_key(o.name) for o in extra}
        for _, _, text in chunks:  # named only in a roundup's rows, or as a third party: the registry's too
            for found in [*row_names(text, frozenset(keys)), *map(Organization, third_parties(text))]:
                if name_key(found.name) not in keys:
                    keys.update(name_key(n) for n in found.names)
                    extra.append(found)
        if extra:
            directory = Directory([*canonical.values(), *extra], is_name_word)
        named_in = tuple(_named_with_contacts(directory, text) for _, _, text in chunks)
        return cls(directory, tuple(of_chunk), named_in)

    @property
    def names(self) -> tuple[str, ...]:
        """The organisations the corpus covers, by name, in order."""
        return tuple(self.directory.organizations)

    def records(self, articles: Sequence[str]) -> list[Record]:
        """The registry as a maintainer reads it: each organisation with its id, aliases, the articles about
        it and the chunks that give its contacts. ``articles``: each chunk's article, in view order."""
        about: dict[str, set[str]] = {}
        chunks: Counter[str] = Counter()
        for article, owner, named in zip(articles, self.of_chunk, self.named_in, strict=True):
            if owner:
                about.setdefault(owner, set()).add(article)
            for name in {owner, *named} - {""}:
                chunks[name] += 1
        return [
            Record(record_id(o.name), o.name, o.aliases, tuple(sorted(about.get(o.name, ()))), chunks[o.name])
            for o in sorted(self.directory.organizations.values(), key=lambda o: o.name.casefold())
        ]


@dataclass(frozen=True)
class Record:
    """One organisation of the registry."""

    id: str  # stable while its name is: a hash of the name's identity key
    name: str
    aliases: tuple[str, ...]
    articles: tuple[str, ...]  # about it (its own articles)
    chunks: int  # that give its contacts (its own, and roundups' rows naming it)


def record_id(name: str) -> str:
    return hashlib.sha1(name_key(name).encode()).hexdigest()[:10]


def _named_with_contacts(directory: Directory, text: str) -> frozenset[str]:
    """The organisations named in full on the lines of ``text`` that give a contact (a roundup's rows)."""
    lines = [line for line in text.splitlines() if CONTACT_LINE.search(line)]
    return frozenset(name for line in lines for name in directory.owners_in(line)) - {ANOTHER}
