"""Every fact has an owner (issue 23): on a small corpus of invented organisations whose names collide.

Two families share the words «Банк» and «Мобайл»; a roundup page lists several banks in one table; a
bank's page carries an insurer partner's number and an advert; one brand is Latin, one is declined like a
noun, one has an initialism declared as its alias. The real bot (model, Chroma) answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hotline import Hotline
from hotline.language.organizations import Directory, Organization
from hotline.language.registry import unify

from .conftest import bot_over, phones

ARTICLES = {
    "kedr-bank.md": """---
title: Кедр Банк — горячая линия
organization: Кедр Банк
---

## Телефоны

Бесплатно по России: 8 800 301-11-11. Для звонков из-за границы: +7 495 301-11-12.

## Страховка по карте

По вопросам страховки звоните партнёру банка — «Зарница Страхование», телефон 8 800 301-55-55.

Реклама. Юридическая помощь «Правозащитник»: 8 800 301-66-66.
""",
    "kedr-mobile.md": """---
title: Кедр Мобайл: поддержка абонентов
organization: Кедр Мобайл
---

Служба поддержки абонентов Кедр Мобайл отвечает круглосуточно по номеру 8 800 302-22-22.
""",
    "sosna-bank.md": """---
title: Сосна Банк — контакты
organization: Сосна Банк
---

Горячая линия Сосна Банка: 8 800 303-33-33, для бизнеса: 8 800 303-33-34.
""",
    "banks-roundup.md": """---
title: Горячие линии банков: таблица
---

| Банк | Телефон |
| --- | --- |
| Кедр Банк | 8 800 301-11-11 |
| Сосна Банк | 8 800 303-33-33 |
| Липа Банк | 8 800 304-44-44 |
""",
    "vesta.md": """---
title: Vesta Pay: служба поддержки
organization: Vesta Pay
---

Поддержка кошелька Vesta Pay: 8 800 305-77-77, ежедневно с 8:00 до 22:00.

## Не путайте с «Вереск Маркет»

В поиске рядом с Vesta Pay часто всплывает «Вереск Маркет» — это другой сервис, доставка продуктов. Его
телефон 8 800 309-12-12, и к поддержке кошелька он не относится.
""",
    "lastochka.md": """---
title: Ласточка: доставка цветов, телефон
organization: Ласточка
---

Оператор службы доставки Ласточка примет жалобу по телефону 8 800 306-88-88.
""",
    "vkb.md": """---
title: Волжский кредитный банк
organization: Волжский кредитный банк
aliases: [ВКБ]
---

Контактный центр Волжского кредитного банка: 8 800 307-99-99.
""",
    "grab-telecom.md": """---
title: Граб Телеком — номера поддержки
organization: Граб Телеком
---

| Номер | Для каких звонков | Стоимость |
| --- | --- | --- |
| 0505 | Короткий номер с мобильного в домашней сети | бесплатно |
| 8 800 310-20-20 | По России со всех телефонов | бесплатно |
| +7 495 310-20-21 | Из-за границы, в роуминге | по тарифу оператора |
""",
    "nodosi-rossiya-kontakty.txt": """Вход | Регистрация

© 2026 Справочник горячих линий. Все права защищены.

Как дозвониться в Нодоси Россия

• Единый номер: 8 800 308-10-10
• Для звонков из-за рубежа: +7 495 308-10-11
• Для юридических лиц: +7 495 308-10-12
""",
}


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> Iterator[Hotline]:
    yield from bot_over(tmp_path_factory.mktemp("families"), ARTICLES, models_dir)


def test_names_that_share_a_word_stay_apart_and_spellings_of_one_name_are_one() -> None:
    unified = unify(
        [Organization("Кедр Банк"), Organization("Кедр Мобайл"), Organization("Кедр"), Organization("Банк")]
    )
    assert len({o.name for o in unified.values()}) == 4
    same = unify([Organization("ООО «Кедр Банк»"), Organization("кедр банк"), Organization("Kedr Bank")])
    assert len({o.name for o in same.values()}) == 1


def test_a_shared_word_finds_no_one_and_a_familys_own_word_finds_every_member() -> None:
    names = ("Кедр Банк", "Кедр Мобайл", "Сосна Банк", "Зарница")
    as_names = {"кедр", "сосна", "зарница"}  # the articles write these as names (capitalised inside sentences)
    directory = Directory([Organization(n) for n in names], lambda w: w in as_names)
    assert directory.mentions("телефон банка") == []
    assert directory.mentions("Липа Банк телефон") == []  # «Банк» alone is no one's name
    assert {m.organization for m in directory.mentions("Кедр телефон")} == {"Кедр Банк", "Кедр Мобайл"}
    assert [m.organization for m in directory.mentions("кедр банк номер")] == ["Кедр Банк"]


def test_a_latin_brand_is_found_however_its_vowels_are_written_in_cyrillic() -> None:
    directory = Directory([Organization(n) for n in ("Venup Air", "Venup Energo", "Vesta Pay")])
    assert [m.organization for m in directory.mentions("венуп эйр номер")] == ["Venup Air"]
    assert [m.organization for m in directory.mentions("весту пэй телефон")] == ["Vesta Pay"]


def test_an_initialism_behind_a_legal_form_is_typed_as_it_is() -> None:
    directory = Directory([Organization("Россети Центр", ("ПАО «МОЭСК»",))])
    assert [m.organization for m in directory.mentions("моэск телефон")] == ["Россети Центр"]
    assert directory.mentions("суббота: 09:00 - 17:00 мск") == []  # "мск" shares its consonants only


@pytest.mark.parametrize(
    ("question", "own", "others"),
    [
        ("номер кедр банка", "+78003011111", {"+78003022222", "+78003033333"}),
        ("кедр мобайл поддержка телефон", "+78003022222", {"+78003011111"}),
        ("сосна банк телефон", "+78003033333", {"+78003011111", "+78004044444"}),
        ("горячая линия липа банка", "+78003044444", {"+78003011111", "+78003033333"}),  # a roundup's row
        ("весту пэй телефон", "+78003057777", set()),  # the Latin brand as it sounds in Cyrillic
        ("позвонить в Ласточку", "+78003068888", set()),  # declined like a noun
        ("телефон ВКБ", "+78003079999", set()),  # the initialism declared as an alias
    ],
)
def test_each_organisation_gets_its_own_line_and_no_one_elses(
    bot: Hotline, question: str, own: str, others: set[str]
) -> None:
    answer = bot.ask(question)
    assert answer.answered and own in phones(answer), answer.text
    assert not phones(answer) & others, answer.text


@pytest.mark.parametrize(
    ("question", "line"),
    [
        ("звоню из турции как связаться с нодоси россия", "+74953081011"),
        ("Нодоси Россия телефон для юрлиц", "+74953081012"),
    ],
)
def test_a_scraped_pages_organisation_gets_the_line_asked_beside_its_main_one(
    bot: Hotline, question: str, line: str
) -> None:
    """A plain-text page named only in its text ("Как дозвониться в Нодоси Россия"), whose name holds a
    place: the lines of its list answer, the one asked among them, and no one else's."""
    answer = bot.ask(question)
    assert answer.answered and line in phones(answer), answer.text
    assert phones(answer) <= {"+78003081010", "+74953081011", "+74953081012"}, answer.text
    view = bot.index()
    records = view.organizations.records([str(m.get("article", "")) for m in view.metadatas])
    named = {r.name: r.articles for r in records}
    assert named["Нодоси Россия"] == ("nodosi-rossiya-kontakty.txt",), named  # not "nodosi" of the file name


def test_a_third_partys_number_on_a_page_is_not_the_pages_organisations(bot: Hotline) -> None:
    answer = bot.ask("кедр банк телефон для клиентов по страховке карты")
    assert not phones(answer) & {"+78003015555", "+78003016666"}, answer.text


def test_a_section_that_says_do_not_confuse_with_another_gives_that_others_number(bot: Hotline) -> None:
    """«Не путайте с «Вереск Маркет»» in Vesta Pay's article: the number there is Вереск Маркет's, not
    Vesta Pay's."""
    other = bot.ask("телефон Вереск Маркета")
    assert other.answered and phones(other) == {"+78003091212"}, other.text
    own = bot.ask("vesta pay телефон поддержки")
    assert "+78003091212" not in phones(own) and "+78003057777" in phones(own), own.text


@pytest.mark.parametrize(
    ("question", "line"),
    [
        ("граб телеком: как позвонить из-за границы?", "+74953102021"),  # rows differ in a word or two
        ("How do I call Grab Telecom from abroad?", "+74953102021"),
    ],
)
def test_the_row_that_writes_the_questions_own_words_answers(bot: Hotline, question: str, line: str) -> None:
    answer = bot.ask(question)
    assert answer.answered and line in phones(answer), answer.text
    assert answer.text.index(line[-2:]) < answer.text.index("[1]"), answer.text  # in the lead, not only quoted


def test_a_short_number_is_a_line_of_its_own_and_not_the_answer_to_a_question_that_writes_it(bot: Hotline) -> None:
    answer = bot.ask("короткий номер граб телекома с мобильного")
    assert answer.answered and "0505" in answer.text.split("[1]")[0], answer.text
    failing = bot.ask("0505 не набирается, как дозвониться в граб телеком")
    lead = failing.text.split("[1]")[0]
    assert "0505" not in lead and phones(failing) & {"+78003102020", "+74953102021"}, failing.text


def test_an_absent_family_member_is_declined_naming_those_present(bot: Hotline) -> None:
    answer = bot.ask("Кедр Страхование телефон")
    assert not answer.answered and not phones(answer), answer.text
    assert "Кедр Банк" in answer.text and "Кедр Мобайл" in answer.text


def test_a_familys_word_alone_gives_each_members_line_under_its_name(bot: Hotline) -> None:
    answer = bot.ask("кедр номер телефона")
    assert "Кедр Банк" in answer.text and "Кедр Мобайл" in answer.text, answer.text
    assert {"+78003011111", "+78003022222"} <= phones(answer) <= {"+78003011111", "+78003022222", "+74953011112"}
    bank, mobile = answer.text.index("Кедр Банк"), answer.text.index("Кедр Мобайл")
    assert bank < answer.text.index("301-11-11") < mobile < answer.text.index("302-22-22")


def test_a_question_naming_two_organisations_gets_each_ones_line_under_its_name(bot: Hotline) -> None:
    answer = bot.ask("телефоны сосна банка и кедр мобайл")
    assert {"+78003033333", "+78003022222"} <= phones(answer), answer.text
    assert not phones(answer) & {"+78003011111", "+78004044444"}, answer.text
    sosna, mobile = answer.text.index("Сосна Банк"), answer.text.index("Кедр Мобайл")
    assert answer.text.index("302-22-22") > mobile and sosna < answer.text.index("303-33-33"), answer.text


def test_the_guard_removes_another_organisations_number_even_from_a_cited_passage(bot: Hotline) -> None:
    from hotline.answer.guard import guard
    from hotline.answer.owners import owned_passages

    view = bot.index()
    searcher = bot.retriever.searcher()
    query = searcher.analyze("телефон Липа Банка")
    roundup = [p for p in searcher.retrieve(query) if "Сосна Банк" in p.text]
    assert roundup, "the roundup is retrieved for a bank only it lists"
    # A language model that copied the whole table: Сосна Банк's row is not Липа Банк's line.
    written = "Липа Банк: 8 800 304-44-44, или 8 800 303-33-33."
    owned = owned_passages(roundup, query.organizations, view.organizations.directory)
    checked = guard(written, owned, "[удалено]")
    assert "304-44-44" in checked.text and "303-33-33" not in checked.text
    assert guard(written, roundup, "[удалено]").text == written  # the cited passage alone would let it by
