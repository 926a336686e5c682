"""Channels that are not a kind of fact (a fax, a messenger): found in questions and texts (pure logic)."""

from __future__ import annotations

import pytest

from hotline.language.channels import channels_in


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Подскажите номер факса для претензии", ["факс"]),
        ("fax number please", ["факс"]),
        ("есть у них поддержка в телеграме или ватсапе?", ["Telegram", "WhatsApp"]),
        ("как позвонить в поддержку", []),
        ("Пишите в WhatsApp или Viber.", ["WhatsApp", "Viber"]),
    ],
)
def test_a_channel_is_found_in_any_form(text: str, found: list[str]) -> None:
    assert channels_in(text) == found


def test_a_channel_ruled_out_is_not_asked() -> None:
    assert channels_in("у меня нет вотсапа, как связаться?", asked=True) == []
    assert channels_in("только не телеграм, есть почта?", asked=True) == []
    assert channels_in("у меня нет вотсапа, как связаться?") == ["WhatsApp"]
