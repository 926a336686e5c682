"""Names the registry reads from scraped pages, and names people type (issue 23): pure logic, no model.

Invented organisations; the page shapes are those of the web: a plain-text page whose first line is a
copyright notice, a title whose name begins with a word of the language, a partner «in quotes» in its own
form, a public body named after its region.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.language.inference import infer
from hotline.language.organizations import Directory, Organization
from hotline.language.rows import third_parties
from ingest.load import load_article


def test_a_plain_page_without_a_title_line_is_named_by_its_text_not_by_its_file_name(tmp_path: Path) -> None:
    page = tmp_path / "kirim-taksi-kontakty.txt"
    page.write_text(
        "© 2026 Справочник горячих линий. Все права защищены.\n\n"
        "Как дозвониться в Кирим Такси\n\n"
        "• Единый номер: 8 800 410-10-10\n",
        encoding="utf-8",
    )
    article, _ = load_article(page, page.name)
    assert article is not None and article.organization == "Кирим Такси"


def test_a_page_that_names_its_organisation_only_inside_an_apps_name_is_named_by_its_file_name(
    tmp_path: Path,
) -> None:
    page = tmp_path / "berest-bank-karta-zablokirovana.txt"
    page.write_text(
        "Карта заблокирована: как быть\n\n"
        "Разблокировать карту можно в приложении «Берест Банк Онлайн» или по номеру 8 800 410-20-20.\n",
        encoding="utf-8",
    )
    article, _ = load_article(page, page.name)
    assert article is not None and article.organization == "Берест Банк"
    generic = tmp_path / "bank-karta.txt"
    generic.write_text("Карта заблокирована\n\nЗвоните в Банк по номеру 8 800 410-20-21.\n", encoding="utf-8")
    article, _ = load_article(generic, generic.name)
    assert article is not None and article.organization != "Банк"


def test_an_e_mail_address_names_no_one_and_words_of_the_language_written_as_a_name_do() -> None:
    body = (
        "Главная / Справочник\n\nТелефон Ресина Маркет: куда звонить клиентам\n\n"
        "Как связаться с Ресина Маркет\n\n• E-mail для обращений: obrashcheniya@resina-market.com\n"
    )
    found = infer("", body)
    assert found is not None and found.name == "Ресина Маркет"


@pytest.mark.parametrize(
    ("title", "body", "name"),
    [
        (  # a word of the language begins the name and stays in it
            "Замер Страхование: горячая линия и другие контакты",
            "Это страховая компания.\n\n### Какой номер горячей линии Замер Страхование?\n\nОсновной номер — 8 800 1.",
            "Замер Страхование",
        ),
        (  # a public body named after its region, in the nominative
            "Как дозвониться в Жилинспекцию Тихой области",
            "Это региональное ведомство.",
            "Жилинспекция Тихой области",
        ),
        (  # a name that opens the title is a nominative as written, however the text declines it
            "Лодомаркет (ЛодоМаркет): телефоны поддержки",
            "Если товар с Лодомаркета пришёл с браком, пишите в поддержку Лодомаркета.",
            "Лодомаркет",
        ),
        (  # capitalised Latin words one after another are one name, though the first is a Russian word's
            # form in Cyrillic ("кубаре") and the text writes the name only at a line's start
            "Kubare Air: горячая линия и другие контакты",
            "Kubare Air — авиаперевозчик.\n\n## Контакты\n\nКонтакт-центр: 8 800 1.",
            "Kubare Air",
        ),
        (  # an English word before a brand is not part of it
            "Support Vesta: горячая линия",
            "Vesta — кошелёк.",
            "Vesta",
        ),
        (  # a word of the language leads the title, and the text writes it as a name
            "Ласточка: горячая линия и доставка",
            "Заказ из магазина Ласточка можно отследить на сайте.",
            "Ласточка",
        ),
    ],
)
def test_a_title_names_its_organisation_as_it_is_called(title: str, body: str, name: str) -> None:
    found = infer(title, body)
    assert found is not None and found.name == name


def test_a_partner_in_quotes_keeps_the_form_the_page_writes() -> None:
    text = (
        "По вопросам связи звоните партнёру — «Индул Телеком», 8 800 229-48-19.\n"
        "Реклама. Юридическая компания «Фофов и партнёры»: консультация — 8 800 318-59-11.\n"
        "По вопросам жалоб звоните партнёру — «Жилинспекция Тихой области», 8 800 411-00-00.\n"
    )
    assert third_parties(text) == ["Индул Телеком", "Фофов и партнёры", "Жилинспекция Тихой области"]


def test_typed_names_with_a_typo_find_their_organisation() -> None:
    directory = Directory([Organization(n) for n in ("Imnov Taxi", "Томот Авиа", "Белдина", "Firmir Energo")])
    for typed, meant in [
        ("Номер Inmov Taxi?", "Imnov Taxi"),  # two letters swapped
        ("тоот авиа телефон", "Томот Авиа"),  # a letter left out, two vowels met
        ("Белина горячая линия?", "Белдина"),  # the typo is a first name in the dictionary
        ("номер fimrir energo", "Firmir Energo"),
    ]:
        assert [m.organization for m in directory.mentions(typed)] == [meant], typed


def test_a_name_inside_a_longer_quoted_name_is_not_that_organisations() -> None:
    directory = Directory([Organization("Почта России", ("почта",)), Organization("Кедр Банк")])
    line = "Карту можно разблокировать в приложении «Почта Банк Онлайн» или по номеру 8-495-532-13-00."
    assert directory.owners_in(line) == frozenset()
    assert directory.owners_in("Почта: горячая линия 8 800 100-00-00") == {"Почта России"}


def test_a_roundup_row_gives_its_name_and_the_one_in_brackets() -> None:
    from hotline.language.registry import CorpusOrganizations

    roundup = (
        "| Организация | Для чего | Телефон |\n| --- | --- | --- |\n"
        "| «Зарянка Сети» (ПАО «ЗСК») | Отключения света | 8 (800) 412-00-00 |\n"
        "| Ключводоканал | Аварии на сетях | 8 (800) 412-00-01 |\n"
    )
    registry = CorpusOrganizations.build({"svodka.md": None}, [("svodka.md", "Сводка", roundup)])
    assert registry.directory.organizations["Зарянка Сети"].aliases == ("ПАО ЗСК",)
    assert [m.organization for m in registry.directory.mentions("телефон ЗСК по свету")] == ["Зарянка Сети"]


def test_a_branch_of_an_organisation_in_quotes_is_that_organisations_row() -> None:
    from hotline.language.rows import row_names

    items = (
        "- Столичный филиал ПАО «Кедр Телеком» — 115172, Москва, ул. Гончарная, 30;\n"
        "- Приозёрный филиал — 191002, Приозёрск, ул. Садовая, 15;\n"
        "- «Липа Банк» — 8 800 200-20-20\n"
    )
    assert [o.name for o in row_names(items)] == ["Кедр Телеком", "Липа Банк"]


def test_a_word_typed_with_lookalike_letters_of_the_other_script_is_read_in_one() -> None:
    from hotline.language.names import one_script

    assert one_script("oзон имейл") == "озон имейл"  # a Latin "o"
    assert one_script("Ozоn support") == "Ozon support"  # a Cyrillic "о"
    assert one_script("Tele2 и МТС-Bank, sбер") == "Tele2 и МТС-Bank, sбер"  # no lookalike: as typed


def test_a_roundups_rows_do_not_name_the_page() -> None:
    body = "## Сводка телефонов\n\n| Организация | Телефон |\n| --- | --- |\n| «Зарянка Сети» | 8 800 412-00-00 |\n"
    assert infer("Подмосковье: куда звонить, если пропал свет", body) is None


def test_a_decline_offers_the_family_of_the_name_asked_not_of_a_word_many_names_share() -> None:
    from hotline.answer.owners import closest_names

    firms = ("Андор", "Армим", "Бернад", "Энзин", "Вамум", "Гибут", "Дакета", "Зозин")
    covered = [*(f"{w} Экспресс" for w in firms), "Эссаг Авиа", "Эссаг Банк"]
    assert closest_names("Эссаг Экспресс", covered)[:2] == ["Эссаг Авиа", "Эссаг Банк"]


def test_an_initialism_is_found_as_typed_not_by_a_word_that_shares_its_consonants() -> None:
    directory = Directory(
        [Organization("Приозёрный Расчётный Банк", ("ПРБ",)), Organization("Pirbi Air"), Organization("Pirbi Pay")]
    )
    assert [m.organization for m in directory.mentions("номер pirbi")] == ["Pirbi Air", "Pirbi Pay"]
    assert [m.organization for m in directory.mentions("телефон прб")] == ["Приозёрный Расчётный Банк"]


def test_a_word_of_the_language_that_leads_a_title_names_no_one_unless_the_text_writes_it_as_a_name() -> None:
    assert infer("Справочник: горячие линии", "Справочник обновляется каждый месяц.") is None
