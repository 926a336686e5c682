"""Split articles into sections, then into chunks that never cut a table row, a list item or a sentence.

The Markdown is parsed with markdown-it-py, which gives each block (paragraph, list item, table row) its
source lines, so chunks quote the article exactly. LangChain's splitters are not used here: its
Markdown header splitter folds blank lines into "  \\n", losing the paragraph boundaries we pack by, and
its recursive splitter cuts a table row or list item that is longer than the chunk size.

Each chunk carries its article path, section path ("Куда обратиться › В Роспотребнадзор") and heading
(title › section path), which is also the first line of the stored text (see :mod:`hotline.index.passages`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from langchain_core.documents import Document
from markdown_it import MarkdownIt
from markdown_it.token import Token
from razdel import sentenize

from hotline.index.passages import SECTION_SEPARATOR, compose, heading
from ingest.load import Article
from ingest.problems import Problem

_MARKDOWN = MarkdownIt("commonmark").enable("table")
CAPTION_CHARS = 200  # a paragraph this short right before a list or table is its caption
MAX_CHUNKS = 2000  # chunks indexed per article: ~1.4 million characters, about a minute of embedding


@dataclass(frozen=True)
class Chunk:
    article: str
    title: str
    section: str
    body: str

    def document(self) -> Document:
        where = heading(self.title, self.section)
        return Document(
            page_content=compose(where, self.body),
            metadata={"article": self.article, "section": self.section, "heading": where},
        )


@dataclass
class Block:
    """Parts that must each stay whole, how they join, and what opens the block (a table's header, a
    lead-in sentence) or reopens it when it continues in a new chunk (the table header again)."""

    parts: list[str]
    joiner: str = " "
    opening: str = ""
    continuation: str = ""
    lead_in: bool = False


def chunk_id(document: Document) -> str:
    """Stable id of a chunk: the hash of its text and metadata (used as the indexing API's key)."""
    payload = document.page_content + "\x1f" + json.dumps(document.metadata, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def split_corpus(articles: Iterable[Article], chunk_size: int, max_chunks: int = MAX_CHUNKS) -> list[Chunk]:
    return split_articles(articles, chunk_size, max_chunks)[0]


def split_articles(
    articles: Iterable[Article], chunk_size: int, max_chunks: int = MAX_CHUNKS
) -> tuple[list[Chunk], list[Problem]]:
    """Every article's chunks, each article's first ``max_chunks`` only, and a warning for each article
    that had more (one file must not fill the index, nor keep an ingest embedding for an hour)."""
    chunks: list[Chunk] = []
    problems = []
    for article in articles:
        own = split_article(article, chunk_size)
        if len(own) > max_chunks:
            why = f"{len(own)} chunks; only the first {max_chunks} are indexed (split the article)"
            problems.append(Problem(article.path, why, skipped=False, kind="too_many_chunks"))
        chunks += own[:max_chunks]
    return chunks, problems


def split_article(article: Article, chunk_size: int) -> list[Chunk]:
    chunks = []
    for section, blocks in sections(article.body, chunk_size):
        for body in pack(blocks, chunk_size):
            chunks.append(Chunk(article=article.path, title=article.title, section=section, body=body))
    return chunks


def sections(body: str, chunk_size: int) -> list[tuple[str, list[Block]]]:
    """(section path, blocks) in article order; text before the first heading has the path ""."""
    lines = body.split("\n")
    tokens = _MARKDOWN.parse(body)
    result: list[tuple[str, list[Block]]] = [("", [])]
    headings: list[tuple[int, str]] = []
    for i, token in enumerate(tokens):
        if token.level != 0 or token.nesting == -1 or token.map is None:
            continue
        if token.type == "heading_open":
            depth = int(token.tag[1])
            while headings and headings[-1][0] >= depth:
                headings.pop()
            headings.append((depth, tokens[i + 1].content.strip()))
            result.append((SECTION_SEPARATOR.join(text for _, text in headings), []))
            continue
        block = _block(tokens, i, lines, chunk_size)
        if block is not None:
            _append(result[-1][1], block)
    return [(path, blocks) for path, blocks in result if blocks]


def _source(lines: list[str], span: list[int]) -> str:
    return "\n".join(lines[span[0] : span[1]]).strip()


def _block(tokens: list[Token], at: int, lines: list[str], chunk_size: int) -> Block | None:
    """The block that ``tokens[at]`` opens. Its children are read from ``at`` on, never from a copy of
    the rest of the token list: that copy made splitting quadratic in the number of sections (100 000 tiny
    sections sat 276 s in silence)."""
    token = tokens[at]
    assert token.map is not None
    if token.type == "paragraph_open":
        text = _source(lines, token.map)
        parts = [text] if len(text) <= chunk_size else [s.text for s in sentenize(text)]
        return Block(parts=parts, joiner=" ", lead_in=text.endswith(":") and len(text) <= chunk_size // 2)
    if token.type in ("bullet_list_open", "ordered_list_open"):
        items = _children(tokens, at, "list_item_open", token.level + 1)
        return Block(parts=[_source(lines, item) for item in items], joiner="\n")
    if token.type == "table_open":
        rows = _children(tokens, at, "tr_open", token.level + 2)
        if not rows:
            return None
        header = _source(lines, [rows[0][0], rows[0][1] + 1])  # header row and the |---| line
        body_rows = [_source(lines, row) for row in rows[1:]]
        if not body_rows:
            return Block(parts=[header], joiner="\n")
        return Block(parts=body_rows, joiner="\n", opening=header + "\n", continuation=header + "\n")
    if token.type in ("blockquote_open", "fence", "code_block", "html_block"):
        return Block(parts=[_source(lines, token.map)], joiner="\n")
    return None  # hr and anything without text


def _children(tokens: list[Token], at: int, kind: str, level: int) -> list[list[int]]:
    """Source spans of the ``kind`` tokens at ``level`` inside the block that ``tokens[at]`` opens."""
    spans = []
    for i in range(at + 1, len(tokens)):  # by index: islice would walk the tokens before ``at`` again
        token = tokens[i]
        if token.nesting == -1 and token.level == tokens[at].level:
            break  # the block's closing token
        if token.type == kind and token.level == level and token.map is not None:
            spans.append(token.map)
    return spans


def _append(blocks: list[Block], block: Block) -> None:
    """Add a block; the caption just before a list or table ("Есть три номера:") travels with it."""
    previous = blocks[-1] if blocks else None
    is_caption = (
        previous is not None
        and previous.joiner == " "  # prose
        and len(previous.parts) == 1
        and (previous.lead_in or len(previous.parts[0]) <= CAPTION_CHARS)
    )
    if previous is not None and is_caption and block.joiner == "\n" and not block.lead_in:
        blocks[-1] = Block(
            parts=block.parts,
            joiner=block.joiner,
            opening=previous.parts[0] + "\n\n" + block.opening,
            continuation=block.continuation,
        )
        return
    blocks.append(block)


def pack(blocks: list[Block], chunk_size: int) -> list[str]:
    """Greedily fill chunks of about ``chunk_size`` characters with whole parts, in order.

    A lead-in ("Если возникли проблемы при работе с премиумом:") does not end a chunk: when it and the
    start of what it introduces do not both fit, the chunk is closed before the lead-in.
    """
    chunks: list[str] = []
    current = ""
    for b, block in enumerate(blocks):
        for i, part in enumerate(block.parts):
            piece, joiner = (block.opening + part, "\n\n") if i == 0 else (part, block.joiner)
            needed = len(piece)
            if block.lead_in and b + 1 < len(blocks):
                following = blocks[b + 1]
                needed += 2 + len(following.opening) + len(following.parts[0])
            if current and len(current) + len(joiner) + needed > chunk_size:
                chunks.append(current)
                current = block.continuation + part if i > 0 else piece
            else:
                current = current + joiner + piece if current else piece
    if current:
        chunks.append(current)
    return chunks
