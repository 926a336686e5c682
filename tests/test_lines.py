"""Which line answers: a product's line under the brand is its users' (not the general answer), a
sentence that gives a ruled-out channel beside the asked one is quoted without it, a public body asked
about is answered with its own line, not another body's for the same city, and a question that asks how
as well as for a number gets what the sources say to do beside the number.

The real bot (model, Chroma, the reader) over a small corpus of invented organisations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hotline import Hotline
from hotline.answer.units import units, without_kinds
from hotline.index.passages import Passage

from .conftest import bot_over, phones

ARTICLES = {
    "kedrofon.md": """---
title: Кедрофон: горячая линия и жалобы
organization: Кедрофон
---

## Горячая линия

Горячая линия Кедрофон для всех клиентов: 8 800 511-22-33. Звонок бесплатный.

Владельцы Кедрофон Карта, если возникла ошибка при оплате или переводе, звонят в контактный центр: 8 800 544-55-66.

## Доставка

При проблемах с доставкой звоните в службу доставки: 8 800 577-88-99, в том числе можно заполнить форму: https://kedrofon.example/feedback.

## Как дозвониться до оператора

Робот отвечает первым. Не нажимайте кнопок и дослушайте меню до конца: звонок переведут на свободного специалиста.
""",
    "bodies.md": """---
title: Куда жаловаться потребителю
---

## Роспотребнадзор

Жалобу в Роспотребнадзор можно оставить по номеру телефона единого консультационного центра: 8 800 100-00-04.

## Общественные организации

| Организация | Чем помогает | Телефоны |
| --- | --- | --- |
| Общество защиты прав потребителей | консультации и помощь в спорах | для жителей Санкт-Петербурга: 8 (812) 300-11-22 |
""",
}
GENERAL, CARD, DELIVERY = "+78005112233", "+78005445566", "+78005778899"


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> Iterator[Hotline]:
    yield from bot_over(tmp_path_factory.mktemp("lines"), ARTICLES, models_dir)


def test_a_general_question_gets_the_general_line_and_not_a_products(bot: Hotline) -> None:
    for question in ("телефон кедрофона", "писал им в чат, молчат. есть нормальный номер кедрофон?"):
        assert CARD not in phones(bot.ask(question)), question
    assert CARD in phones(bot.ask("Кедрофон Карта: куда звонить, если не прошла оплата?"))


def test_a_sentence_with_the_ruled_out_phone_is_quoted_without_it(bot: Hotline) -> None:
    answer = bot.ask("Кедрофон, доставка, но без звонков: есть у них форма обратной связи?")
    assert "kedrofon.example/feedback" in answer.text
    assert phones(answer) == set()
    assert "…" in answer.text  # the cut is shown


def test_a_quote_keeps_the_clauses_around_its_first_fact_between_ruled_out_ones() -> None:
    text = "Пишите на care@kedr.example, звоните 8 800 511-22-33, или заполните форму: https://kedr.example/f."
    (unit,) = units([Passage("p", text, "a.md", "Кедр", "", "", 1.0)])
    cut = without_kinds(unit, frozenset({"phone"}))
    assert cut.raw == "Пишите на care@kedr.example,"
    assert [f.value for f in cut.facts] == ["care@kedr.example"]
    assert all(cut.raw[f.start : f.end] == f.value for f in cut.facts)
    tail = without_kinds(unit, frozenset({"phone", "email"}))
    assert tail.raw == "… или заполните форму: https://kedr.example/f."
    assert all(tail.raw[f.start : f.end] == f.value for f in tail.facts)


def test_a_body_asked_about_gets_its_own_line_not_another_bodys_for_the_city(bot: Hotline) -> None:
    answer = bot.ask("Роспотребнадзор, телефон для Санкт-Петербурга?")
    assert "+78001000004" in phones(answer)
    assert "+78123001122" not in phones(answer)


def test_a_question_that_asks_how_as_well_as_for_a_number_gets_both(bot: Hotline) -> None:
    reply = bot.ask("как дозвониться до живого оператора кедрофон, а не до робота?")
    assert reply.answered and GENERAL in phones(reply)
    assert "дослушайте меню" in reply.text
