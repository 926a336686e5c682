"""Nothing about the corpus lives in code: edit the articles, re-ingest, and the answers follow.

A temporary copy of the corpus gets one number changed, one article removed and one added; the same
questions then get the new number, a plain "not in the sources" for the removed topic, and the new
article's facts.
"""

from __future__ import annotations

from hotline import Settings
from hotline.language.phones import find_phones, normalize_phone
from hotline.pipeline import Hotline
from ingest import run_ingest

OLD_CARD = "8 800 775-07-99"
NEW_CARD = "8 800 555-35-35"
OZPP_QUESTION = "Какой телефон у Общества защиты прав потребителей для жителей Москвы?"
CARD_QUESTION = "Какой телефон у Ozon Card?"


def phones(text: str) -> set[str]:
    return {p.e164 for p in find_phones(text)}


def test_answers_follow_the_corpus(settings: Settings) -> None:
    run_ingest(settings)
    bot = Hotline(settings)
    assert normalize_phone(OLD_CARD) in phones(bot.ask(CARD_QUESTION).text)
    before = bot.ask(OZPP_QUESTION)
    assert before.answered and normalize_phone("8 (495) 150-27-42") in phones(before.text)

    article = settings.corpus_dir / "ozon-hotline-call-or-write.md"
    article.write_text(article.read_text(encoding="utf-8").replace(OLD_CARD, NEW_CARD), encoding="utf-8")
    (settings.corpus_dir / "ozon-where-to-complain.md").unlink()
    (settings.corpus_dir / "pickup.md").write_text(
        "---\ntitle: Пункты выдачи\n---\n\n## Пункт выдачи в Казани\n\n"
        "Пункт выдачи заказов в Казани работает по адресу: г. Казань, ул. Баумана, д. 7. "
        "Телефон пункта выдачи: +7 (843) 200-00-00.\n",
        encoding="utf-8",
    )
    summary = run_ingest(settings)
    assert summary.removed > 0 and summary.added > 0

    card = bot.ask(CARD_QUESTION)  # the same running bot: it sees the new generation without a restart
    assert normalize_phone(NEW_CARD) in phones(card.text)
    assert normalize_phone(OLD_CARD) not in phones(card.text)

    after = bot.ask(OZPP_QUESTION)
    assert not after.answered, after.text
    assert not phones(after.text)

    kazan = bot.ask("телефон пункта выдачи в Казани")
    assert kazan.answered
    assert normalize_phone("+7 (843) 200-00-00") in phones(kazan.text)
    assert any(c.title == "Пункты выдачи" for c in kazan.citations)
    bot.close()
