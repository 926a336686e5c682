"""Facts found in text: phones, e-mails, postal addresses, hours, authorities, legal references, prices.

The other kinds are recognised by the shapes Russian gives them (an address is a run of comma-separated
parts around a street word; hours are time ranges, day lists, "круглосуточно"; authorities are named
public bodies in any inflection). These patterns describe the language, not any article's content.

Phones, full and short, and their labels are :mod:`hotline.language.phones`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from razdel import sentenize

from hotline.language.lexicon import lexicon
from hotline.language.mentions import FactMention
from hotline.language.morphology import lemmas, phrase_starts, words
from hotline.language.phones import phone_facts

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zа-я]{2,}(?![\w-])", re.IGNORECASE)
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>|)]+[^\s<>|).,;:]", re.IGNORECASE)
KINDS = ("phone", "email", "url", "address", "hours", "authority", "law", "price")
# The kinds an answer states and the page highlights (a price is only ever declined: no source holds one).
STATED_KINDS = ("phone", "email", "url", "address", "hours", "authority", "law")
# The kinds of fact that answer each intent of a question (see hotline.search.query).
INTENT_KINDS: dict[str, tuple[str, ...]] = {
    "phone": ("phone",),
    "email": ("email",),
    "contact": ("phone", "email", "url"),
    "address": ("address",),
    "hours": ("hours",),
    "price": ("price",),
    "law": ("law",),
    "authority": ("authority",),
    "where": ("authority", "phone", "email", "url", "address"),  # a public body or a contact, see the answerer
}


def find_emails(text: str) -> list[str]:
    """Every e-mail address in ``text``, lower-cased, in order."""
    return [m.group().lower() for m in EMAIL.finditer(text)]


@lru_cache(maxsize=4096)
def extract(text: str) -> tuple[FactMention, ...]:
    """Every fact in ``text``, in order of position."""
    facts = [
        *phone_facts(text),
        *(FactMention("email", m.group(), m.group().lower(), m.start(), m.end()) for m in EMAIL.finditer(text)),
        *(FactMention("url", m.group(), m.group().lower(), m.start(), m.end()) for m in URL.finditer(text)),
        *_addresses(text),
        *_hours(text),
        *_authorities(text),
        *_pattern_facts("law", LAW, text),
        *_pattern_facts("price", PRICE, text),
    ]
    return tuple(sorted(facts, key=lambda f: (f.start, KINDS.index(f.kind))))


# -- addresses ------------------------------------------------------------------------------------------

STREET_WORD = (
    r"(?:ул\.|улица|пер\.|переулок|проезд|пр-т|просп\.|проспект|наб\.|набережная|шоссе|бульвар|б-р|пл\.|площадь"
    r"|тупик|аллея)"
)
LATIN_STREET = r"(?i:St|Street|Ave|Avenue|Rd|Road|Lane|Blvd|Boulevard|Embankment|Highway|Prospekt|Sq|Square)\.?"
ADDRESS_PART = re.compile(
    r"""^(?:
        \d{6}                                                     # postcode
      | Россия | РФ
      | (?:г\.\s*|город\s+)?[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)*      # city
      | (?:[А-ЯЁ0-9][\w-]*\s+)*"""
    + STREET_WORD
    + r"""(?:\s+[А-ЯЁ0-9][\w.-]*)*   # street
            (?:\s*,?\s*(?:д\.|дом)\s*\d+[а-я]?(?:/\d+)?)?(?:\s+(?:стр\.|строени[ея]|к\.|корп\.|корпус)\s*\d+(?:\s*и\s*\d+)?)?
      | (?:д\.|дом)\s*\d+[а-я]?(?:/\d+)? | \d{1,4}[а-я]?(?:/\d+)?  # house
      | (?:стр\.|строени[ея]|к\.|корп\.|корпус)\s*\d+(?:\s*и\s*\d+)?   # building
      | \d{1,4}[A-Za-z]?\s+(?:[A-Z][\w-]*\s+)+"""
    + LATIN_STREET
    + r"""   # a street written in Latin, house number first: "16 Nametkina St."
      | (?:building|bldg\.?|bld\.?|office)\s*\d+   # its building
      | [A-Z][a-z]+(?:[ -][A-Z][a-z]+)*   # its city or country: "Moscow", "Russia"
    )$""",
    re.VERBOSE,
)
STREET = re.compile(STREET_WORD + r"|\b" + LATIN_STREET + r"(?!\w)")
ADDRESS_BOUNDARY = re.compile(r"[;:()|\n«»]")


def _addresses(text: str) -> list[FactMention]:
    facts: list[FactMention] = []
    for clause_start, clause in _clauses(text):
        if not STREET.search(clause) and not re.search(r"\b\d{6}\b", clause):
            continue
        parts = [(m.start(), m.group()) for m in re.finditer(r"[^,]+", clause)]
        run: list[tuple[int, str]] = []
        for offset, part in [*parts, (len(clause), "")]:
            if part and ADDRESS_PART.match(part.strip()):
                run.append((offset, part))
                continue
            if any(STREET.search(p) for _, p in run) and len(run) >= 2:
                start = clause_start + run[0][0] + (len(run[0][1]) - len(run[0][1].lstrip()))
                end = clause_start + run[-1][0] + len(run[-1][1].rstrip())
                value = text[start:end]
                facts.append(FactMention("address", value, " ".join(value.split()).casefold(), start, end))
            run = []
    return facts


def _clauses(text: str) -> list[tuple[int, str]]:
    """Pieces of ``text`` between the marks an address never crosses, within sentences (razdel knows
    that the dots of "г.", "пер." and "д." do not end one)."""
    pieces = []
    for sentence_start, sentence_end in _sentences(text):
        start = sentence_start
        for m in ADDRESS_BOUNDARY.finditer(text, sentence_start, sentence_end):
            pieces.append((start, text[start : m.start()]))
            start = m.end()
        end = sentence_end - 1 if text[sentence_end - 1 : sentence_end] == "." else sentence_end
        pieces.append((start, text[start:end]))
    return [(a, piece) for a, piece in pieces if piece.strip()]


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.stop) for s in sentenize(text)]


# -- hours ----------------------------------------------------------------------------------------------

TIME = r"\d{1,2}:\d{2}"
HOURS_MARK = re.compile(
    rf"{TIME}\s*(?:[–—-]|до|по)\s*{TIME}|круглосуточн\w*|ежедневн\w*|без выходных"
    r"|(?:работает|доступен|доступна)\s+постоянно|24/7"
    r"|\b(?:пн|вт|ср|чт|пт|сб|вс)\.?(?:,\s*|\s+и\s+)(?:пн|вт|ср|чт|пт|сб|вс)\b",
    re.IGNORECASE,
)


def _hours(text: str) -> list[FactMention]:
    facts: list[FactMention] = []
    taken: list[tuple[int, int]] = []
    for m in HOURS_MARK.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        start, end = _enclosing(text, m.start(), m.end())
        taken.append((start, end))
        value = text[start:end].strip()
        facts.append(FactMention("hours", value, " ".join(value.split()).casefold(), start, end))
    return facts


def _enclosing(text: str, start: int, end: int) -> tuple[int, int]:
    """The parenthesis around a span if there is one, else its sentence, within its line or table cell."""
    open_ = text.rfind("(", 0, start)
    close = text.find(")", end)
    if open_ >= 0 and close >= 0 and ")" not in text[open_:start] and "(" not in text[end:close]:
        return open_ + 1, close
    left, right = next(((a, b) for a, b in _sentences(text) if a <= start < b), (0, len(text)))
    left = max(left, text.rfind("|", 0, start) + 1, text.rfind("\n", 0, start) + 1)
    right = min(i for i in (right, text.find("|", end), text.find("\n", end)) if i >= 0)
    return left, right


# -- authorities ----------------------------------------------------------------------------------------


def _authorities(text: str) -> list[FactMention]:
    """Named public bodies, by lemma, longest name first so "Генеральная прокуратура" is not "прокуратура"."""
    spans = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[\w-]+", text)]
    tokens = [lemmas(w.casefold().replace("ё", "е")) for _, _, w in spans]
    taken: set[int] = set()
    facts = []
    for name in lexicon().authorities:
        length = len(words(name))
        for i in phrase_starts(tokens, name):
            if not taken & set(range(i, i + length)):
                taken.update(range(i, i + length))
                start, end = spans[i][0], spans[i + length - 1][1]
                facts.append(FactMention("authority", text[start:end], name, start, end))
    return facts


# -- legal references and prices ------------------------------------------------------------------------

LAW = re.compile(
    r"(?:п\.\s*\d+\s*)?ст\.\s*\d+(?:\.\d+)?\s*(?:ГПК|ГК|АПК|УК|КоАП|НК)(?:\s*РФ)?"
    r"|(?:п\.\s*\d+\s*)?(?:ст\.\s*\d+\s*)?ФЗ\s*(?:№\s*\d+(?:-ФЗ)?|«[^»]{3,80}»)"
    r"|(?:(?:п\.\s*\d+\s*)?ст\.\s*\d+\s*)?[Зз]акон\w*\s*(?:РФ\s*)?(?:№\s*[\d-]+(?:-ФЗ)?|«[^»]{3,80}»)"
    r"|\b(?:ГПК|АПК|ГК)\b(?:\s*РФ)?"
    r"|\d+\s*(?:рабочих\s+|календарных\s+)?(?:дн(?:ей|я|ь)|суток)\b",
)
PRICE = re.compile(r"\d[\d\s]*(?:[.,]\d+)?\s*(?:руб(?:\.|лей|ля|ль)?|₽)", re.IGNORECASE)


def _pattern_facts(kind: str, pattern: re.Pattern[str], text: str) -> list[FactMention]:
    return [
        FactMention(kind, m.group(), " ".join(m.group().split()), m.start(), m.end()) for m in pattern.finditer(text)
    ]


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``(start, end)`` spans sorted, overlapping ones joined: facts and phones found by different
    matchers may overlap, and text is cut or marked once per run."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
