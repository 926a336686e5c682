"""A passage: one chunk of one article, as retrieval returns it and citations show it.

A chunk's stored text is its section path, a blank line, then the body. The path is part of what is
embedded and matched ("Общественная приёмная" alone never says Роспотребнадзор; its path does), but a
quote shows only the body. These two functions are the one place that format is written and read.
"""

from __future__ import annotations

from dataclasses import dataclass

SECTION_SEPARATOR = " › "


def compose(section: str, body: str) -> str:
    """The stored text of a chunk."""
    return f"{section}\n\n{body}" if section else body


def body_of(text: str, section: str) -> str:
    """The body of a stored chunk text (the inverse of :func:`compose`)."""
    prefix = f"{section}\n\n"
    return text[len(prefix) :] if section and text.startswith(prefix) else text


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with what a citation needs.

    ``score`` is the retriever's relevance, higher is better; only its order within one result list
    is meaningful.
    """

    id: str
    text: str
    article: str
    title: str
    section: str
    source: str
    score: float

    @property
    def heading(self) -> str:
        """Article title and section, as a citation line shows them."""
        return f"{self.title}{SECTION_SEPARATOR}{self.section}" if self.section else self.title
