"""Facts found in text: phone numbers and e-mail addresses.

Phone numbers are found and normalised by ``phonenumbers`` (region RU), so "8 (800) 234-70-00",
"+7 800 2347000" and "8-800-234-70-00" are one number, +78002347000. Everything that checks an answer
against its sources (the guard, the evaluation) compares these normal forms, never the raw strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

REGION = "RU"
CITATION_MARK = re.compile(r"\[\d{1,3}\]")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zа-я]{2,}(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class PhoneMention:
    """A phone number as written in a text, with its normal form (E.164) and where it stands."""

    raw: str
    e164: str
    start: int
    end: int


def find_phones(text: str) -> list[PhoneMention]:
    """Every phone number in ``text``, in order (phonenumbers' VALID leniency: real number ranges only).

    Citation marks are blanked first: brackets are phone punctuation to phonenumbers, so in
    "8 800 775-07-99 [1]" it would read one 12-digit number and reject it, and the phone would go unseen.
    """
    masked = CITATION_MARK.sub(lambda m: " " * len(m.group()), text)
    return [
        PhoneMention(
            m.raw_string, phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164), m.start, m.end
        )
        for m in phonenumbers.PhoneNumberMatcher(masked, REGION)
    ]


def normalize_phone(raw: str) -> str:
    """The E.164 form of one phone number written by a person; ValueError when it is not one."""
    try:
        number = phonenumbers.parse(raw, REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"{raw!r} is not a phone number ({exc})") from exc
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"{raw!r} is not a phone number (wrong length)")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def find_emails(text: str) -> list[str]:
    """Every e-mail address in ``text``, lower-cased, in order."""
    return [m.group().lower() for m in EMAIL.finditer(text)]
