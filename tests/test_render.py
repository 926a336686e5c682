"""How an answer becomes Markdown for the page: links, highlights, and nothing executable."""

from __future__ import annotations

from hotline.answer import Answer, Citation
from hotline.render import answer_markdown, escape, linkify, sources_markdown, verbatim


def test_phones_and_emails_become_links() -> None:
    text = linkify("Звоните 8 (800) 234-70-00 [1] или пишите на help@ozon.ru.")
    assert "[8 (800) 234-70-00](tel:+78002347000) [1]" in text
    assert "[help@ozon.ru](mailto:help@ozon.ru)" in text


def test_html_from_articles_and_questions_stays_text() -> None:
    answer = Answer(text='> <script>alert("x")</script> & <img src=x onerror=alert(1)>', answered=True)
    markdown = answer_markdown(answer)
    assert "<script" not in markdown and "<img" not in markdown
    assert markdown.startswith("> &lt;script>")  # the quote's Markdown is kept
    assert verbatim("[ссылка](javascript:alert(1)) # заголовок") == r"\[ссылка\]\(javascript:alert\(1\)\) \# заголовок"
    assert escape("a < b") == "a &lt; b"


def test_sources_show_title_section_and_the_fact_in_bold() -> None:
    citation = Citation(
        1, "p1", "a.md", "Жалоба", "Роспотребнадзор", "Телефон: 8 (800) 100-0004 (часы: 10:00 – 17:00)."
    )
    markdown = sources_markdown(Answer(text="", answered=True, citations=(citation,)))
    assert markdown.startswith("**[1] Жалоба › Роспотребнадзор**")
    assert "**[8 (800) 100-0004](tel:+78001000004)**" in markdown
    assert "(**часы: 10:00 – 17:00**)" in markdown


def test_an_image_in_a_source_is_never_rendered() -> None:
    quote = "Схема проезда ![схема](http://tracker.example/pixel.png), телефон 8 800 555-12-34."
    answer = Answer(
        text="Телефон: 8 800 555-12-34 [1].", answered=True, citations=(Citation(1, "p", "a.md", "T", "", quote),)
    )
    markdown = sources_markdown(answer)
    assert "tracker.example" not in markdown and "![" not in markdown and "схема" in markdown


def test_a_source_says_when_it_was_updated_and_links_its_web_addresses_only() -> None:
    web = Citation(
        1,
        "p",
        "a.md",
        "DNS",
        "Телефон",
        "Звоните 8 800 77-07-999.",
        "https://a.example/x ; javascript:alert(1) ; https://b.example/y(1)",
        "2026-01-20",
    )
    markdown = sources_markdown(Answer(text="", answered=True, citations=(web,)))
    assert "обновлено 2026-01-20" in markdown
    assert "[a.example](https://a.example/x)" in markdown and "[b.example](https://b.example/y)" in markdown
    assert "javascript" not in markdown
    note = Citation(1, "p", "a.md", "Озон", "", "Текст.", "seed: articles.txt (lines 1–5)", "")
    assert "источник: seed: articles.txt \\(lines 1–5\\)" in sources_markdown(
        Answer(text="", answered=True, citations=(note,))
    )
