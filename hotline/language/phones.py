"""Phone numbers in text: full numbers by ``phonenumbers``, a service's short number by what the text says
of it, and each number's label (what the text says it is for).

Full numbers are found and normalised by ``phonenumbers`` (region RU), so "8 (8XX) XXX-XX-XX",
"+7 8XX XXXXXXX" and "8-8XX-XXX-XX-XX" with the same digits are one number in E.164. Everything that
checks an answer against its sources (the guard, the evaluation) compares these normal forms, never the
raw strings.

A short number (104, 900, 0890, 2420) is a line people call too, but no number plan holds it:
phonenumbers reads any three digits as a possible number, so a short number is a fact only where the
text says it is a number to call: a word of calling just before it ("по номеру 104", "набирайте 112",
"короткий номер 900", "звонок на 0611"), a list after one ("по телефону 104, 112"), or a table row that
gives phones ("| МТС | 0890 | 8-800-250-08-90 |"). Its normal form is its digits. The guard and the
evaluation leave short numbers alone: they are found by these words, which an invented answer would
carry too, and a wrong one is a service's number, not a person's.

A phone also gets a *label*: sources write it before the number ("Для Москвы: +7 …", a table's other
cells) or after it ("+7 … – для СПб"); the label is what lets an answer pick the Moscow number out of a
list.
"""

from __future__ import annotations

import re

import phonenumbers

from hotline.language.mentions import FactMention, PhoneMention

REGION = "RU"
CITATION_MARK = re.compile(r"\[\d{1,3}\]")


def find_phones(text: str, lenient: bool = False) -> list[PhoneMention]:
    """Every phone number in ``text``, in order: by phonenumbers' VALID leniency (real number ranges
    only), or with ``lenient`` its POSSIBLE one (any number of a possible length: what the guard must
    also catch, since a model may write a number no range holds).

    Citation marks are blanked first: brackets are phone punctuation to phonenumbers, so in
    "8 8XX XXX-XX-XX [1]" it would read one 12-digit number and reject it, and the phone would go unseen.
    """
    masked = CITATION_MARK.sub(lambda m: " " * len(m.group()), text)
    leniency = phonenumbers.Leniency.POSSIBLE if lenient else phonenumbers.Leniency.VALID
    return [
        PhoneMention(m.raw_string, _e164(m.number), m.start, m.end)
        for m in phonenumbers.PhoneNumberMatcher(masked, REGION, leniency=leniency)
    ]


def normalize_phone(raw: str) -> str:
    """The E.164 form of one phone number written by a person; ValueError when it is not one."""
    try:
        number = phonenumbers.parse(raw, REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"{raw!r} is not a phone number ({exc})") from exc
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"{raw!r} is not a phone number (wrong length)")
    return _e164(number)


def parsed_phone(raw: str) -> str | None:
    """The E.164 form of whatever ``raw`` parses as, of any length (a fragment the guard removed), or
    None when it does not parse at all."""
    try:
        return _e164(phonenumbers.parse(raw, REGION))
    except phonenumbers.NumberParseException:
        return None


def dialled(e164: str) -> str:
    """A number in the one form an answer's lead shows it, whatever the article's spelling (a "7 (NNN) …"
    or "+ 7 (NNN) …" copies as a number that does not dial): "+7 NNN NNN-NN-NN"; a Russian toll-free line
    as it is dialled and printed in Russia, "8 800 NNN-NN-NN"; a foreign one in its international form.
    A short number (no "+") stays as written."""
    if not e164.startswith("+"):
        return e164
    try:
        number = phonenumbers.parse(e164, REGION)
    except phonenumbers.NumberParseException:
        return e164
    shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    # Russia's 80x codes are its non-geographic lines (8 800 toll-free); 812, 843 … are cities.
    if number.country_code == 7 and str(number.national_number).startswith("80"):
        return "8 " + shown.removeprefix("+7 ")
    return shown


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# -- short numbers --------------------------------------------------------------------------------------

SHORT = re.compile(r"(?<![\w*#+.,/-])\d{3,5}(?![\w#*%]|[.,:/-]\d)")
# A word of calling that ends right before a number: "по номеру", "набирайте", "короткий номер", "звонок на".
CALLED = re.compile(
    r"(?:\bномер\w{0,3}|\bтелефон\w{0,3}|\bтел\.|\b(?:по|до|за|на)?звон\w*|\bнабира\w*|\bнабер\w*|\bнабрать|\bнабор)"
    r"\s*(?:(?:на|по|с|со)\s+)?(?:(?:коротк|бесплатн|единн?|справочн|горяч|экстренн)\w*\s+)?"
    r"(?:(?:номер|телефон)\w{0,3}\s+)?:?\s*$",
    re.IGNORECASE,
)
LISTED = re.compile(r"^\s*(?:,|или|либо|и|/)\s*$")  # between numbers of one list: "104, 112", "8 800 … или 900"
AFTER = re.compile(r"^\s*(?:дн|руб|₽|%|час|мин|сек|год|лет|раз|шаг|км|тыс|млн|символ|знак|сим\b)", re.IGNORECASE)
CALL_CELL = re.compile(r"номер|телефон|звон|мобильн|линия", re.IGNORECASE)
YEAR = re.compile(r"^(?:19|20)\d\d$")


def short_numbers(text: str, full: list[PhoneMention]) -> list[PhoneMention]:
    """The short numbers of ``text`` that it says are numbers to call (see the module's docstring);
    ``full`` are its full numbers, which a short one may follow in a list or share a table row with."""
    taken = [(p.start, p.end) for p in full]
    ends = [p.end for p in full]
    found: list[PhoneMention] = []
    for m in SHORT.finditer(text):
        if any(a <= m.start() < b for a, b in taken) or AFTER.match(text[m.end() : m.end() + 8]):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[max(line_start, m.start() - 60) : m.start()]
        listed = any(LISTED.match(text[end : m.start()]) for end in [*ends, *(f.end for f in found)])
        if CALLED.search(before) or listed or _short_cell(text, m, line_start, full):
            found.append(PhoneMention(m.group(), m.group(), m.start(), m.end()))
    return found


def _short_cell(text: str, m: re.Match[str], line_start: int, full: list[PhoneMention]) -> bool:
    """Whether ``m`` is a table cell of its own in a row that gives a full number or speaks of calling."""
    line_end = text.find("\n", m.end())
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if not line.lstrip().startswith("|") or YEAR.match(m.group()):
        return False
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if m.group() not in cells:
        return False
    row_end = line_start + len(line)
    return any(line_start <= p.start < row_end for p in full) or any(CALL_CELL.search(c) for c in cells)


# -- facts and their labels -----------------------------------------------------------------------------

DASH_LABEL = re.compile(r"^\s*[–—-]\s*(для\b[^,;.:|()\n]*|[^,;.:|()\n]*)(?=[,;.|()\n]|$)")
CLAUSE_BREAK = re.compile(r"[.;|\n]\s|[–—]\s|^")


def phone_facts(text: str) -> list[FactMention]:
    """The phones of ``text``, full and short, each with its label."""
    full = find_phones(text)
    mentions = sorted([*full, *short_numbers(text, full)], key=lambda p: p.start)
    facts = []
    for n, phone in enumerate(mentions):
        previous_end = mentions[n - 1].end if n else 0
        next_start = mentions[n + 1].start if n + 1 < len(mentions) else len(text)
        label = _phone_label(text, phone, previous_end, next_start)
        facts.append(FactMention("phone", phone.raw, phone.e164, phone.start, phone.end, label))
    return facts


def _phone_label(text: str, phone: PhoneMention, previous_end: int, next_start: int) -> str:
    """What the text says the number is for: "+7 … – для Москвы" (after), "Для Москвы: +7 …" (before),
    or, in a table row, the row's other cells."""
    line_start = text.rfind("\n", 0, phone.start) + 1
    line_end = text.find("\n", phone.end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    after = text[phone.end : next_start]
    dash = DASH_LABEL.match(after)
    # A dash clause that ends in a colon introduces the next number ("… – для СПб: 8 (812) …"), not this one.
    if (
        dash
        and dash.group(1).strip()
        and not after[dash.end() :].lstrip().startswith(":")
        and next_start - phone.end > dash.end()
    ):
        return _tidy(dash.group(1))
    if dash and dash.group(1).strip() and next_start == len(text):
        return _tidy(dash.group(1))
    before = text[max(previous_end, line_start) : phone.start]
    cut = [m.end() for m in CLAUSE_BREAK.finditer(before)]
    clause = before[cut[-1] :] if cut else before
    if line.lstrip().startswith("|"):  # a table row: the other cells say what the number is
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        others = [c for c in cells if c and phone.raw not in c and not NUMBER_CELL.fullmatch(c)]
        own = _tidy(clause) if clause.strip() and "|" not in clause else ""
        return " · ".join(filter(None, [*others[:1], own])) if own else " · ".join(others[:2])
    return _tidy(clause)


NUMBER_CELL = re.compile(r"[\d\s()+-]+")  # a cell that is another number says nothing of what this one is for
JOINER = re.compile(r"^(?:или|либо|и|or|and)\b\s*", re.IGNORECASE)  # "… или 900": the list, not a label


def _tidy(label: str) -> str:
    label = JOINER.sub("", " ".join(label.split()).strip(" :–—-,|•·*"))
    return label[:1].upper() + label[1:] if label else ""
