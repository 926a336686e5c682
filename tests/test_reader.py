"""The trained question reader (issue 24): what a question asks, what it rules out, whether it is about
support at all, whether a follow-up goes on, and whom a source's line is for.

The real bot (model, Chroma, the reader trained on first use) answers over a small corpus of invented
organisations; the combination of the reader with the question's words is specified on its own first.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hotline import Hotline
from hotline.answer import Turn
from hotline.reader import Reading
from hotline.reader.labels import LABELS, targets
from hotline.search.query import Query
from hotline.search.reading import with_reading

from .conftest import bot_over, phones

ARTICLES = {
    "vereya.md": """---
title: Маркетплейс «Верея»: поддержка покупателей
organization: Верея
---

## Горячая линия

Горячая линия Вереи: 8 800 411-20-20. Звонок бесплатный для всех регионов России.

Владельцы карты «Верея Плюс» обращаются по отдельному номеру 8 800 411-30-30.

## Написать в поддержку

Письма принимаются на адрес help@vereya.ru. В приложении откройте «Профиль», затем «Поддержка» и нажмите
«Написать в чат».

## Возврат товара

Чтобы вернуть товар:

1. Откройте раздел «Мои заказы».
2. Выберите товар и нажмите «Вернуть».
3. Укажите причину и приложите фотографии.
4. Отнесите товар в пункт выдачи в течение 14 дней.

## Что подготовить для жалобы

- номер заказа;
- снимки экрана с переписки;
- фотографии товара и упаковки.

## Претензия перед судом

Для споров с Вереей претензионный порядок не является обязательным: иск можно подать сразу.
""",
    "luch.md": """---
title: «Луч Телеком»: контакты
organization: Луч Телеком
---
Абоненты «Луч Телеком» звонят по номеру 8 800 422-00-00. Электронная почта: care@luch.ru.
""",
}
HOTLINE, CARD_LINE = "+78004112020", "+78004113030"


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> Iterator[Hotline]:
    yield from bot_over(tmp_path_factory.mktemp("reader"), ARTICLES, models_dir)


def reading(**probabilities: float) -> Reading:
    return Reading({label: 0.0 for label in LABELS} | {k.replace("_", ":", 1): v for k, v in probabilities.items()})


def query(intents: tuple[str, ...]) -> Query:
    return Query("?", "ru", (), intents, frozenset(), frozenset(), frozenset(), frozenset(), ())


def test_a_ruled_out_channel_leaves_the_intents_and_the_reader_overrules_words_it_finds_no_support_for() -> None:
    ruled_out = with_reading(query(("phone", "procedure")), reading(asks_chat=0.8, excludes_phone=0.97))
    assert ruled_out.intents == ("procedure",) and ruled_out.excluded_kinds == {"phone"}
    # Words and reader agree: the words' order of precedence stands.
    agreed = with_reading(query(("email", "address")), reading(asks_email=0.6, asks_address=0.95))
    assert agreed.intents == ("email", "address")
    # "звонок не вариант, где чат?": the reader is sure of a chat and reads no phone.
    overruled = with_reading(query(("phone",)), reading(asks_chat=0.99, asks_phone=0.1))
    assert overruled.intents == ("procedure",)
    # No words that ask: what the reader reads.
    assert with_reading(query(()), reading(asks_duration=0.9)).intents == ("law",)


def test_a_channel_ruled_out_more_surely_than_asked_is_ruled_out_where_the_question_negates() -> None:
    # "только не по телефону, как связаться?": the channel's word alone reads as asking for it.
    both = reading(asks_phone=0.72, asks_email=0.99, excludes_phone=1.0)
    negated = with_reading(
        Query("только не по телефону, как связаться?", "ru", (), ("phone", "contact"), *[frozenset()] * 4, ()), both
    )
    assert negated.excluded_kinds == {"phone"} and "phone" not in negated.intents
    # No word negates ("связаться по телефону"): the same reading rules nothing out.
    plain = with_reading(Query("связаться по телефону", "ru", (), ("phone",), *[frozenset()] * 4, ()), both)
    assert plain.excluded_kinds == frozenset() and "phone" in plain.intents
    # Asked more surely than ruled out ("не пишите, звоните по телефону"): asked.
    asked = reading(asks_phone=0.97, excludes_phone=0.85)
    assert asked.ruled_out_over_asked() == frozenset() and asked.asks == ("phone",)


def test_a_yes_no_question_about_cost_asks_for_the_sentence_unless_it_also_asks_which() -> None:
    free = reading(asks_cost=0.99, asks_phone=0.7, yesno=0.95)
    assert with_reading(query(("phone",)), free).intents == ()
    which = Query("Бесплатно ли? По какому номеру?", "ru", (), ("phone",), *[frozenset()] * 4, ())
    assert with_reading(which, free).intents == ("phone",)


def test_a_yes_no_question_asks_whether_not_which_law_and_a_conjunction_asks_nothing() -> None:
    whether = reading(asks_duration=0.7, yesno=0.95)
    court = Query(
        "Обязательно ли по закону отправлять претензию, прежде чем идти в суд?",
        "ru",
        (),
        ("law",),
        *[frozenset()] * 4,
        (),
    )
    read = with_reading(court, whether)
    assert read.yesno and "law" not in read.intents
    which = Query("Какой закон обязывает отправлять претензию?", "ru", (), ("law",), *[frozenset()] * 4, ())
    assert with_reading(which, whether).intents == ("law",) and not with_reading(which, whether).yesno


def test_training_rows_become_labels_and_a_history_adds_the_follow_up_label() -> None:
    row = {
        "history": ["телефон Вереи?"],
        "asks": ["email"],
        "excludes": ["phone"],
        "qualifiers": ["abroad"],
        "yesno": False,
        "offtopic": False,
        "topic": "continues",
    }
    found = targets(row)
    assert found["asks:email"] and found["excludes:phone"] and found["qualifier:abroad"] and found["continues"]
    assert not found["asks:phone"] and "continues" not in targets({**row, "history": []})


@pytest.mark.model
def test_a_channel_ruled_out_is_never_the_answers_kind(bot: Hotline) -> None:
    answer = bot.ask("в Верею звонить не хочу и не буду, как им написать?")
    assert answer.answered and not phones(answer)
    assert "help@vereya.ru" in answer.text or "Написать в чат" in answer.text


@pytest.mark.model
@pytest.mark.parametrize("question", ["как испечь торт с вишней?", "посоветуй хороший пылесос до 20 тысяч"])
def test_a_question_about_something_else_is_declined(bot: Hotline, question: str) -> None:
    answer = bot.ask(question)
    assert not answer.answered and not phones(answer)


@pytest.mark.model
def test_a_follow_up_on_a_new_topic_drops_the_old_one(bot: Hotline) -> None:
    first = bot.ask("Телефон горячей линии Вереи?")
    assert HOTLINE in phones(first)
    answer = bot.ask("расскажи анекдот про программиста", [Turn("Телефон горячей линии Вереи?", first.text)])
    assert not answer.answered and not phones(answer)
    # One that goes on keeps what it goes on from.
    email = bot.ask("а почта?", [Turn("Телефон горячей линии Вереи?", first.text)])
    assert "help@vereya.ru" in email.text


@pytest.mark.model
def test_a_step_list_is_quoted_whole(bot: Hotline) -> None:
    answer = bot.ask("как вернуть товар в Верею?")
    for step in ("Мои заказы", "Вернуть", "фотографии", "пункт выдачи"):
        assert step in answer.text


@pytest.mark.model
def test_a_list_under_its_heading_is_quoted_whole_as_a_list(bot: Hotline) -> None:
    answer = bot.ask("Что подготовить для жалобы в Верею?")
    assert "> - номер заказа" in answer.text and "> - снимки экрана" in answer.text, answer.text
    assert "> - фотографии товара" in answer.text and not phones(answer), answer.text


@pytest.mark.model
def test_a_yes_no_question_gets_the_yes_or_no_with_the_sentence_that_says_so(bot: Hotline) -> None:
    free = bot.ask("Звонок на горячую линию Вереи бесплатный?")
    assert free.text.startswith("Да") and "бесплатный" in free.text, free.text
    paid = bot.ask("Звонок на горячую линию Вереи платный?")
    assert paid.text.startswith("Нет") and "бесплатный" in paid.text, paid.text
    court = bot.ask("Обязательно ли по закону сначала писать Верее претензию, прежде чем идти в суд?")
    assert court.text.startswith("Нет") and "не является обязательным" in court.text, court.text


@pytest.mark.model
def test_a_line_for_another_audience_is_not_the_general_answer(bot: Hotline) -> None:
    general = bot.ask("номер поддержки Вереи")
    assert HOTLINE in phones(general) and CARD_LINE not in phones(general)
    assert CARD_LINE in phones(bot.ask("у меня карта Верея Плюс, куда звонить?"))


def test_the_readers_ngrams_without_scikit_learn_are_scikit_learns_on_every_training_question(
    tmp_path: Path,
) -> None:
    """Answering applies the fitted vectorizers with numpy alone (hotline.reader.ngrams); they must give the
    features scikit-learn gives, on every training question and on questions unlike them, and the head must
    read the same after it is saved and loaded."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from hotline.reader.labels import load_rows
    from hotline.reader.model import Head, normalised
    from hotline.reader.ngrams import NgramTfidf

    texts = [normalised(r["question"]) for r in load_rows()]
    others = [normalised(t) for t in ("Ёлки-палки,  где   НОМЕР?!", "x", "", "ozon  ozon ozon", "а\tв\nс")]
    for fitted in (
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, max_features=40000),
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"),
    ):
        fitted.fit(texts)
        ours = NgramTfidf.of(fitted).transform(texts + others)
        theirs = fitted.transform(texts + others)
        assert ours.shape == theirs.shape
        assert abs(ours - theirs).max() <= 1e-12  # sparse: the dense pair was 2 GB and most of the test's 20 s

    rows = load_rows()[:300]
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(len(rows), 16)).astype(np.float32)
    head = Head.fit([r["question"] for r in rows], vectors, vectors[::-1].copy(), [targets(r) for r in rows])
    head.save(tmp_path / "head.npz")
    again = Head.load(tmp_path / "head.npz")
    asked = [r["question"] for r in rows[:40]]
    before = head.probabilities(asked, vectors[:40], vectors[40:80])
    assert again.probabilities(asked, vectors[:40], vectors[40:80]) == before
