"""A passage: one chunk of one article, as retrieval returns it and citations show it.

A chunk's stored text is its *heading* (the article's title and the section path, "Как пожаловаться на
DNS › Куда обратиться › В Роспотребнадзор"), a blank line, then the body. The heading is part of what is
embedded and what BM25 indexes, because a passage often never names what it is about: a company's name
may be only in the title, "Общественная приёмная" alone never says Роспотребнадзор. A quote shows only
the body. These functions are the one place that format is written and read.
"""

from __future__ import annotations

from dataclasses import dataclass

SECTION_SEPARATOR = " › "


def heading(title: str, section: str) -> str:
    """Where a chunk sits: the article's title, then its section path."""
    return SECTION_SEPARATOR.join(part for part in (title.strip(), section) if part)


def compose(heading_: str, body: str) -> str:
    """The stored text of a chunk."""
    return f"{heading_}\n\n{body}" if heading_ else body


def body_of(text: str, heading_: str) -> str:
    """The body of a stored chunk text (the inverse of :func:`compose`)."""
    prefix = f"{heading_}\n\n"
    return text[len(prefix) :] if heading_ and text.startswith(prefix) else text


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
    organization: str = ""  # whom the passage is about (see hotline.language.organizations)
    updated: str = ""  # the article's ``updated`` date, as its front matter writes it
    similarity: float | None = None  # cosine to the question under the encoder (None: not compared)

    @property
    def heading(self) -> str:
        """Article title and section, as a citation line shows them."""
        return heading(self.title, self.section)
