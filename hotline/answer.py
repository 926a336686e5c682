"""What a question gets back: the answer text, whether it is an answer at all, its facts and sources."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from hotline.passages import Passage


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


@dataclass(frozen=True)
class Answer:
    """The reply to one question.

    ``answered`` is False when the sources do not hold the answer (the text then says so).
    ``passages`` are the ranked candidates retrieval returned for ``query`` (the question made
    standalone), kept so that the evaluation can score retrieval apart from answering.
    ``timings`` are milliseconds per stage. ``removed`` lists what the guard took out of the text
    (phones or e-mails no cited passage holds).
    """

    text: str
    answered: bool
    query: str = ""
    facts: tuple[Fact, ...] = ()
    citations: tuple[Citation, ...] = ()
    passages: tuple[Passage, ...] = ()
    timings: Mapping[str, float] = field(default_factory=dict)
    removed: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
