"""The scorer, on hand-made answers: what passes, what fails, and why."""

from __future__ import annotations

import pytest

from eval.cases import Case
from eval.scoring import score
from hotline.answer import Answer
from hotline.index.passages import Passage
from hotline.language.morphology import contains_phrase
from hotline.language.phones import find_phones, normalize_phone

CORPUS = frozenset({"+78002347000", "+78124940606", "+78001000004"})


def case(**fields: object) -> Case:
    fields.setdefault("turns", ("вопрос",))
    fields["lists_phones"] = any(k in fields for k in ("must_phones", "any_phones", "allowed_phones"))
    return Case(id="c", **fields)  # type: ignore[arg-type]


def passage(text: str) -> Passage:
    return Passage(id=text[:8], text=text, article="a.md", title="A", section="", source="", score=0.0)


def verdict(
    c: Case, text: str, answered: bool = True, passages: tuple[Passage, ...] = ()
) -> tuple[bool, tuple[str, ...]]:
    result = score(c, Answer(body=text, answered=answered, passages=passages), 1.0, CORPUS)
    return result.passed, result.reasons


@pytest.mark.parametrize("written", ["8 (800) 234-70-00", "+7 800 2347000", "8-800-234-70-00", "88002347000"])
def test_one_number_written_four_ways_is_one_number(written: str) -> None:
    assert normalize_phone(written) == "+78002347000"
    assert [p.e164 for p in find_phones(f"Звоните: {written}.")] == ["+78002347000"]
    assert verdict(case(must_phones=("8 (800) 234-70-00",)), f"Звоните по номеру {written}.")[0]


def test_a_citation_mark_next_to_a_phone_does_not_hide_it() -> None:
    assert [p.e164 for p in find_phones("контактный центр: 8 800 775-07-99 [1]\n[2] 8 (800) 234-70-00[3]")] == [
        "+78007750799",
        "+78002347000",
    ]


def test_a_missing_phone_fails_and_says_which() -> None:
    passed, reasons = verdict(case(must_phones=("+7 (812) 494-06-06",)), "Звоните 8 (800) 234-70-00.")
    assert not passed
    assert "missing phone +7 (812) 494-06-06" in reasons


def test_any_phones_needs_one_and_allowed_phones_are_not_wrong() -> None:
    c = case(any_phones=("8 (800) 234-70-00", "+7 (812) 494-06-06"), allowed_phones=("8 (800) 100-0004",))
    assert verdict(c, "Номер: 8 (800) 234-70-00, а также 8 (800) 100-0004.") == (True, ())
    assert not verdict(c, "Номер: 8 (800) 100-0004.")[0]


def test_a_corpus_phone_outside_the_accepted_ones_is_wrong() -> None:
    result = score(
        case(must_phones=("8 (800) 234-70-00",)), Answer("8 (800) 234-70-00 или 8 (800) 100-0004", True), 1, CORPUS
    )
    assert not result.passed and result.wrong == ("+78001000004",) and result.invented == ()
    assert "unexpected phone 8 (800) 100-0004" in result.reasons


def test_a_phone_in_no_passage_is_invented_even_without_phone_expectations() -> None:
    result = score(case(must_contain=("поддержк",)), Answer("Поддержка: +7 (999) 123-45-67", True), 1, CORPUS)
    assert not result.passed and result.invented == ("+79991234567",) and result.wrong == ()
    assert result.reasons == ("invented phone +7 (999) 123-45-67 (in no passage of the index)",)


@pytest.mark.parametrize(
    ("authority", "text"),
    [
        ("Роспотребнадзор", "Напишите жалобу в Роспотребнадзор."),
        ("Роспотребнадзор", "Жалобу рассматривают сотрудники Роспотребнадзора."),
        ("прокуратура", "Обратитесь в прокуратуру по месту жительства."),
        ("Генеральная прокуратура", "При бездействии — в Генеральную прокуратуру."),
        ("Общество защиты прав потребителей", "Позвоните в общество защиты прав потребителей."),
        ("арбитражный суд", "Дело рассмотрит арбитражный суд."),
    ],
)
def test_authorities_are_matched_in_any_inflection(authority: str, text: str) -> None:
    assert contains_phrase(text, authority)
    assert verdict(case(must_authorities=(authority,)), text)[0]


@pytest.mark.parametrize(
    ("authority", "text"),
    [
        ("прокуратура", "Обратитесь к прокурору."),
        ("Генеральная прокуратура", "Обратитесь в прокуратуру."),
        ("Роспотребнадзор", "Жалоба в суд."),
    ],
)
def test_an_authority_not_named_fails(authority: str, text: str) -> None:
    passed, reasons = verdict(case(must_authorities=(authority,)), text)
    assert not passed and reasons == (f"missing authority {authority}",)


def test_expected_no_answer_passes_only_when_unanswered_and_without_phones() -> None:
    c = case(expect_no_answer=True)
    assert verdict(c, "В источниках нет ответа на этот вопрос.", answered=False) == (True, ())
    assert verdict(c, "Звоните 8 (800) 234-70-00.", answered=True)[1] == (
        "answered, but the sources do not hold the answer",
        "a phone number in a no-answer reply",
    )
    assert not verdict(c, "Нет ответа, но вот номер 8 (800) 234-70-00", answered=False)[0]


def test_an_unexpected_no_answer_fails() -> None:
    passed, reasons = verdict(case(must_contain=("круглосуточн",)), "В источниках нет ответа.", answered=False)
    assert not passed and "said the sources do not cover it" in reasons


def test_must_contain_ignores_case() -> None:
    assert verdict(
        case(must_contain=("HELP@OZON.RU", "круглосуточн")), "Пишите на help@ozon.ru, поддержка Круглосуточная."
    )[0]


def test_retrieval_rank_is_the_first_passage_holding_an_expected_fact() -> None:
    c = case(must_phones=("+7 (812) 494-06-06",))
    passages = (passage("про доставку"), passage("Москва: 8 (800) 234-70-00"), passage("СПб: 7 (812) 494-06-06"))
    result = score(c, Answer("", True, passages=passages), 1, CORPUS)
    assert (result.rank, result.retrieval_scored) == (3, True)
    assert score(case(expect_no_answer=True), Answer("", False, passages=passages), 1, CORPUS).retrieval_scored is False
    assert score(c, Answer("", True, passages=passages[:2]), 1, CORPUS).rank is None
