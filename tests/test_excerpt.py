"""What of an over-long message is read: its opening and its last sentences (pure logic)."""

from __future__ import annotations

from hotline.language.excerpt import read_part


def test_a_short_message_is_read_whole() -> None:
    assert read_part("Куда звонить?", 100) == "Куда звонить?"


def test_a_long_story_keeps_its_opening_and_its_question() -> None:
    story = "Заказал в Озоне чайник. " + "Ждал две недели, т.е. долго. " * 100 + "Куда мне теперь жаловаться?"
    read = read_part(story, 500)
    assert len(read) <= 500
    assert read.startswith("Заказал в Озоне чайник. … ") and read.endswith("Куда мне теперь жаловаться?")
    assert "т. е." not in read and " … Ждал" in read  # whole sentences ("т.е." ends none)


def test_one_endless_sentence_is_kept_by_its_end() -> None:
    read = read_part("слово " * 1000 + "куда звонить", 100)
    assert len(read) <= 100 and read.endswith("куда звонить") and read.startswith("… слово")
