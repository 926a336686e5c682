"""The guard: no phone or e-mail leaves in an answer unless a cited passage holds it."""

from __future__ import annotations

import logging

import pytest

from hotline.answer.guard import guard
from hotline.index.passages import Passage

REMOVED = "[удалено]"


def passage(text: str) -> Passage:
    return Passage(id="p1", text=text, article="a.md", title="A", section="S", source="", score=1.0)


SOURCE = passage("Горячая линия: 8 (800) 234-70-00, почта help@ozon.ru.")


def test_what_the_source_holds_passes_in_any_spelling() -> None:
    checked = guard("Звоните +7 800 2347000 [1] или пишите на HELP@ozon.ru [1].", [SOURCE], REMOVED)
    assert checked.removed == ()
    assert "+7 800 2347000" in checked.text


def test_a_planted_phone_and_email_are_removed_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    text = "Звоните 8 (800) 234-70-00 [1], а лучше +7 (999) 123-45-67 или пишите на boss@evil.example."
    with caplog.at_level(logging.WARNING, logger="hotline.answer.guard"):
        checked = guard(text, [SOURCE], REMOVED)
    assert checked.removed == ("+7 (999) 123-45-67", "boss@evil.example")
    assert "123-45-67" not in checked.text and "evil" not in checked.text
    assert "8 (800) 234-70-00" in checked.text
    assert "boss@evil.example" in caplog.text


def test_a_number_in_an_uncited_passage_does_not_count() -> None:
    checked = guard("Роспотребнадзор: 8 (800) 100-0004.", [SOURCE], REMOVED)
    assert checked.removed == ("8 (800) 100-0004",)


def test_a_made_up_number_outside_real_ranges_is_removed_too() -> None:
    # VALID leniency would not even see "+7 (000) 000-00-00"; the guard looks with POSSIBLE.
    checked = guard("Звоните +7 (000) 000-00-00.", [SOURCE], REMOVED)
    assert "000-00-00" not in checked.text
