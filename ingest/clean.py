"""Clean article text: no markup that acts, normalised whitespace, and no boilerplate (found by how
often it repeats).

Articles are pasted from web pages, so they may hold HTML (``<script>``, ``onerror=``, ``javascript:``
links) and Markdown images that would load a remote URL (a tracker) in every reader's browser. Both are
made plain text once, here, so that no output (the page, ``python -m hotline``, ``--json``) can carry
them: tags go (nh3, the Ammonia sanitiser, which drops script and style with their content), an image
becomes its alt text, a link with a scheme other than http(s), mailto or tel becomes its text.

Scraped articles carry adverts and calls to action pasted into them again and again ("Наши статьи
рассказывают о типовых способах…"). Such a paragraph says nothing about the question and, worse, can
carry other people's phone numbers. We do not list them by hand (the next corpus has other ones): a
prose paragraph that occurs ``min_repeats`` times or more across the corpus is boilerplate, and so is a
paragraph nearly identical to one (an edited copy). Headings, table rows and list items are never
boilerplate: a repeated table row is usually a fact that several articles share.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

import nh3

from ingest.load import Article

MAX_UNESCAPES = 5  # entity-encoded schemes are undone this many layers deep (each layer is one pass)
MIN_BOILERPLATE_CHARS = 40  # shorter repeats ("Подробнее.", "Заключение") are ordinary phrases
NEAR_DUPLICATE = 0.9  # share of words in common at which a paragraph is an edited copy of boilerplate
WORD = re.compile(r"\w+")

INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Headings, tables, quotes, code and list items: structure that often carries facts.
NOT_PROSE = re.compile(r"\A\s*(?:#|\||>|```|~~~|[-*+][ \t]|\d{1,3}[.)][ \t])")
MARKUP = re.compile(r"<[a-zA-Z/!?]|&[#a-zA-Z0-9]+;")  # a tag, a comment or an entity: nh3 has work to do
AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^<>\s]+|[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)>")  # <https://…>, <a@b.ru>
LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
IMAGE = re.compile(r"!\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)")
SAFE_SCHEME = r"(?!(?:https?|mailto|tel):)"
UNSAFE_LINK = re.compile(rf"\[([^\]]*)\]\(\s*<?{SAFE_SCHEME}[a-zA-Z][\w+.-]*:(?:[^()]|\([^()]*\))*\)", re.IGNORECASE)
# A reference-style link's definition ("[1]: javascript:…", the address maybe on the next line).
UNSAFE_DEFINITION = re.compile(
    rf"^ {{0,3}}\[[^\]\n]+\]:[ \t]*\n?[ \t]*<?{SAFE_SCHEME}[a-zA-Z][\w+.-]*:.*$", re.IGNORECASE | re.MULTILINE
)
UNSAFE_ADDRESS = re.compile(rf"\b{SAFE_SCHEME}[a-zA-Z][a-zA-Z0-9+.-]*:\S+", re.IGNORECASE)  # javascript:…, data:…
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


@dataclass(frozen=True)
class Boilerplate:
    """A paragraph dropped as boilerplate, and how many times it was found."""

    text: str
    count: int


def plain(text: str) -> str:
    """``text`` with no markup that acts: HTML tags, Markdown images, links of other schemes, inline or by
    reference. Until nothing changes: unescaping entities can make a scheme of what was none
    (``java&#115;cript:``, and ``&amp;#115;`` twice over)."""
    for _ in range(MAX_UNESCAPES):
        before = text
        text = IMAGE.sub(r"\1", text)
        text = UNSAFE_LINK.sub(r"\1", text)
        text = UNSAFE_DEFINITION.sub("", text)
        if MARKUP.search(text):
            text = LINE_BREAK.sub(" ", AUTOLINK.sub(r"\1", text))
            text = html.unescape(nh3.clean(text, tags=set()))
        if text == before:
            break
    return text


def plain_source(source: str) -> str:
    """An article's ``source`` (a web address or a description) without an address of a scheme that acts:
    ``javascript:…`` there had gone raw into ``--json``."""
    return " ".join(UNSAFE_ADDRESS.sub("", plain(source)).split())


def normalize_text(text: str) -> str:
    """NFC, no invisible characters, single spaces, no trailing spaces, at most one blank line."""
    text = unicodedata.normalize("NFC", text).translate(INVISIBLE)
    lines = [SPACES.sub(" ", line).rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def paragraphs(body: str) -> list[str]:
    return [p for p in re.split(r"\n[ \t]*\n", body) if p.strip()]


def _is_prose(paragraph: str) -> bool:
    return not NOT_PROSE.match(paragraph)


def _key(paragraph: str) -> tuple[str, ...]:
    """Comparison key, the paragraph's words: case, punctuation and spacing do not make it different."""
    return tuple(WORD.findall(paragraph.casefold()))


def _long_enough(key: tuple[str, ...]) -> bool:
    return sum(map(len, key)) >= MIN_BOILERPLATE_CHARS


def find_boilerplate(articles: list[Article], min_repeats: int) -> dict[tuple[str, ...], Boilerplate]:
    """Boilerplate paragraphs of the corpus, by comparison key."""
    counts: Counter[tuple[str, ...]] = Counter()
    example: dict[tuple[str, ...], str] = {}
    for article in articles:
        for paragraph in paragraphs(article.body):
            if _is_prose(paragraph) and _long_enough(key := _key(paragraph)):
                counts[key] += 1
                example.setdefault(key, paragraph.strip())
    return {key: Boilerplate(example[key], n) for key, n in counts.items() if n >= min_repeats}


class _Detector:
    """Decides, paragraph by paragraph, whether it is boilerplate (exactly, or an edited copy)."""

    def __init__(self, boilerplate: dict[tuple[str, ...], Boilerplate]) -> None:
        self.exact = boilerplate
        # One matcher per known paragraph: SequenceMatcher indexes its second sequence once.
        self.matchers = [(len(known), SequenceMatcher(None, b=known, autojunk=False)) for known in boilerplate]
        self.decided: dict[tuple[str, ...], bool] = {}

    def __call__(self, paragraph: str) -> bool:
        if not _is_prose(paragraph) or not _long_enough(key := _key(paragraph)):
            return False
        if key not in self.decided:
            self.decided[key] = key in self.exact or self._near(key)
        return self.decided[key]

    def _near(self, key: tuple[str, ...]) -> bool:
        # An edited copy differs by a word or two; check the cheap upper bounds before the real ratio.
        for length, matcher in self.matchers:
            if 2 * min(length, len(key)) < NEAR_DUPLICATE * (length + len(key)):
                continue
            matcher.set_seq1(key)
            if matcher.quick_ratio() >= NEAR_DUPLICATE and matcher.ratio() >= NEAR_DUPLICATE:
                return True
        return False


def clean_corpus(articles: list[Article], min_repeats: int = 3) -> tuple[list[Article], list[Boilerplate]]:
    """Articles with normalised text and without boilerplate, and the boilerplate that was dropped."""
    normalized = [
        replace(
            a,
            title=" ".join(plain(a.title).split()),
            body=normalize_text(plain(a.body)),
            source=plain_source(a.source),
            organization=" ".join(plain(a.organization).split()),
            aliases=tuple(" ".join(plain(alias).split()) for alias in a.aliases),
        )
        for a in articles
    ]
    boilerplate = find_boilerplate(normalized, min_repeats)
    if not boilerplate:
        return normalized, []
    is_boilerplate = _Detector(boilerplate)
    cleaned = []
    for article in normalized:
        kept = [p for p in paragraphs(article.body) if not is_boilerplate(p)]
        cleaned.append(replace(article, body="\n\n".join(kept) + "\n"))
    return cleaned, list(boilerplate.values())
