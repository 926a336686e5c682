"""What a fact found in text is: its kind, its value as written and as compared, and where it stands."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PhoneMention:
    """A phone number as written in a text, with its normal form (E.164) and where it stands."""

    raw: str
    e164: str
    start: int
    end: int


@dataclass(frozen=True)
class FactMention:
    """A fact in a text. ``value`` is as written; ``normalized`` is what comparisons use."""

    kind: str
    value: str
    normalized: str
    start: int
    end: int
    label: str = ""
