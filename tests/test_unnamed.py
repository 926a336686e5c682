"""Which organisation a question asks when it writes a name as an ordinary word, or writes none: a store
called by a word of the language is found in lower case beside its kind ("магазин ласточка"), another
one the articles do not cover is declined, not answered with someone's number ("гипермаркет ромашка"),
and a question that names no one gets lines that each say whose they are.

The real bot (model, Chroma, the reader) over invented organisations; one is named by a word of the
language, as many real chains are.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hotline import Hotline
from hotline.language.phones import find_phones
from hotline.language.written import appositive_names

from .conftest import bot_over, phones

ARTICLES = {
    "lastochka.md": """---
title: Ласточка: горячая линия магазина
organization: Ласточка
---

## Горячая линия

Горячая линия сети магазинов «Ласточка» для покупателей: 8 800 350-12-12. Звонок бесплатный, ежедневно
с 8:00 до 22:00.

## Жалобы

Жалобу на магазин можно оставить через форму на сайте lastochka.example/feedback.
""",
    "kedrofon.md": """---
title: Кедрофон: горячая линия оператора
organization: Кедрофон
---

## Горячая линия

Горячая линия оператора Кедрофон для абонентов: 8 800 511-22-33, круглосуточно.

## В роуминге

Из роуминга абоненты Кедрофон звонят по номеру +7 495 511-22-44, звонок бесплатный.
""",
    "bodies.md": """---
title: Куда жаловаться потребителю
---

## Роспотребнадзор

Жалобу в Роспотребнадзор можно оставить по номеру телефона единого консультационного центра: 8 800 100-00-04.
""",
}
LASTOCHKA, KEDROFON, ROAMING = "+78003501212", "+78005112233", "+74955112244"


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> Iterator[Hotline]:
    yield from bot_over(tmp_path_factory.mktemp("unnamed"), ARTICLES, models_dir)


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("лента гипермаркет телефон поддержки", "Лента"),
        ("номер магазина пятерочка", "Пятерочка"),
        ("горячая линия банка открытие", "Открытие"),
        ("магнит магазин горячая линия", "Магнит"),
    ],
)
def test_a_word_of_the_language_beside_a_kind_of_organisation_is_its_name(question: str, name: str) -> None:
    assert appositive_names(question, frozenset({"телефон", "поддержка", "линия"})) == [name]


@pytest.mark.parametrize(
    "question",
    ["магазин одежды телефон", "интернет магазин телефон", "служба доставка номер", "банк россии телефон"],
)
def test_a_kinds_dependent_or_a_word_the_articles_use_is_no_name(question: str) -> None:
    assert appositive_names(question, frozenset({"интернет", "доставка", "телефон", "номер"})) == []


def test_a_store_named_by_a_word_of_the_language_is_found_in_lower_case(bot: Hotline) -> None:
    reply = bot.ask("номер магазина ласточка")
    assert reply.answered and phones(reply) == {LASTOCHKA}


@pytest.mark.parametrize("question", ["гипермаркет ромашка телефон поддержки", "номер горячей линии сети подсолнух"])
def test_a_store_the_articles_do_not_cover_is_declined_not_answered_with_anothers_line(
    bot: Hotline, question: str
) -> None:
    reply = bot.ask(question)
    assert not reply.answered and not phones(reply)
    assert "Ромашк" in reply.text or "Подсолнух" in reply.text


def test_a_line_asked_without_saying_whose_is_not_guessed_when_two_have_one(bot: Hotline) -> None:
    reply = bot.ask("какой номер горячей линии?")
    assert not reply.answered and not phones(reply)
    assert "Ласточка" in reply.text and "Кедрофон" in reply.text


def test_a_line_only_one_organisation_has_says_whose_it_is(bot: Hotline) -> None:
    reply = bot.ask("по какому номеру звонить из роуминга?")
    assert reply.answered and phones(reply) == {ROAMING}
    lead = reply.body.split("\n\n")[0]
    assert all("Кедрофон" in line for line in lead.splitlines() if find_phones(line)), lead


def test_a_question_about_the_organisation_that_no_support_article_answers_is_declined(bot: Hotline) -> None:
    reply = bot.ask("кто генеральный директор ласточки, как его зовут")
    assert not reply.answered and not phones(reply)
    assert "Ласточка" in reply.text  # and what the sources do hold about it
