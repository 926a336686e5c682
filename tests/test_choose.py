"""Which units the extractive answerer quotes once they are scored: pure logic, no model or index.

The scores are set by hand here; how units are scored (by the encoder) is covered by the answer tests.
"""

from __future__ import annotations

from dataclasses import replace

from hotline.answer.choose import choose, where
from hotline.answer.compose import lead, restates
from hotline.answer.scoring import NEAR, Scored
from hotline.answer.units import units
from hotline.index.passages import Passage
from hotline.search.query import Query
from hotline.wording import wording

QUERY = Query(
    text="как написать в поддержку через приложение?",
    language="ru",
    terms=(),
    intents=("procedure",),
    places=frozenset(),
    excluded_places=frozenset(),
    subjects=frozenset(),
    authorities=frozenset(),
    unknown_names=(),
)


ASKED = replace(QUERY, organizations=frozenset({"Магазин"}))  # the same question about the store


def passage(pid: str, section: str, text: str) -> Passage:
    return Passage(pid, text, "a.md", "Поддержка", section, "", 1.0, "Магазин")


APP = passage("app", "В приложении", "Откройте вкладку «Чат». Напишите вопрос. Приложение есть для Android.")
CABINET = passage("cab", "В личном кабинете", "Выберите раздел «Помощь». Заполните форму.")
COMPLAIN = passage("rpn", "Жалоба", "Жалобу можно подать в Роспотребнадзор. Звоните 8 800 555-12-34.")


def scored(found: list, scores: list[float]) -> list[Scored]:
    return sorted((Scored(u, s) for u, s in zip(found, scores, strict=True)), key=lambda s: -s.score)


def test_a_prose_answer_quotes_another_passage_when_it_is_as_good() -> None:
    found = units([CABINET, APP])  # Помощь, форма | Чат, вопрос, Android
    chosen = choose(scored(found, [2.0, 1.2, 1.8, 0.0, 0.0]), (), QUERY, found)
    assert [u.passage.id for u in chosen] == ["cab", "cab", "app"]


def test_a_prose_answer_keeps_to_one_passage_when_the_others_are_worse() -> None:
    found = units([CABINET, APP])
    chosen = choose(scored(found, [2.0, 1.2, 2.0 - NEAR, 0.0, 0.0]), (), QUERY, found)
    assert {u.passage.id for u in chosen} == {"cab"}


def test_where_to_turn_follows_the_closer_of_a_public_body_and_a_contact() -> None:
    found = units([COMPLAIN])  # the body's sentence, then the phone's
    assert where(scored(found, [2.0, 1.0])) == "authority"
    assert where(scored(found, [1.0, 2.0])) == "contact"
    assert where(scored(units([CABINET]), [1.0, 1.0])) == "contact"  # no body at all


def test_a_quote_the_lead_already_says_whole_is_not_repeated() -> None:
    hours, phone = units([passage("h", "Часы", "Работаем ежедневно с 9:00 до 21:00.\n\n| Москва | 8 800 555-12-34 |")])
    assert restates(hours, ["Часы работы: Работаем ежедневно с 9:00 до 21:00 [1]."])
    assert restates(phone, ["Телефоны:", "- Москва: 8 800 555-12-34 [1]"])
    assert not restates(phone, ["Телефон: 8 800 555-12-34 [1]."])  # the quote says for whom; the lead does not


def test_one_phone_is_led_by_the_line_its_passage_names_not_by_a_clause() -> None:
    say = wording("ru")
    named = units([passage("p", "Контакты", "Для Санкт-Петербурга: +7 (812) 494-06-06")])
    clause = units([passage("c", "Контакты", "Владельцы карты должны обратиться в контактный центр: 8 800 775-07-99")])
    for found, expected in (
        (named, "Для Санкт-Петербурга: +7 812 494-06-06 [1]."),  # in the form that dials when copied
        (clause, "Телефон: 8 800 775-07-99 [1]."),
    ):
        facts = [(f, u) for u in found for f in u.facts if f.kind == "phone"]
        assert lead(facts, {found[0].passage.id: 1}, ASKED, say) == [expected]
    english = [(f, u) for u in named for f in u.facts if f.kind == "phone"]
    assert lead(english, {"p": 1}, ASKED, wording("en")) == ["Phone: +7 812 494-06-06 [1]."]  # labels are Russian


def test_a_line_given_to_a_question_that_names_no_one_says_whose_it_is() -> None:
    found = units([passage("p", "Контакты", "Для Санкт-Петербурга: +7 (812) 494-06-06")])
    facts = [(f, u) for u in found for f in u.facts if f.kind == "phone"]
    assert lead(facts, {"p": 1}, QUERY, wording("ru")) == ["Магазин · Для Санкт-Петербурга: +7 812 494-06-06 [1]."]


def test_a_kind_the_quotes_lack_is_added_though_the_place_asked_qualifies_the_other() -> None:
    # "какой телефон и куда в Москве прийти?": the place is for the address; the phone is for no place.
    office = passage("o", "Приёмная", "Приём посетителей по адресу: г. Москва, ул. Тверская, д. 1.")
    phone = passage("p", "Приёмная", "Жалобу можно оставить по телефону 8 (800) 100-00-04.")
    spb = passage("s", "Приёмная", "Для Санкт-Петербурга: +7 (812) 100-00-04.")
    found = units([office, phone, spb])
    query = replace(QUERY, intents=("address", "phone"), places=frozenset({"москва"}))
    chosen = choose(scored(found, [1.0, 0.9, 0.9]), ("address", "phone"), query, found)
    assert [u.passage.id for u in chosen] == ["o", "p"]  # not the number for another place
