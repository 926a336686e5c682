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

import phonenumbers

from hotline.facts import CITATION_MARK, EMAIL, REGION
from hotline.passages import Passage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Guarded:
    text: str
    removed: tuple[str, ...]


@lru_cache(maxsize=4096)
def _phones(text: str) -> tuple[tuple[int, int, str, str], ...]:
    masked = CITATION_MARK.sub(lambda m: " " * len(m.group()), text)
    matcher = phonenumbers.PhoneNumberMatcher(masked, REGION, leniency=phonenumbers.Leniency.POSSIBLE)
    return tuple(
        (m.start, m.end, m.raw_string, phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164))
        for m in matcher
    )


def guard(text: str, cited: Sequence[Passage], replacement: str) -> Guarded:
    """``text`` with every phone and e-mail that no ``cited`` passage holds replaced by ``replacement``."""
    allowed_phones = {e164 for p in cited for *_, e164 in _phones(p.text)}
    allowed_emails = {m.group().lower() for p in cited for m in EMAIL.finditer(p.text)}
    spans = [(start, end, raw) for start, end, raw, e164 in _phones(text) if e164 not in allowed_phones]
    spans += [(m.start(), m.end(), m.group()) for m in EMAIL.finditer(text) if m.group().lower() not in allowed_emails]
    removed = []
    for start, end, raw in sorted(spans, reverse=True):
        text = text[:start] + replacement + text[end:]
        removed.append(raw)
    if removed:
        log.warning("guard removed %s: not in any cited passage", ", ".join(reversed(removed)))
    return Guarded(text, tuple(reversed(removed)))
