"""Case files: a YAML list of questions with what a right answer must (and must not) contain.

The schema is fixed in DESIGN.md and other tools write files in it, so it is checked strictly: an unknown
field, a case without a question, a phone that does not parse are errors that name the case, never
silently ignored expectations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from hotline.config.errors import HotlineError
from hotline.language.phones import normalize_phone

LIST_FIELDS = ("must_phones", "any_phones", "allowed_phones", "must_authorities", "must_contain")
PHONE_FIELDS = ("must_phones", "any_phones", "allowed_phones")
FIELDS = {"id", "category", "question", "turns", "expect_no_answer", *LIST_FIELDS}


class CaseFileError(HotlineError):
    """The case file cannot be used; the message names the file and the case."""


@dataclass(frozen=True)
class Case:
    """One case. Phone expectations are kept as written (for the report) and normalised (for scoring).

    ``lists_phones`` says whether the case names any phone field at all: only then are phones outside
    must, any and allowed counted as wrong.
    """

    id: str
    turns: tuple[str, ...]
    category: str = ""
    must_phones: tuple[str, ...] = ()
    any_phones: tuple[str, ...] = ()
    allowed_phones: tuple[str, ...] = ()
    must_authorities: tuple[str, ...] = ()
    must_contain: tuple[str, ...] = ()
    expect_no_answer: bool = False
    lists_phones: bool = False

    @property
    def question(self) -> str:
        """The scored question: the last turn."""
        return self.turns[-1]

    def normalized(self, field: str) -> frozenset[str]:
        return frozenset(normalize_phone(p) for p in getattr(self, field))

    @cached_property
    def expected_phones(self) -> frozenset[str]:
        return self.normalized("must_phones") | self.normalized("any_phones")

    @cached_property
    def accepted_phones(self) -> frozenset[str]:
        return self.expected_phones | self.normalized("allowed_phones")


def load_cases(path: Path) -> list[Case]:
    """Read and check a case file; CaseFileError says what is wrong and where."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CaseFileError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise CaseFileError(f"{path}: not UTF-8 text") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise CaseFileError(f"{path}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(data, list) or not data:
        raise CaseFileError(f"{path}: expected a non-empty YAML list of cases")
    cases: list[Case] = []
    seen: set[str] = set()
    for number, raw in enumerate(data, 1):
        case = _case(raw, f"{path}: case #{number}")
        if case.id in seen:
            raise CaseFileError(f"{path}: case #{number}: id {case.id!r} is used twice")
        seen.add(case.id)
        cases.append(case)
    return cases


def _case(raw: Any, where: str) -> Case:
    if not isinstance(raw, Mapping):
        raise CaseFileError(f"{where}: a case is a mapping of fields, got {type(raw).__name__}")
    case_id = raw.get("id")
    if not isinstance(case_id, str | int) or not str(case_id).strip():
        raise CaseFileError(f"{where}: missing id")
    where = f"{where} ({case_id})"
    unknown = sorted(set(map(str, raw)) - FIELDS)
    if unknown:
        raise CaseFileError(f"{where}: unknown field {unknown[0]!r} (known: {', '.join(sorted(FIELDS))})")
    if ("question" in raw) == ("turns" in raw):
        raise CaseFileError(f"{where}: give either question or turns")
    turns = [raw["question"]] if "question" in raw else raw["turns"]
    if not isinstance(turns, list) or not turns or not all(isinstance(t, str) and t.strip() for t in turns):
        raise CaseFileError(f"{where}: question must be text, turns a non-empty list of texts")
    lists = {name: _strings(raw.get(name), name, where) for name in LIST_FIELDS}
    for name in PHONE_FIELDS:
        for phone in lists[name]:
            try:
                normalize_phone(phone)
            except ValueError as exc:
                raise CaseFileError(f"{where}: {name}: {exc}") from None
    expect_no_answer = raw.get("expect_no_answer", False)
    if not isinstance(expect_no_answer, bool):
        raise CaseFileError(f"{where}: expect_no_answer must be true or false")
    category = raw.get("category", "")
    if not isinstance(category, str):
        raise CaseFileError(f"{where}: category must be text")
    return Case(
        id=str(case_id),
        turns=tuple(turns),
        category=category,
        expect_no_answer=expect_no_answer,
        lists_phones=any(name in raw for name in PHONE_FIELDS),
        **{name: tuple(values) for name, values in lists.items()},
    )


def _strings(value: Any, name: str, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise CaseFileError(f"{where}: {name} must be a list of texts")
    return [str(v) for v in value]
