"""The answer verifier (issue 24): its head's arithmetic and file, the evaluation's no-answer curve, and on a
mini-corpus with the real model, that a question the quotes do not answer is declined."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from eval.cases import Case
from eval.report import no_answer_curve
from eval.scoring import score
from hotline import Hotline
from hotline.answer import Answer
from hotline.verifier.data import load_pairs, training_files, unit_text
from hotline.verifier.head import Verifier, pair_features, read

from .conftest import bot_over, phones


def unit(v: list[float]) -> np.ndarray:
    a = np.asarray(v, dtype=np.float32)
    return a / np.linalg.norm(a)


def test_a_pairs_features_are_its_cosine_product_and_difference() -> None:
    q, u = unit([1, 0, 0]), unit([1, 1, 0])
    features = pair_features(q[None, :], u[None, :])
    assert features.shape == (1, 7)
    assert features[0, 0] == pytest.approx(float(q @ u))
    assert np.allclose(features[0, 1:4], q * u) and np.allclose(features[0, 4:], np.abs(q - u))


def test_the_head_scores_each_unit_and_survives_its_file(tmp_path: Path) -> None:
    weights = np.zeros(7, dtype=np.float32)
    weights[0] = 10.0  # the cosine alone decides
    verifier = Verifier(weights, -5.0, 0.5, "model-x")
    q = unit([1, 0, 0])
    scores = verifier.scores(q, np.stack([unit([1, 0.1, 0]), unit([0, 1, 0])]))
    assert scores[0] > 0.5 > scores[1]
    path = tmp_path / "head.json"
    verifier.save(path)
    again = read(path)
    assert again is not None and again.model == "model-x" and again.threshold == 0.5
    assert np.allclose(again.scores(q, np.stack([unit([0, 1, 0])])), scores[1:], atol=1e-5)
    assert read(tmp_path / "missing.json") is None
    # The words' and the reader features' weights survive the file too.
    worded = Verifier(weights, -5.0, 0.5, "model-x", {"факс": -2.0}, np.ones(12, dtype=np.float32))
    worded.save(path)
    back = read(path)
    assert back is not None and back.words == {"факс": -2.0} and np.allclose(back.reads, 1.0)


def test_the_training_pairs_are_well_formed_and_each_voice_has_both_labels() -> None:
    pairs = load_pairs()
    assert len(training_files()) >= 6 and len(pairs) >= 1500
    for voice in {p["voice"] for p in pairs}:
        labels = {p["answers"] for p in pairs if p["voice"] == voice}
        assert labels == {True, False}, voice
    assert unit_text("Контакты", "Телефон: 8 800 1") == "Контакты. Телефон: 8 800 1"


def case_result(expect_no_answer: bool, answered: bool, support: float | None):  # type: ignore[no-untyped-def]
    case = Case(id="c", turns=("?",), expect_no_answer=expect_no_answer)
    body = "Ответ." if answered else "В источниках нет ответа."
    return score(case, Answer(body=body, answered=answered, support=support), 1.0, frozenset())


def test_the_no_answer_curve_declines_what_a_threshold_would_have() -> None:
    results = [
        case_result(True, True, 0.2),  # no answer in the sources, answered with a weak quote
        case_result(True, False, 0.3),  # declined by the verifier at its 0.4
        case_result(False, True, 0.9),  # answered well
        case_result(False, True, 0.35),  # answered with a quote the verifier doubts
        case_result(True, False, None),  # declined before the verifier
    ]
    curve = {p["threshold"]: (p["precision"], p["recall"]) for p in no_answer_curve(results)}
    assert curve[0.0] == (1.0, pytest.approx(1 / 3, abs=1e-3))  # the other declines only
    assert curve[0.4] == (0.75, 1.0)  # the doubted answer declined too
    assert curve[0.3] == (1.0, pytest.approx(2 / 3, abs=1e-3))


ARTICLES = {
    "vereya.md": """---
title: Маркетплейс «Верея»: поддержка покупателей
organization: Верея
---

## Горячая линия

Горячая линия Вереи: 8 800 411-20-20. Звонок бесплатный для всех регионов России.

## Написать в поддержку

Письма принимаются на адрес help@vereya.ru, ответ приходит в течение суток.
""",
}


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> Iterator[Hotline]:
    yield from bot_over(tmp_path_factory.mktemp("verifier"), ARTICLES, models_dir)


@pytest.mark.model
def test_the_verifier_reads_an_answering_quote_above_one_that_only_looks_near(bot: Hotline) -> None:
    line = bot.ask("телефон горячей линии Вереи")
    verifier = read()
    assert verifier is not None and line.support is not None and line.support >= verifier.threshold
    assert line.answered and "+78004112020" in phones(line)
    boss = bot.ask("Как зовут генерального директора Вереи?")
    assert boss.support is not None and boss.support < line.support


@pytest.mark.model
def test_an_answer_the_verifier_rejects_is_declined_saying_what_the_sources_hold(bot: Hotline) -> None:
    checks = bot.quotes.verify
    bot.quotes.verify = lambda question, quotes: (0.1, 0.5)  # a head that reads no quote as answering
    try:
        answer = bot.ask("телефон горячей линии Вереи")
    finally:
        bot.quotes.verify = checks
    assert not answer.answered and answer.support == 0.1 and not phones(answer), answer.text
    assert "О «Верея» в них есть: телефоны, электронная почта." in answer.text, answer.text


@pytest.mark.model
def test_a_channel_no_source_writes_is_said_missing_not_answered_with_a_phone(bot: Hotline) -> None:
    fax = bot.ask("Подскажите номер факса Вереи для претензии")
    assert not fax.answered and not phones(fax), fax.text
    assert fax.text.startswith("В источниках не нашлось: факс.") and "телефоны" in fax.text, fax.text
    english = bot.ask("vereya fax number for a claim")
    assert not english.answered and english.text.startswith("Not found in the sources: fax."), english.text
    ruled_out = bot.ask("у меня нет вотсапа, как связаться с Вереей?")
    assert ruled_out.answered, ruled_out.text
