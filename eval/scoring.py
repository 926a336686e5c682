"""Scoring one answer against its case, as DESIGN.md defines it.

Phones are compared in E.164 after ``phonenumbers`` normalisation; authorities by lemma (any inflection);
``must_contain`` as case-insensitive substrings. A phone that no passage of the index holds is *invented*
(the worst failure: a number the bot made up); a phone from the corpus that the case does not accept is
*wrong*. Retrieval is scored on its own: the rank of the first retrieved passage that holds an expected
fact.
"""

from __future__ import annotations

from dataclasses import dataclass

from eval.cases import Case
from hotline.answer import Answer
from hotline.index.passages import Passage
from hotline.language.morphology import contains_phrase
from hotline.language.phones import find_phones, normalize_phone, parsed_phone


@dataclass(frozen=True)
class CaseResult:
    """The verdict on one case, with what the report shows about it."""

    case: Case
    answer: Answer
    latency_ms: float
    reasons: tuple[str, ...]
    checks: dict[str, bool]  # per field of the case: did it hold
    phones: tuple[str, ...]  # E.164, in the order the answer gives them
    invented: tuple[str, ...]
    wrong: tuple[str, ...]
    rank: int | None  # 1-based rank of the first retrieved passage with an expected fact; None: not retrieved
    retrieval_scored: bool  # the case names facts a passage can hold
    invented_removed: tuple[str, ...] = ()  # invented phones the guard took out before the user saw them

    @property
    def passed(self) -> bool:
        return not self.reasons


def unique_phones(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.e164 for p in find_phones(text)))


def score(case: Case, answer: Answer, latency_ms: float, corpus_phones: frozenset[str]) -> CaseResult:
    """Score ``answer`` to ``case``; ``corpus_phones`` are the E.164 phones of every indexed passage."""
    text = answer.text
    mentions = find_phones(text)
    written = {m.e164: m.raw for m in reversed(mentions)}  # each number as the answer first writes it
    phones = tuple(dict.fromkeys(m.e164 for m in mentions))
    invented = tuple(p for p in phones if p not in corpus_phones)
    accepted = case.accepted_phones
    wrong = tuple(p for p in phones if p in corpus_phones and p not in accepted) if case.lists_phones else ()
    checks: dict[str, bool] = {}
    reasons: list[str] = []

    def check(name: str, held: bool, *why: str) -> None:
        checks[name] = held
        if not held:
            reasons.extend(why)

    if case.must_phones:
        missing = [raw for raw in case.must_phones if normalize_phone(raw) not in phones]
        check("must_phones", not missing, *(f"missing phone {raw}" for raw in missing))
    if case.any_phones:
        found = any(normalize_phone(raw) in phones for raw in case.any_phones)
        check("any_phones", found, f"none of the phones {', '.join(case.any_phones)}")
    if case.must_authorities:
        missing = [name for name in case.must_authorities if not contains_phrase(text, name)]
        check("must_authorities", not missing, *(f"missing authority {name}" for name in missing))
    if case.must_contain:
        lowered = text.casefold()
        missing = [s for s in case.must_contain if s.casefold() not in lowered]
        check("must_contain", not missing, *(f"missing text {s!r}" for s in missing))
    if case.expect_no_answer:
        check(
            "expect_no_answer",
            not answer.answered and not phones,
            *(["answered, but the sources do not hold the answer"] if answer.answered else []),
            *(["a phone number in a no-answer reply"] if phones else []),
        )
    elif not answer.answered:
        reasons.append("said the sources do not cover it")
    if case.lists_phones and not case.expect_no_answer:
        check("no_wrong_phones", not wrong, *(f"unexpected phone {written[p]}" for p in wrong))
    reasons.extend(f"invented phone {written[p]} (in no passage of the index)" for p in invented)

    rank, scored = retrieval_rank(case, answer.passages)
    removed = tuple(dict.fromkeys(p for raw in answer.removed if (p := parsed_phone(raw))))
    return CaseResult(
        case=case,
        answer=answer,
        latency_ms=latency_ms,
        reasons=tuple(reasons),
        checks=checks,
        phones=phones,
        invented=invented,
        wrong=wrong,
        rank=rank,
        retrieval_scored=scored,
        invented_removed=tuple(p for p in removed if p not in corpus_phones),
    )


def retrieval_rank(case: Case, passages: tuple[Passage, ...]) -> tuple[int | None, bool]:
    """(rank of the first passage holding an expected fact, whether the case can be scored so).

    The expected facts are the case's phones if it names any, else its authorities, else its
    ``must_contain`` texts. No-answer cases have none.
    """
    if case.expect_no_answer or not (case.expected_phones or case.must_authorities or case.must_contain):
        return None, False
    return next((rank for rank, p in enumerate(passages, 1) if _holds_expected(case, p)), None), True


def _holds_expected(case: Case, passage: Passage) -> bool:
    if expected := case.expected_phones:
        return bool(expected & set(unique_phones(passage.text)))
    if case.must_authorities:
        return any(contains_phrase(passage.text, name) for name in case.must_authorities)
    return any(s.casefold() in passage.text.casefold() for s in case.must_contain)
