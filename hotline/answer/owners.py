"""Whose facts an answer may give: an answer about X quotes only X's, a family's word alone gets each
member's answer under its name, and a decline offers the closest names the corpus covers.

Ownership is read per unit (a table row, a list item, a sentence) through the registry
(:meth:`hotline.language.organizations.Directory.owners_in`), so a roundup's row answers for its own
organisation only, and a contact the page marks as someone else's (an advert, a partner, "а не …") is
never quoted as the page's organisation's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache, partial
from itertools import pairwise

from hotline.answer.types import Answer, Citation, source_list
from hotline.answer.units import Unit
from hotline.index.passages import Passage
from hotline.language.facts import extract
from hotline.language.lexicon import lexicon
from hotline.language.organizations import ANOTHER, Directory
from hotline.language.written import CONTACT_LINE
from hotline.search.query import Query
from hotline.wording import wording

MEMBERS = 4  # a family's word alone: each member's answer, for this many members at most


def each_member(query: Query, passages: Sequence[Passage], compose: Callable[..., Answer]) -> Answer | None:
    """The answer for each member of a family the question names by its word alone ("Кедр"), one after
    another under its name, each from its own passages; None when the family is too large to list or no
    member's passages answer (the question is then asked which)."""
    members = sorted(query.organizations)
    if len(members) > MEMBERS:
        return None
    parts: list[tuple[str, Answer]] = []
    for member in members:
        own = [p for p in passages if p.organization == member]
        if own:
            single = replace(query, organizations=frozenset({member}), partly_named=False)
            reply = compose(single, own)
            if reply.answered:
                parts.append((member, reply))
    if not parts:
        return None
    body: list[str] = []
    citations: list[Citation] = []
    for member, reply in parts:
        offset = len(citations)
        renumbered = re.sub(r"\[(\d+)\]", partial(_shifted, offset=offset), reply.body)
        body += [f"**{member}**", renumbered, ""]
        citations += [replace(c, n=c.n + offset) for c in reply.citations]
    say = wording(query.language)
    return Answer(
        body="\n".join(body).strip(),
        answered=True,
        sources=source_list(citations, say["sources"]),
        facts=tuple(f for _, reply in parts for f in reply.facts),
        citations=tuple(citations),
    )


LISTED = re.compile(r"[\s,;]*(?:и|или|and|or)?[\s,;]*", re.IGNORECASE)  # what joins names asked together


def listed(query: Query) -> bool:
    """Whether the question lists the organisations it names ("телефоны МТС и Билайна"), asking about each:
    names apart in the sentence ("у меня Тинькофф Мобайл на сети Теле2, а по кредитке куда звонить?")
    may be only what the question tells about itself."""
    text = query.text.casefold()
    spans = sorted((at, at + len(s)) for s in query.organization_surfaces if (at := text.find(s.casefold())) >= 0)
    return len(spans) > 1 and all(
        start >= end and LISTED.fullmatch(text[end:start]) for (_, end), (start, _) in pairwise(spans)
    )


def _shifted(match: re.Match[str], offset: int) -> str:
    return f"[{int(match.group(1)) + offset}]"


def owners_of(chosen: Sequence[Unit], kinds: Sequence[str], query: Query, directory: Directory | None) -> list[str]:
    """The organisations whose facts of the kind asked the chosen units give, when the question names
    none (nor a public body): more than one means the question did not say whose contact it wants."""
    if query.organizations or query.authorities:
        return []
    found: list[str] = []
    for unit in chosen:
        if unit.has(kinds):
            if unit.passage.organization:
                found.append(unit.passage.organization)
            elif directory is not None:  # a roundup's row: whom it names
                found += sorted(directory.owners_in(unit.raw) - {ANOTHER})
    return list(dict.fromkeys(found))


def own_units(found: Sequence[Unit], asked: frozenset[str], directory: Directory) -> list[Unit]:
    """The units whose facts may answer a question about ``asked`` (anyone, when empty): none the page
    marks as someone else's (an advert, a partner) or says is not theirs (the unit itself or a neighbour:
    "это телефон сайта, а не Росгосстраха"); for a question about X, none that names only others, and
    none of another's passage that names no one (retrieval kept to X's passages, a roundup's too)."""
    by_position = {u.position: u for u in found}
    disowning = {u.position for u in found if asked and directory.disowned_in(u.raw) & asked}
    # A line that says whose a number is not, and not whose it is ("Это телефон самого сайта, а не
    # Росгосстраха."): the number beside it is no one's the sources name.
    unowned = {u.position for u in found if directory.disowned_in(u.raw) and not _claimants(u.raw, directory)}
    kept = []
    for unit in found:
        if not unit.facts:
            kept.append(unit)
            continue
        named = _claimants(unit.raw, directory)
        if unit.context & lexicon().third_party:  # "Реклама." before it, a section "Партнёры"
            named.add(_other_party(unit.passage, directory))
        if not named and _near(unit, unowned, by_position):
            named.add(ANOTHER)
        if ANOTHER in named and not named & asked:
            continue
        if asked:
            if not _theirs(named, unit.passage, asked):
                continue
            if _near(unit, disowning, by_position):
                continue
        kept.append(unit)
    return kept


NEIGHBOURS = 2  # units either side of a line that may say whose its number is not


def _near(unit: Unit, positions: set[int], by_position: dict[int, Unit]) -> bool:
    """Whether a unit of ``positions`` stands beside ``unit`` (or is it), in the same passage."""
    return any(
        (u := by_position.get(unit.position + d)) is not None
        and u.passage.id == unit.passage.id
        and u.position in positions
        for d in range(-NEIGHBOURS, NEIGHBOURS + 1)
    )


def _claimants(text: str, directory: Directory) -> set[str]:
    """Whose facts ``text`` gives by the names it writes, public bodies aside (where to turn is anyone's
    answer)."""
    return {n for n in directory.owners_in(text) if not _public_body(n)}


def _other_party(passage: Passage, directory: Directory) -> str:
    """Whose a contact is that its context marks as someone else's: the organisation of its section when
    a heading names it and the title does not (a section "Не путайте с СберМаркетом" of Мегамаркет's
    article is СберМаркет's), else another party than the article's, unnamed."""
    own = passage.organization
    named = own and passage.section and own in directory.owners_in(passage.section)
    return own if named and own not in directory.owners_in(passage.title) else ANOTHER


def _theirs(named: set[str], passage: Passage, asked: frozenset[str]) -> bool:
    """Whether facts ``named`` as whose (empty: named by no one) in ``passage`` are those of ``asked``: it
    names one of them, or names no one in one of their passages (a roundup's line naming no one is not)."""
    return bool(named & asked) if named else passage.organization in asked


@lru_cache(maxsize=4096)
def _public_body(name: str) -> bool:
    return any(f.kind == "authority" for f in extract(name))


CLOSEST = 5  # names a decline offers instead of the one it could not find
ALL_NAMES = 8  # a corpus of this many organisations or fewer is listed whole


def closest_names(name: str, covered: Sequence[str]) -> list[str]:
    """The organisations of the corpus nearest to ``name`` as written, for a decline: all of a small
    corpus; of a large one the few whose names look most like it, the family's members first. Never
    ``name`` itself."""
    from rapidfuzz import fuzz, process

    from hotline.language.names import name_key

    key = name_key(name)
    others = [c for c in covered if name_key(c) != key]
    if len(others) <= ALL_NAMES:
        return others
    keys = {c: name_key(c) for c in others}
    # The family is of the rarest word the name shares: "Essag" of «Essag Express», not its «Express».
    shares = Counter(w for c in others for w in set(keys[c].split()) if w in key.split())
    rarest = min(shares, key=lambda w: (shares[w], w), default="")
    family = [c for c in others if rarest in keys[c].split()]
    ranked = process.extract(key, keys, scorer=fuzz.WRatio, limit=CLOSEST)
    return list(dict.fromkeys([*family[:CLOSEST], *(c for _, _, c in ranked)]))[:CLOSEST]


def owned_passages(passages: Sequence[Passage], asked: frozenset[str], directory: Directory) -> list[Passage]:
    """``passages`` with only the lines that may give the facts of ``asked`` (all of them when no one is
    asked): what the guard lets an answer about X cite, so that a number of another organisation's row, or
    one the page marks as someone else's, is removed from any answer, a language model's too."""
    if not asked:
        return list(passages)
    kept = []
    for passage in passages:
        lines = [line for line in passage.text.splitlines() if _line_of(line, passage, asked, directory)]
        kept.append(replace(passage, text="\n".join(lines)))
    return kept


def _line_of(line: str, passage: Passage, asked: frozenset[str], directory: Directory) -> bool:
    named = _claimants(line, directory)
    return _theirs(named, passage, asked) or (not named and not CONTACT_LINE.search(line))
