"""Passages cut into what an answer quotes: sentences of prose, table rows, list items, each with what
frames it (the section heading, the table's header, the caption before a list, the sentence before).

The cut depends on a passage's text alone, so it is made once per text and cached: the same passages come
back for many questions. The chunk's Markdown structure survives in its stored text (ingest keeps rows,
items and paragraphs whole and on their own lines, see :mod:`ingest.split`), which is what this reads.

Why not cut at ingest and store the units beside each chunk? Because they are derived from the text and
nothing else: stored, they would be a second copy of every chunk in the index, one more thing for a
re-ingest, a Chroma server and an older index to keep in step (a format change, and a rebuild of every
index), for no gain in what is answered; and cut here they cost 0.5 ms per passage once the dictionary is
warm (5 ms cold; 121 passages of the mixed corpus), once per process.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise

from razdel import sentenize

from hotline.index.passages import SECTION_SEPARATOR, Passage
from hotline.language.facts import FactMention, extract
from hotline.language.morphology import lemma, words

TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}")
LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
CAPTION_CHARS = 200  # a paragraph this short frames the list, table or paragraph after it


@dataclass(frozen=True)
class Piece:
    """One quotable piece of a passage's text, whoever retrieved it."""

    raw: str  # as in the passage (a table row keeps its pipes: labels are read from them)
    lemmas: frozenset[str]
    context: frozenset[str]  # section path, table header or list caption, and the sentence before
    facts: tuple[FactMention, ...]
    asking: bool = False  # part of a question the source poses ("Вопрос: … Что делать?"), not an answer
    framing: str = ""  # what the encoder reads with it: a row's table header, an item's list caption


@dataclass(frozen=True)
class Unit:
    """A piece of one retrieved passage, where it stands: what the answerer scores and quotes."""

    rank: int  # of its passage in the retrieved list, from 0
    position: int  # among all the units of the retrieved passages
    passage: Passage
    piece: Piece

    @property
    def raw(self) -> str:
        return self.piece.raw

    @property
    def lemmas(self) -> frozenset[str]:
        return self.piece.lemmas

    @property
    def context(self) -> frozenset[str]:
        return self.piece.context

    @property
    def facts(self) -> tuple[FactMention, ...]:
        return self.piece.facts

    @property
    def asking(self) -> bool:
        return self.piece.asking

    @property
    def in_context(self) -> str:
        """What the encoder reads for it: where it stands (section), what frames it, and the unit."""
        return read_with(self.passage.section, self.piece.raw, self.piece.framing)

    @property
    def quote(self) -> str:
        return quote_of(self.raw)

    @property
    def list_marker(self) -> str | None:
        """A list item's marker as the source writes it ("-", "2."); None for a sentence or a table row."""
        found = LIST_ITEM.match(self.raw)
        return found.group().strip() if found else None

    @property
    def is_item(self) -> bool:
        """A list item or a table row (what a lead-in introduces)."""
        return bool(LIST_ITEM.match(self.raw)) or self.raw.lstrip().startswith("|")

    def has(self, kinds: Sequence[str]) -> bool:
        return any(f.kind in kinds for f in self.facts)


def quote_of(raw: str) -> str:
    """A piece as an answer quotes it: a row's cells without their pipes, an item without its marker."""
    text = raw.strip()
    if text.startswith("|"):
        text = " | ".join(cell.strip() for cell in text.strip("|").split("|"))
    return LIST_ITEM.sub("", text, count=1)


def read_with(section: str, raw: str, framing: str) -> str:
    """What the encoder reads for a piece ``raw`` of a passage in ``section``: the section's last part,
    what frames the piece, and the piece."""
    where = section.split(SECTION_SEPARATOR)[-1] + ". " if section else ""
    return f"{where}{framing.strip()} {quote_of(raw)}".strip()


def encoder_texts(text: str, section: str) -> list[str]:
    """What the encoder reads for each unit of a passage (the texts whose vectors an ingest keeps ready:
    see :mod:`hotline.index.vectors`). From the cut's spans alone: the lemmas and facts :func:`cut` adds
    are most of its cost (~1 ms a chunk), and an ingest asks this of every chunk of the corpus."""
    return [read_with(section, span.text, span.framing) for span in _spans(text)]


def units(passages: Sequence[Passage]) -> list[Unit]:
    """Every passage cut into units, in rank order."""
    found: list[Unit] = []
    for rank, passage in enumerate(passages):
        for piece in cut(passage.text, passage.section):
            found.append(Unit(rank=rank, position=len(found), passage=passage, piece=piece))
    return found


@dataclass(frozen=True)
class _Span:
    text: str
    context: str  # the text that frames it: a caption, a table header, the sentence before
    asking: bool
    framed: bool  # read with its context (a row, an item), or on its own (a sentence)

    @property
    def framing(self) -> str:
        """What the encoder reads with it: a row's table header, an item's list caption; none for a
        sentence (the sentence before would lend it a meaning it does not have)."""
        return self.context if self.framed else ""


@lru_cache(maxsize=4096)
def cut(text: str, section: str) -> tuple[Piece, ...]:
    """The pieces of one passage text."""
    heading = set(lemmas_of(section.replace(SECTION_SEPARATOR, " ")))
    # A row means little without its table's header, an item without its caption.
    return tuple(
        Piece(
            raw=span.text,
            lemmas=frozenset(lemmas_of(span.text)),
            context=frozenset(heading | set(lemmas_of(span.context))),
            facts=tuple(extract(span.text)),
            asking=span.asking,
            framing=span.framing,
        )
        for span in _spans(text)
    )


def _spans(text: str) -> list[_Span]:
    """A passage text cut into sentences, table rows and list items, each with what frames it."""
    spans: list[_Span] = []
    caption = ""
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line.strip()]
        if lines and all(line.lstrip().startswith("|") for line in lines):
            header = lines[0] if len(lines) > 1 and TABLE_SEPARATOR.match(lines[1].strip()) else ""
            rows = [line for line in lines if line is not header and not TABLE_SEPARATOR.match(line.strip())]
            spans += [_Span(row, f"{caption} {header}", asking=False, framed=True) for row in rows]
        elif lines and all(LIST_ITEM.match(line) or line.startswith("  ") for line in lines):
            spans += [_Span(line, caption, asking=False, framed=True) for line in lines]
        else:
            sentences = [s.text for line in lines for s in sentenize(line)]
            # A paragraph that ends in a question poses one (an FAQ's "Вопрос: …"): a sentence encoder finds
            # it nearest to a question like it, but it is what the source was asked, not what it answers.
            posed = bool(sentences) and sentences[-1].rstrip().endswith("?")
            spans += [
                _Span(s, sentences[i - 1] if i else caption, posed or s.rstrip().endswith("?"), framed=False)
                for i, s in enumerate(sentences)
            ]
        caption = block if block.rstrip().endswith(":") or len(block) <= CAPTION_CHARS else ""
    return spans


def lemmas_of(text: str) -> list[str]:
    """Lemmas of every word, and of the parts of hyphenated ones ("чат-поддержки"); Latin words also in
    Cyrillic ("OZON" is "озон"), as questions are normalised."""
    found = []
    for word in words(text):
        found.append(lemma(word))
        if "-" in word:
            found += [lemma(part) for part in word.split("-") if len(part) > 2]
        if word.isascii() and word.isalpha():
            found.append(_cyrillic(word))
    return found


@lru_cache(maxsize=20_000)
def _cyrillic(word: str) -> str:
    import cyrtranslit

    return lemma(str(cyrtranslit.to_cyrillic(word, "ru")))


INTRODUCED = 6  # list items or rows a lead-in ("Для этого необходимо:") brings along


def introduced(unit: Unit, found: Sequence[Unit]) -> list[Unit]:
    """The list items or table rows right after a lead-in ("Для этого необходимо:") in its passage."""
    following = [u for u in found if u.passage.id == unit.passage.id and u.position > unit.position]
    items = []
    for item in following:
        if not item.is_item:
            break
        items.append(item)
    return items


CLAUSE_END = re.compile(r"(?:[,;:]|\s[–—-])\s+")  # where a sentence's clauses meet


def without_kinds(unit: Unit, kinds: frozenset[str]) -> Unit:
    """``unit`` quoting only its clauses that give no fact of ``kinds`` ("…, в том числе можно
    воспользоваться формой обратной связи: http://…" without the phone the question ruled out), "…" where
    cut; as it is when it has none of them, or when no clause with another fact would be left."""
    ruled_out = [f for f in unit.facts if f.kind in kinds]
    if not ruled_out or unit.is_item:
        return unit
    raw = unit.raw
    cuts = [0, *(m.end() for m in CLAUSE_END.finditer(raw)), len(raw)]
    clauses = [(a, b) for a, b in pairwise(cuts) if b > a]
    cut_out = [(a, b) for a, b in clauses if any(a < f.end and f.start < b for f in ruled_out)]
    kept = [c for c in clauses if c not in cut_out]
    facts = tuple(f for f in unit.facts if f.kind not in kinds and any(a <= f.start and f.end <= b for a, b in kept))
    if not facts:
        return unit
    # The run of clauses around the first fact kept, between the ruled-out ones.
    anchor = min(facts, key=lambda f: f.start)
    first = max((b for a, b in cut_out if b <= anchor.start), default=kept[0][0])
    last = min((a for a, b in cut_out if a >= anchor.end), default=kept[-1][1])
    facts = tuple(f for f in facts if first <= f.start and f.end <= last)
    body = raw[first:last]
    prefix = "… " if first else ""
    moved = first + len(body) - len(body.lstrip()) - len(prefix)
    text = prefix + body.strip()
    shifted = tuple(replace(f, start=f.start - moved, end=f.end - moved) for f in facts)
    return replace(unit, piece=replace(unit.piece, raw=text, facts=shifted))
