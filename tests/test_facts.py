"""Typed facts found in passages: what the lead of an answer states and the guard checks."""

from __future__ import annotations

import pytest

from hotline.language.facts import extract
from hotline.language.phones import dialled, find_phones, normalize_phone


def facts(text: str, kind: str) -> list[tuple[str, str, str]]:
    return [(f.value, f.normalized, f.label) for f in extract(text) if f.kind == kind]


def test_phones_keep_the_sources_spelling_and_are_compared_in_e164() -> None:
    [(value, normalized, label)] = facts("- Для Москвы: + 7 (495) 009-70-70", "phone")
    assert value == "+ 7 (495) 009-70-70"
    assert normalized == "+74950097070"
    assert label == "Для Москвы"


def test_each_phone_in_a_sentence_gets_its_own_label() -> None:
    text = (
        "Горячая линия: +7 (495) 730-67-67 – для Москвы, +7 (812) 494-06-06 – для СПб, "
        "8 (800) 234-60-06 – для прочих субъектов."
    )
    labels = {normalized: label for _, normalized, label in facts(text, "phone")}
    assert "Москв" in labels["+74957306767"]
    assert "СПб" in labels["+78124940606"]
    assert "прочих" in labels["+78002346006"]


def test_a_citation_mark_does_not_hide_a_phone() -> None:
    [phone] = find_phones("Звоните: 8 800 775-07-99 [1].")
    assert phone.e164 == normalize_phone("8 (800) 775-07-99")


@pytest.mark.parametrize("raw", ["8 (800) 234-70-00", "+7 800 2347000", "8-800-234-70-00", "88002347000"])
def test_phone_spellings_normalise_alike(raw: str) -> None:
    assert normalize_phone(raw) == "+78002347000"


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("При запахе газа звоните в аварийную службу по номеру 104.", ["104"]),
        ("Вызовите газовую службу по телефону 104, 112 — уже выйдя из квартиры.", ["104", "112"]),
        ("Промокод приходит на СМС, отправленное на короткий номер 2420.", ["2420"]),
        ("Звонок на 0611 бесплатный.", ["0611"]),
        ("| Мобильный оператор | 0890 | 8-800-250-08-90 |", ["0890", "+78002500890"]),
        ("| 900 | Короткий номер для звонков с мобильного |", ["900"]),
        ("Бесплатно: 8 800 555-55-50 или 900 с мобильного.", ["+78005555550", "900"]),
    ],
)
def test_a_short_number_is_a_phone_where_the_text_says_it_is_one_to_call(text: str, numbers: list[str]) -> None:
    assert [normalized for _, normalized, _ in facts(text, "phone")] == numbers


@pytest.mark.parametrize(
    "text",
    [
        "Вернуть товар можно в течение 104 дней.",
        "Офис: Москва, ул. Ленина, дом 104.",
        "Баланс: команда *100# или SMS.",
        "| 2023 | 8 800 555-55-50 |",
        "Тариф стоит 350 руб. в месяц, звонки на номера 8 800 бесплатны.",
    ],
)
def test_other_numbers_are_not_short_phones(text: str) -> None:
    assert all(normalized.startswith("+") for _, normalized, _ in facts(text, "phone"))


def test_postal_address_in_a_table_cell() -> None:
    text = "| Почтовый адрес для бумажных писем | Россия, 123112, Москва, Пресненская набережная, 10 |"
    [(value, _, _)] = facts(text, "address")
    assert value == "Россия, 123112, Москва, Пресненская набережная, 10"


def test_an_address_written_in_latin() -> None:
    [(value, _, _)] = facts("Для писем на английском сайте: 16 Nametkina St., building 1, Moscow, 117420", "address")
    assert value == "16 Nametkina St., building 1, Moscow, 117420"
    assert facts("Visit St. Petersburg, Russia today", "address") == []


def test_hours_with_a_break_and_day_lists() -> None:
    text = "Телефон: 8 (800) 100-0004 (часы работы: 10:00 – 17:00, перерыв: 12:00 – 12:45 по МСК)."
    [(value, _, _)] = facts(text, "hours")
    assert "10:00 – 17:00" in value and "перерыв" in value
    assert facts("Приёмные дни пн., вт., ср. и пт.", "hours")
    assert facts("Поддержка работает круглосуточно.", "hours")


def test_emails_and_urls() -> None:
    text = "Пишите на Help@Ozon.ru или заходите на https://www.ozon.ru/help"
    assert [n for _, n, _ in facts(text, "email")] == ["help@ozon.ru"]
    assert [v for v, _, _ in facts(text, "url")] == ["https://www.ozon.ru/help"]


def test_authorities_are_named_by_lemma() -> None:
    text = "Пожаловаться можно в Роспотребнадзор, прокуратуру или в арбитражный суд."
    assert [n for _, n, _ in facts(text, "authority")] == ["Роспотребнадзор", "прокуратура", "арбитражный суд"]


def test_legal_references_and_time_limits() -> None:
    text = "Согласно ст. 18 Закона РФ № 2300-1 продавец обязан ответить в течение 10 дней (ст. 131 ГПК РФ)."
    values = [v for v, _, _ in facts(text, "law")]
    assert "ст. 18 Закона РФ № 2300-1" in values
    assert "10 дней" in values
    assert "ст. 131 ГПК РФ" in values


def test_text_without_facts_has_none() -> None:
    assert extract("Чем больше клиентов – тем больше шансов получить претензию.") == ()


def test_a_lead_shows_a_number_in_one_form_that_dials_when_copied() -> None:

    assert dialled(normalize_phone("7 (495) 009-70-70")) == "+7 495 009-70-70"
    assert dialled(normalize_phone("+ 7 (812) 494-06-06")) == "+7 812 494-06-06"
    assert dialled(normalize_phone("8-800-234-70-00")) == "8 800 234-70-00"  # toll-free, as Russia dials it
    assert dialled(normalize_phone("+375 17 200 00 00")) == "+375 17 200-00-00"
    assert dialled("104") == "104"  # a short number as written
