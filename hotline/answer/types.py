"""What a question gets back (the answer text, whether it is an answer at all, its facts and sources),
and what every answerer is: the :class:`Answerer` protocol."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from hotline.index.passages import Passage, heading

if TYPE_CHECKING:
    from hotline.index.view import SnapshotView
    from hotline.search.query import Query


@dataclass(frozen=True)
class Turn:
    """One earlier exchange of the conversation."""

    question: str
    answer: str


@dataclass(frozen=True)
class Fact:
    """A fact stated in the answer: ``kind`` is phone, email, address, hours, authority or law; ``value``
    is as the source writes it, ``normalized`` is what comparisons use (E.164 for phones)."""

    kind: str
    value: str
    normalized: str
    passage_id: str


@dataclass(frozen=True)
class Citation:
    """A source the answer quotes, numbered as the text marks it (``[1]``)."""

    n: int
    passage_id: str
    article: str
    title: str
    section: str
    quote: str
    source: str = ""  # the article's ``source`` (a URL, several, or a note) and ``updated`` date
    updated: str = ""

    @property
    def heading(self) -> str:
        return heading(self.title, self.section)


@dataclass(frozen=True)
class Answer:
    """The reply to one question.

    ``body`` is the answer itself (its lead, quotes and notes); ``sources`` is the plain list of the
    passages it cites ("Источники:\n[1] title › section"), kept apart so that a page which shows its
    citations its own way (the chat's chips) need not parse it off; ``text`` is both, as the command line,
    the JSON output, the conversation history and the evaluation read it.
    ``answered`` is False when the sources do not hold the answer (the body then says so).
    ``passages`` are the ranked candidates retrieval returned for ``query`` (the question made
    standalone), kept so that the evaluation can score retrieval apart from answering.
    ``timings`` are milliseconds per stage. ``removed`` lists what the guard took out of the text
    (phones or e-mails no cited passage holds).
    """

    body: str
    answered: bool
    sources: str = ""
    query: str = ""
    facts: tuple[Fact, ...] = ()
    citations: tuple[Citation, ...] = ()
    passages: tuple[Passage, ...] = ()
    timings: Mapping[str, float] = field(default_factory=dict)
    removed: tuple[str, ...] = ()
    # How likely the best quote answers the question (hotline.verifier), where the verifier read it; an
    # answer declined with it set was declined by the verifier.
    support: float | None = None

    @property
    def text(self) -> str:
        return f"{self.body}\n\n{self.sources}" if self.sources else self.body

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "text": self.text}


def source_list(citations: Sequence[Citation], header: str) -> str:
    """The plain list of sources an answer's text ends with: the header, then "[n] title › section"."""
    return "\n".join([header, *(f"[{c.n}] {c.heading}" for c in citations)]) if citations else ""


@dataclass(frozen=True)
class Draft:
    """The answer so far, while an answerer writes it: the whole text so far, and the passages it may
    rest on (the pipeline guards it against them before anyone sees it)."""

    text: str
    grounds: tuple[Passage, ...]


class Answerer(Protocol):
    """Turns a question and its retrieved passages into an answer.

    An answerer yields :class:`Draft` texts while it writes (or none, when it composes at once) and
    ends with the :class:`Answer`. It does not guard: the pipeline checks every draft against its
    grounds and the answer against the passages it cites, the same way for every answerer.
    """

    name: str

    def answer(self, query: Query, passages: Sequence[Passage], view: SnapshotView) -> Iterator[Draft | Answer]: ...
