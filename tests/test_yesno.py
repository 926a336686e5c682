"""The yes or no a source's sentence says to a yes/no question (pure logic, :mod:`hotline.answer.yesno`)."""

from __future__ import annotations

import pytest

from hotline.answer.yesno import verdict


@pytest.mark.parametrize(
    ("question", "sentence", "said"),
    [
        # negated in the sentence
        ("Обязательно ли сначала отправлять претензию?", "Такой порядок не является обязательным.", False),
        ("Обязательно ли сначала отправлять претензию?", "Досудебный порядок обязателен для банков.", True),
        # a negating prefix, either way round
        ("звонок бесплатный?", "Звонок на номер 8 800 бесплатный из любого региона.", True),
        ("звонок платный?", "Звонок на номер 8 800 бесплатный из любого региона.", False),
        ("Платно ли обращение?", "Обращение бесплатное.", False),
        # the language's opposite words
        ("можно ли вернуть еду?", "Продукты питания вернуть нельзя.", False),
        ("можно ли вернуть товар без чека?", "Вернуть товар без чека можно.", True),
        ("нужно ли платить за звонок?", "Платить за звонок не нужно.", False),
        ("работает ли поддержка ночью?", "Поддержка работает круглосуточно.", True),
        # a question that negates itself
        ("не опасно ли звонить?", "Звонить безопасно.", True),
        # the sentence does not say: no verdict
        ("звонок платный?", "Звонок оплачивается по тарифу оператора.", None),
        ("можно ли вернуть товар?", "Позвоните в поддержку.", None),
    ],
)
def test_the_sentence_says_yes_or_no_or_nothing(question: str, sentence: str, said: bool | None) -> None:
    assert verdict(question, sentence) is said


def test_the_thing_asked_about_is_not_what_the_sentence_says_of_it() -> None:
    """ "звонок" is written whatever the sentence says of the call: only how it is decides."""
    assert verdict("звонок платный?", "Звонок принимают круглосуточно.") is None


def test_a_not_of_another_clause_negates_nothing() -> None:
    assert verdict("можно ли вернуть товар?", "Товар, который не подошёл, можно вернуть.") is True
    assert verdict("можно ли вернуть товар без чека?", "Вернуть товар без чека можно.") is True


def test_an_answers_quotes_say_no_verdict_where_one_restricts_what_is_asked() -> None:
    from hotline.answer.yesno import answered

    asked = frozenset({"написать", "чат", "регистрация"})
    question = "Можно ли написать в чат без регистрации?"
    site = ("Написать обращение можно через сайт.", frozenset({"написать", "обращение", "можно", "сайт"}))
    only = ("Написать в чат смогут только авторизованные.", frozenset({"написать", "чат", "смочь", "только"}))
    assert answered(question, asked, [site]) is True
    assert answered(question, asked, [site, only]) is None  # "только": the quotes answer, not a "да"
    header = ("Статус | Можно ли написать", frozenset({"статус", "можно", "написать"}))
    assert answered(question, asked, [header]) is None  # a quote that asks says nothing
    unrelated_if = ("Если адрес поменялся, напишите нам.", frozenset({"адрес", "поменяться", "написать"}))
    assert answered(question, asked, [unrelated_if, site]) is True
