"""Question analysis: transliteration, typos, English, places and their nicknames, negation, intents,
and names the articles never use. The vocabulary and the organisations come from the real corpus, read
directly (no model)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from hotline.index.lexical import LexicalIndex
from hotline.language.organizations import Directory, Organization
from hotline.language.registry import unify
from hotline.search.query import Query, analyze
from ingest.load import load_corpus

from .conftest import REPO


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    return LexicalIndex.build([p.read_text(encoding="utf-8") for p in sorted(Path(REPO / "corpus").glob("*.md"))])


@lru_cache(maxsize=1)
def directory() -> Directory:
    """The corpus's organisations, as the live view unifies them."""
    articles, _ = load_corpus(REPO / "corpus")
    return Directory(unify([Organization(a.organization, a.aliases) for a in articles]).values())


def ask(index: LexicalIndex, text: str) -> Query:
    return analyze(text, index, directory())


def test_transliterated_latin_becomes_the_articles_words(index: LexicalIndex) -> None:
    query = ask(index, "ozon telefon moskva")
    assert query.intents[0] == "phone"
    assert "москва" in query.places
    assert "озон" in query.subjects
    assert query.language == "ru"  # transliterated Russian is not English


@pytest.mark.parametrize(
    ("typed", "meant"), [("тилефон", "телефон"), ("кврты", "карта"), ("роспотребнодзор", "роспотребнадзор")]
)
def test_typos_are_corrected_against_the_corpus_and_the_lexicons(index: LexicalIndex, typed: str, meant: str) -> None:
    assert meant in ask(index, f"{typed} озон").lemmas


@pytest.mark.parametrize("nickname", ["питер", "Питера", "СПб", "спб"])
def test_city_nicknames_gain_the_name_the_articles_use(index: LexicalIndex, nickname: str) -> None:
    assert "санкт-петербург" in ask(index, f"номер для {nickname}").places


def test_msk_is_moscow(index: LexicalIndex) -> None:
    assert "москва" in ask(index, "телефон озон мск").places


@pytest.mark.parametrize("text", ["телефон озона не для москвы", "номер озона кроме Москвы"])
def test_a_negated_place_is_ruled_out_not_asked_for(index: LexicalIndex, text: str) -> None:
    query = ask(index, text)
    assert "москва" in query.excluded_places
    assert "москва" not in query.places


def test_english_questions_are_read_in_russian_and_answered_in_english(index: LexicalIndex) -> None:
    query = ask(index, "What is the Ozon support phone number in Saint Petersburg?")
    assert query.language == "en"
    assert query.intents[0] == "phone"
    assert "санкт-петербург" in query.places
    assert "поддержка" in query.lemmas


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Во сколько работает горячая линия?", "hours"),
        ("какой email у поддержки", "email"),
        ("адрес для бумажных писем", "address"),
        ("куда пожаловаться на магазин", "authority"),
        ("какая статья закона о защите прав потребителей", "law"),
        ("как написать претензию", "procedure"),
        ("ситилинк тел", "phone"),
        ("поддержка не помогла, куда писать заявление?", "where"),
        ("привезли разбитое, куда с этим обращаться?", "where"),  # either aspect of the verb
        ("куда прийти с претензией?", "address"),
        ("когда работает горячая линия", "hours"),
        ("скиньте телефончик поддержки", "phone"),
        ("часы работы поддержки", "hours"),  # the dictionary's lemma of "часы" is "часы", not "час"
        ("во сколько открывается колл-центр", "hours"),
    ],
)
def test_what_is_asked(index: LexicalIndex, text: str, intent: str) -> None:
    assert ask(index, text).intents[0] == intent


@pytest.mark.parametrize(
    "text", ["поезд опаздывает часов на 5, кормить обязаны?", "жду курьера уже 3 часа, что делать"]
)
def test_how_long_is_not_when_it_is_open(index: LexicalIndex, text: str) -> None:
    assert "hours" not in ask(index, text).intents


@pytest.mark.parametrize(
    "text",
    [
        "Что подготовить, прежде чем жаловаться в поддержку?",
        "что нужно знать перед тем как звонить на горячую линию?",
        "What should I prepare before I complain?",
    ],
)
def test_what_comes_first_is_not_what_is_asked(index: LexicalIndex, text: str) -> None:
    intents = ask(index, text).intents
    assert "authority" not in intents and "phone" not in intents  # "жаловаться", "звонить" of the clause


def test_money_that_comes_is_not_a_place_to_come_to(index: LexicalIndex) -> None:
    assert "address" not in ask(index, "когда придут деньги за возврат?").intents  # "прийти" alone


def test_by_post_is_not_an_email_question(index: LexicalIndex) -> None:
    query = ask(index, "Можно ли отправить жалобу по почте?")
    assert "email" not in query.intents
    assert {"почта", "почтовый"} <= set(query.lemmas)


def test_a_name_the_articles_never_use_is_reported(index: LexicalIndex) -> None:
    assert ask(index, "Какой телефон горячей линии Wildberries?").unknown_names == ("Wildberries",)
    assert ask(index, "Какой телефон горячей линии Озон?").unknown_names == ()


def test_context_sentences_count_less_than_the_question(index: LexicalIndex) -> None:
    query = ask(index, "Заказ не приходит уже неделю. Какой номер поддержки?")
    assert query.weights["номер"] == 1.0
    assert query.weights["заказ"] < 1.0


def test_the_words_of_a_name_asked_ask_for_nothing(index: LexicalIndex) -> None:
    post = Directory([Organization("Почта России")])
    query = analyze("телефон горячей линии почты россии", index, post)
    assert query.organizations == {"Почта России"} and query.intents == ("phone",)
    assert "email" not in analyze("почта россии", index, post).intents  # the name alone asks for no e-mail
    assert analyze("почта", index, Directory([])).intents == ("email",)
    # A word that asks names no one beside a name: "почта" here is e-mail, and the bank is asked about.
    asked = analyze(
        "а почта электронная у Кедр Банка есть?",
        index,
        Directory([Organization("Почта России"), Organization("Кедр Банк")]),
    )
    assert asked.organizations == {"Кедр Банк"} and asked.intents == ("email",)


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("номер Кедр Мобайл, или надо в Сосна Банк звонить раз они вместе?", {"Кедр Мобайл"}),
        ("телефон кедр мобайл (или лучше сосна банку написать?)", {"Кедр Мобайл"}),
        ("номер кедр мобайл или сосна банка?", {"Кедр Мобайл", "Сосна Банк"}),  # listed: both asked
        ("телефоны сосна банка, или кедр мобайл", {"Кедр Мобайл", "Сосна Банк"}),
        ("у меня кедр мобайл, а сосна банк как набрать?", {"Кедр Мобайл", "Сосна Банк"}),
        ("телефон кедр мобайл, не сосна банка", {"Кедр Мобайл"}),  # one ruled out
        ("номер кедр мобайл, а не сосна банка", {"Кедр Мобайл"}),
    ],
)
def test_an_organisation_an_alternative_question_only_offers_or_one_it_rules_out_is_not_asked(
    index: LexicalIndex, text: str, asked: set[str]
) -> None:
    """ "X's number, or should I call Y?" asks X's: Y, in a clause of its own opened by "или", is wondered
    about."""
    two = Directory([Organization("Кедр Мобайл"), Organization("Сосна Банк")])
    assert analyze(text, index, two).organizations == asked


def test_a_follow_up_that_opens_on_someone_the_articles_never_write_names_them(index: LexicalIndex) -> None:
    """ "А у ленты какой?" after a question about another store: a brand that is a word of the language,
    typed in lower case, is whom it asks about now (and is declined), not a word to glue on."""
    none = Directory([Organization("Кедр Банк")])
    assert analyze("а у ленты какой?", index, none).unknown_names == ("Лента",)
    assert analyze("а у них какой?", index, none).unknown_names == ()
    assert analyze("а у москвы какой?", index, none).unknown_names == ()


def test_an_english_question_finds_an_organisation_by_its_russian_names_words(index: LexicalIndex) -> None:
    rail = Directory([Organization("РЖД", ("Российские железные дороги",)), Organization("Почта России")])
    query = analyze("how can i call russian railways from abroad?", index, rail)
    assert query.organizations == {"РЖД"} and not query.unknown_names


def test_a_follow_up_that_points_back_keeps_its_organisation_though_a_word_of_it_is_anothers_name(
    index: LexicalIndex,
) -> None:
    from hotline.answer import Turn
    from hotline.search.conversation import condense

    directory = Directory([Organization("Почта России"), Organization("Кедр Банк")])

    def read(text: str) -> Query:
        return analyze(text, index, directory)

    query = read(condense("а почта электронная у них есть?", [Turn("телефон кедр банка", "…")], read))
    assert query.organizations == {"Кедр Банк"} and query.intents == ("email",)


def test_a_typo_is_corrected_the_same_in_every_process() -> None:
    """Of two known forms equally near, the same one whatever the process's string hashing (a set's order
    had decided, so the same question's answer could cite another page after a restart)."""
    import subprocess
    import sys

    probe = (
        "from hotline.index.lexical import LexicalIndex; from hotline.search.words import correct; "
        "print(correct('зунрелой', LexicalIndex.build(['Зунрела звонит.', 'Зунрелы нет.', 'Зунрелу ждут.'])))"
    )
    found = {
        subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env={"PYTHONHASHSEED": str(seed)}, check=True
        ).stdout.strip()
        for seed in range(1, 7)
    }
    assert found == {"зунрела"}
