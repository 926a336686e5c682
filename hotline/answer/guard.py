"""The guard: every phone number and e-mail in an answer must stand in a passage the answer cites.

It runs on every answer, extractive or written by a language model, as the last step. Anything else is
removed (and logged), and the answer says that something was removed. The question is never a source:
a number planted in it is not in any passage, so it cannot pass.

Phones are compared in E.164 and found with phonenumbers' *possible* leniency, looser than the VALID one
used elsewhere: the guard would rather remove a number-like string than let a made-up "+7 (000) …" by.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from hotline.index.passages import Passage
from hotline.language.facts import EMAIL, merge_spans
from hotline.language.phones import PhoneMention, find_phones

log = logging.getLogger(__name__)
MAX_ROUNDS = 5


@dataclass(frozen=True)
class Guarded:
    text: str
    removed: tuple[str, ...]


@lru_cache(maxsize=4096)
def _phones(text: str) -> tuple[PhoneMention, ...]:
    """The phones of ``text`` by both leniencies, cached: the same passages are guarded answer after answer."""
    return (*find_phones(text, lenient=True), *find_phones(text))


def guard(text: str, cited: Sequence[Passage], replacement: str) -> Guarded:
    """``text`` with every phone and e-mail that no ``cited`` passage holds replaced by ``replacement``.

    Phones are looked for with both leniencies (a string one misses, the other may read), and the check
    repeats on its own result: taking a number out can leave digits around it that read as another one
    ("7000000000 1(0000000000" loses its second half and its first becomes a number).
    """
    allowed_phones = {m.e164 for p in cited for m in _phones(p.text)}
    allowed_emails = {m.group().lower() for p in cited for m in EMAIL.finditer(p.text)}
    removed: list[str] = []
    for _ in range(MAX_ROUNDS):
        spans = _unsupported(text, allowed_phones, allowed_emails)
        if not spans:
            break
        for start, end, _ in reversed(spans):
            text = text[:start] + replacement + text[end:]
        removed += [raw for _, _, raw in spans]
    if removed:
        log.warning("guard removed %s: not in any cited passage", ", ".join(removed))
    return Guarded(text, tuple(removed))


def _unsupported(text: str, phones: set[str], emails: set[str]) -> list[tuple[int, int, str]]:
    """The spans of phones and e-mails in ``text`` outside the allowed ones, merged where they overlap."""
    spans = [(m.start, m.end) for m in _phones(text) if m.e164 not in phones]
    spans += [(m.start(), m.end()) for m in EMAIL.finditer(text) if m.group().lower() not in emails]
    return [(start, end, text[start:end]) for start, end in merge_spans(spans)]
