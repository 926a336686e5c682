"""Cleaning: boilerplate is found by how often it repeats, never by a list of phrases."""

from __future__ import annotations

import pytest

from ingest.clean import clean_corpus, normalize_text, plain
from ingest.load import Article

AD = "Наши юристы ответят бесплатно и круглосуточно, звоните прямо сейчас по телефону на сайте!"
FACT = "Горячая линия магазина: 8 (800) 234-70-00, звонок бесплатный для всех регионов."
ROW = "| Все регионы | 8 (800) 234-70-00 |"


def article(name: str, *paragraphs: str) -> Article:
    return Article(path=name, title=name, body="\n\n".join(paragraphs) + "\n")


def test_a_paragraph_repeated_across_the_corpus_is_dropped_everywhere() -> None:
    articles = [
        article("a.md", FACT, AD),
        article("b.md", AD, "Другой текст про доставку заказов."),
        article("c.md", AD),
    ]
    cleaned, boilerplate = clean_corpus(articles, min_repeats=3)
    assert [b.text for b in boilerplate] == [AD] and boilerplate[0].count == 3
    assert all(AD not in a.body for a in cleaned)
    assert FACT in cleaned[0].body


def test_an_edited_copy_of_boilerplate_is_dropped_too() -> None:
    edited = AD.replace("прямо сейчас", "сейчас")
    articles = [article("a.md", AD, FACT), article("b.md", AD), article("c.md", AD), article("d.md", edited)]
    cleaned, _ = clean_corpus(articles, min_repeats=3)
    assert cleaned[3].body.strip() == ""


def test_below_the_threshold_nothing_is_dropped() -> None:
    articles = [article("a.md", AD, FACT), article("b.md", AD)]
    cleaned, boilerplate = clean_corpus(articles, min_repeats=3)
    assert boilerplate == [] and AD in cleaned[0].body and AD in cleaned[1].body


def test_repeated_table_rows_list_items_and_headings_are_facts_not_boilerplate() -> None:
    table = "| | |\n| --- | --- |\n" + ROW
    item = "- Для Москвы: +7 (495) 009-70-70, круглосуточно и без выходных дней"
    heading = "## Горячая линия интернет-магазина и служба поддержки покупателей"
    articles = [article(f"{n}.md", heading, table, item) for n in "abcd"]
    cleaned, boilerplate = clean_corpus(articles, min_repeats=3)
    assert boilerplate == []
    assert all(ROW in a.body and item in a.body and heading in a.body for a in cleaned)


def test_normalize_text_unifies_spaces_and_drops_invisible_characters() -> None:
    assert normalize_text("Тел.:\u00a08\u00a0800\u200b  234-70-00  \n\n\n\nдалее") == "Тел.: 8 800 234-70-00\n\nдалее\n"


@pytest.mark.parametrize(
    ("text", "plain_text"),
    [
        ("<script>alert(1)</script>Звоните <b>8 800 555-12-34</b>", "Звоните 8 800 555-12-34"),
        ("Схема ![проезд](http://tracker.example/p.png) ниже", "Схема проезд ниже"),
        ("[жми](javascript:alert(1)) или [сайт](https://shop.example)", "жми или [сайт](https://shop.example)"),
        (
            "Пишите: <help@shop.example>, <https://shop.example/help>",
            "Пишите: help@shop.example, https://shop.example/help",
        ),
        ("| Москва<br>МО | 8 800 555-12-34 |", "| Москва МО | 8 800 555-12-34 |"),
        ("цена < 100 руб. & срок > 10 дней", "цена < 100 руб. & срок > 10 дней"),
        ("[жми](java&#115;cript:alert(1)) или звоните", "жми или звоните"),
        ("[жми](&#x6A;avascript:alert(1))", "жми"),
        ("[жми](java&amp;#115;cript:alert(1))", "жми"),
        ("[жми](<JavaScript:alert(1)>)", "жми"),
        ("Звоните [сюда][1].\n\n[1]: javascript:alert(1)", "Звоните [сюда][1].\n\n"),
        ('[сюда]\n\n[сюда]:\n  java&#115;cript:alert(1) "title"', "[сюда]\n\n"),
        ("<javascript:alert(1)> и <vbscript:msgbox(1)>", " и "),
    ],
)
def test_markup_that_acts_becomes_plain_text(text: str, plain_text: str) -> None:
    assert plain(text) == plain_text


@pytest.mark.parametrize(
    ("source", "kept"),
    [
        ("javascript:alert(1)", ""),
        ("java&#115;cript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("https://shop.example/help", "https://shop.example/help"),
        ("Сайт магазина, раздел помощи (2026)", "Сайт магазина, раздел помощи (2026)"),
        ("Note: copied from https://x.example/a and JAVASCRIPT:alert(1)", "Note: copied from https://x.example/a and"),
    ],
)
def test_a_source_keeps_no_address_that_acts(source: str, kept: str) -> None:
    [article], _ = clean_corpus([Article(path="a.md", title="Статья", body="Текст статьи.\n", source=source)])
    assert article.source == kept
