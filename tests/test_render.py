"""How an answer becomes Markdown for the page: links, highlights, and nothing executable."""

from __future__ import annotations

from hotline.answer import Answer, Citation, Fact
from hotline.index.passages import Passage
from page.render import answer_markdown, escape, linkify, sources_markdown, verbatim


def test_phones_and_emails_become_links() -> None:
    text = linkify("Звоните 8 (800) 234-70-00 [1] или пишите на help@ozon.ru.")
    assert "[8 (800) 234-70-00](tel:+78002347000) [1]" in text
    assert "[help@ozon.ru](mailto:help@ozon.ru)" in text


def test_html_from_articles_and_questions_stays_text() -> None:
    answer = Answer(body='> <script>alert("x")</script> & <img src=x onerror=alert(1)>', answered=True)
    markdown = answer_markdown(answer)
    assert "<script" not in markdown and "<img" not in markdown
    assert markdown.startswith("> &lt;script>")  # the quote's Markdown is kept
    assert verbatim("[ссылка](javascript:alert(1)) # заголовок") == r"\[ссылка\](javascript:alert(1)) # заголовок"
    assert verbatim("# заголовок") == r"\# заголовок" and verbatim("- пункт") == r"\- пункт"
    assert escape("a < b") == "a &lt; b"


def test_a_question_reaches_a_screen_reader_as_typed() -> None:
    assert verbatim("телефон в Санкт-Петербурге 8 (800) 234-70-00?") == "телефон в Санкт-Петербурге 8 (800) 234-70-00?"


PASSAGE = Passage(
    "p1",
    "Горячая линия: 8 (800) 234-70-00.\nДля Москвы: +7 (495) 009-70-70.\nЧасы: круглосуточно.",
    "a.md",
    "Озон",
    "Контакты",
    "https://ozon.example/help",
    0.9,
    updated="2026-01-20",
)
CITATION = Citation(
    1, "p1", "a.md", "Озон", "Контакты", "Для Москвы: +7 (495) 009-70-70.", PASSAGE.source, PASSAGE.updated
)
MOSCOW = Answer(
    body="Для Москвы: +7 (495) 009-70-70 [1].",
    answered=True,
    sources="Источники:\n[1] Озон › Контакты",
    facts=(Fact("phone", "+7 (495) 009-70-70", "+74950097070", "p1"),),
    citations=(CITATION,),
    passages=(PASSAGE,),
)


def test_the_card_says_the_fact_once_and_links_its_mark_to_a_source_chip() -> None:
    card = answer_markdown(MOSCOW)
    body, chips = card.split("<details", 1)
    assert body.strip() == "Для Москвы: [+7 (495) 009-70-70](tel:+74950097070) [\\[1\\]](#source-1)."
    assert "Источники:" not in card  # the chip says it, checkably
    assert MOSCOW.text == f"{MOSCOW.body}\n\n{MOSCOW.sources}" == MOSCOW.to_dict()["text"]  # the CLI's text has it
    assert chips.count("<summary>") == 1


def test_a_chip_shows_the_whole_passage_with_only_the_used_fact_in_bold() -> None:
    chip = sources_markdown(MOSCOW)
    assert "**[+7 (495) 009-70-70](tel:+74950097070)**" in chip
    assert "[8 (800) 234-70-00](tel:+78002347000)" in chip and "**[8 (800) 234-70-00]" not in chip
    assert "круглосуточно" in chip and "**" not in chip.replace("**[+7 (495) 009-70-70](tel:+74950097070)**", "")


def test_a_chip_without_facts_bolds_the_quoted_sentence() -> None:
    quote = "Часы: круглосуточно."
    answer = Answer(
        body="В источниках сказано:\n\n> Часы: круглосуточно. [1]",
        answered=True,
        citations=(Citation(1, "p1", "a.md", "Озон", "", quote),),
        passages=(PASSAGE,),
    )
    assert "**Часы: круглосуточно.**" in sources_markdown(answer)


def test_an_image_in_a_source_is_never_rendered() -> None:
    quote = "Схема проезда ![схема](http://tracker.example/pixel.png), телефон 8 800 555-12-34."
    answer = Answer(
        body="Телефон: 8 800 555-12-34 [1].", answered=True, citations=(Citation(1, "p", "a.md", "T", "", quote),)
    )
    markdown = sources_markdown(answer)
    assert "tracker.example" not in markdown and "![" not in markdown and "схема" in markdown


def test_a_chip_says_when_its_article_was_updated_and_links_its_web_addresses_only() -> None:
    web = Citation(
        1,
        "p",
        "a.md",
        "DNS",
        "Телефон",
        "Звоните 8 800 77-07-999.",
        'https://a.example/x?a=1&b=2 ; javascript:alert(1) ; https://b.example/y"onclick=x',
        "2026-01-20",
    )
    summary = sources_markdown(Answer(body="", answered=True, citations=(web,))).split("</summary>")[0]
    assert "DNS › Телефон · 20.01.2026" in summary
    assert '<a href="https://a.example/x?a=1&amp;b=2" target="_blank" rel="noopener">a.example</a>' in summary
    assert 'href="https://b.example/y"' in summary and "onclick" not in summary  # cannot leave its attribute
    assert "javascript" not in summary
    note = Citation(1, "p", "a.md", "Озон", "", "Текст.", "seed: <articles>.txt (lines 1–5)", "")
    assert "Озон · seed: &lt;articles>.txt (lines 1–5)</summary>" in sources_markdown(
        Answer(body="", answered=True, citations=(note,))
    )


def test_a_chip_names_a_repeated_heading_once_and_cuts_a_long_source_note() -> None:
    def summary(title: str, section: str, source: str = "") -> str:
        cited = Citation(1, "p", "a.md", title, section, "Текст.", source, "")
        return sources_markdown(Answer(body="", answered=True, citations=(cited,))).split("</summary>")[0]

    assert "Озон › Телефоны" in summary("Озон", "Телефоны")
    assert "›" not in summary("Контакты Озона", "Контакты Озона")
    assert "›" not in summary("Контакты Озона", "Контакты «Озона»: телефоны") and "телефоны" in summary(
        "Контакты Озона", "Контакты «Озона»: телефоны"
    )
    long = summary("Озон", "", "seed: ozon-support-articles.txt, article 2 of 5 (lines 40–86)")
    assert '· <span title="seed: ozon-support-articles.txt, article 2 of 5 (lines 40–86)">' in long
    assert ">seed: ozon-support-articles.txt…</span>" in long
