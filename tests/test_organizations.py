"""Organisations: inferred from titles, found in questions however they are written, and kept apart.

The first specs are pure logic (names and Russian morphology, no model); the last ones ask the real bot
over a small temporary corpus of two invented stores whose numbers for the same city differ.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hotline import Hotline
from hotline.language.organizations import Directory, Organization, infer
from hotline.language.registry import unify

from .conftest import bot_over, phones


@pytest.mark.parametrize(
    ("title", "name", "aliases"),
    [
        ("Ситилинк: горячая линия, отмена заказа и возврат денег", "Ситилинк", ()),
        ("Горячая линия DNS: единый номер и телефон для Москвы", "DNS", ()),
        ("Контактный центр Сбербанка: 900, 8 800 и звонки из-за границы", "Сбербанк", ()),
        ("Мегамаркет (СберМегаМаркет): телефоны поддержки, претензии и возврат", "Мегамаркет", ("СберМегаМаркет",)),
        ("М.Видео: как связаться с контакт-центром и вернуть покупку", "М.Видео", ()),
        ("Служба поддержки Яндекс Еды: телефон, чат и опоздание курьера", "Яндекс Еда", ()),
        ("Куда пожаловаться на доставку Самоката", "Самокат", ()),
    ],
)
def test_an_article_is_about_the_organisation_its_title_names(title: str, name: str, aliases: tuple[str, ...]) -> None:
    assert infer(title, f"{title}\n\nТекст статьи.") == Organization(name, aliases)


def test_a_title_that_names_no_one_gives_no_organisation() -> None:
    assert infer("Как написать жалобу в Роспотребнадзор", "Текст.") is None


def test_spellings_of_one_organisation_are_one_organisation() -> None:
    unified = unify([Organization("ОЗОН"), Organization("Озон"), Organization("Озон ру"), Organization("Озон")])
    assert {o.name for o in unified.values()} == {"Озон"}
    assert set(unified["ОЗОН"].aliases) == {"ОЗОН", "Озон ру"}


@pytest.fixture(scope="module")
def directory() -> Directory:
    names = ["DNS", "Эльдорадо", "Самокат", "Сбербанк", "М.Видео", "Яндекс Еда", "Ситилинк"]
    return Directory([*(Organization(n) for n in names), Organization("Мегамаркет", ("СберМегаМаркет",))])


@pytest.mark.parametrize(
    ("question", "organization"),
    [
        ("ДНС телефон горячей линии", "DNS"),
        ("номер dns для москвы", "DNS"),
        ("эльдарадо где мой заказ", "Эльдорадо"),
        ("What's the hotline of Eldorado?", "Эльдорадо"),
        ("курьер в Самокате опоздал", "Самокат"),
        ("сбер короткий номер", "Сбербанк"),
        ("mvideo возврат", "М.Видео"),
        ("м видео возврат", "М.Видео"),
        ("Яндекс.Еда поддержка", "Яндекс Еда"),
        ("номер ситилинга", "Ситилинк"),
        ("сбермегамаркет для регионов", "Мегамаркет"),
        ("ситилнк тел", "Ситилинк"),
        ("днс номер", "DNS"),
    ],
)
def test_a_question_names_an_organisation_in_any_script_inflection_or_spelling(
    directory: Directory, question: str, organization: str
) -> None:
    assert [m.organization for m in directory.mentions(question)] == [organization]


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("Какой телефон горячей линии Wildberries?", ("Wildberries",)),
        ("номер МТС", ("МТС",)),
        ("заказ с тинек не пришёл", ("тинек",)),
        ("сломался утюг, что делать?", ()),
        ("подскажите номерок поддержки DNS", ()),
        ("телефон Роспотребнадзора в Москве", ()),
    ],
)
def test_names_the_corpus_does_not_cover_are_told_from_words(
    directory: Directory, question: str, unknown: tuple[str, ...]
) -> None:
    assert directory.unknown_names(question, frozenset()) == unknown


def test_another_business_of_a_brand_the_corpus_covers_is_another_organisation(directory: Directory) -> None:
    known = frozenset({"курьер", "опоздал", "яндекс", "еда"})  # the articles' words
    assert directory.unknown_names("у яндекс маркета есть горячая линия?", known) == ("яндекс маркета",)
    assert directory.unknown_names("яндекс курьер опоздал, куда звонить", known) == ()  # the articles' word
    assert directory.unknown_names("яндекс телефон поддержки", known) == ()  # how a question is asked
    assert directory.unknown_names("яндекс в москве", known) == ()  # a place
    # The member's own word written first, and a word of how questions are asked that no dictionary has.
    assert directory.unknown_names("лавка яндекс курьер не приехал", known) == ("лавка яндекс",)
    assert directory.unknown_names("магазин яндекс телефон", known) == ()  # a kind of organisation
    assert directory.unknown_names("какой имейл поддержки", known) == ()


def test_a_word_of_the_language_is_not_a_typo_of_a_name(directory: Directory) -> None:
    assert directory.mentions("Полезное видео о претензиях") == []  # "видео" is not "М.Видео" mistyped


def test_a_short_name_typed_with_a_letter_left_out_is_found() -> None:
    short = Directory([Organization("Озон"), Organization("Лента")])
    assert [m.organization for m in short.mentions("озн питер номер")] == ["Озон"]
    assert short.mentions("озеро") == []


def test_a_section_about_another_company_is_that_companys(directory: Directory) -> None:
    passage = "Это сервис «СберМаркет», телефон +7 800 222 1100 относится к нему."
    assert directory.of_heading("Контакты › Не путайте с СберМаркетом", "Мегамаркет", passage) == "СберМаркет"
    assert directory.of_heading("Пишите нам в Telegram", "Мегамаркет", "Бот в Telegram.") == "Мегамаркет"


HOMETECH = """---
title: Поддержка магазина HomeTech
organization: HomeTech
aliases: [ХоумТех]
---

## Телефоны

Для Москвы: +7 (495) 123-45-67. Для всех регионов бесплатно: 8 800 555-12-34.

## Возврат

Товар можно вернуть в течение 14 дней, если он не был в употреблении.
"""

BYSTRO = """---
title: Горячая линия Быстромаркета
---

## Телефоны Быстромаркета

Для Москвы: +7 (495) 765-43-21. Бесплатно по России: 8 800 555-98-76.

## Жалобы

Жалобу на Быстромаркет можно направить в Роспотребнадзор.
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> Iterator[Hotline]:
    articles = {"hometech.md": HOMETECH, "bystro.md": BYSTRO}
    yield from bot_over(tmp_path_factory.mktemp("two-stores"), articles, models_dir)


@pytest.mark.parametrize(
    ("question", "own", "other"),
    [
        ("Телефон HomeTech для Москвы", "+74951234567", "+74957654321"),
        ("какой номер у хоумтех в москве", "+74951234567", "+74957654321"),
        ("Телефон Быстромаркета для Москвы", "+74957654321", "+74951234567"),
        ("bystromarket nomer moskva", "+74957654321", "+74951234567"),
    ],
)
def test_two_companies_numbers_for_the_same_city_never_swap(bot: Hotline, question: str, own: str, other: str) -> None:
    answer = bot.ask(question)
    assert answer.answered and own in phones(answer), answer.text
    assert other not in phones(answer)
    assert all(p.organization == answer.passages[0].organization for p in answer.passages)


def test_an_unknown_company_is_declined_by_name_with_what_the_sources_cover(bot: Hotline) -> None:
    answer = bot.ask("Какой телефон горячей линии Wildberries?")
    assert not answer.answered and not phones(answer)
    assert "Wildberries" in answer.text and "HomeTech" in answer.text and "Быстромаркет" in answer.text


def test_a_contact_asked_without_saying_whose_is_not_guessed(bot: Hotline) -> None:
    answer = bot.ask("дайте номер горячей линии для Москвы")
    assert not answer.answered and not phones(answer), answer.text
    assert "HomeTech" in answer.text and "Быстромаркет" in answer.text


@pytest.mark.parametrize(
    ("question", "turn_to"),
    [
        ("Быстромаркет не вернул деньги и не отвечает. Куда писать жалобу?", "Роспотребнадзор"),
        ("куда обратиться в HomeTech из Москвы?", "+7 495 123-45-67"),
    ],
)
def test_where_to_turn_is_a_public_body_or_the_companys_own_line_as_the_sources_say(
    bot: Hotline, question: str, turn_to: str
) -> None:
    answer = bot.ask(question)
    assert answer.answered and turn_to in answer.text, answer.text


def test_a_question_with_a_word_the_articles_lack_is_still_answered(bot: Hotline) -> None:
    answer = bot.ask("Купил утюг в HomeTech, он сломался. За сколько дней можно вернуть?")
    assert answer.answered and "14 дней" in answer.text, answer.text


def test_a_follow_up_keeps_its_company_and_another_company_replaces_it(bot: Hotline) -> None:
    from hotline.answer import Turn

    first = bot.ask("Телефон HomeTech для Москвы")
    same = bot.ask("а бесплатный?", [Turn("Телефон HomeTech для Москвы", first.text)])
    assert "+78005551234" in phones(same) and "+78005559876" not in phones(same), same.text
    other = bot.ask("а у Быстромаркета?", [Turn("Телефон HomeTech для Москвы", first.text)])
    assert "+74957654321" in phones(other) and "+74951234567" not in phones(other), other.text
