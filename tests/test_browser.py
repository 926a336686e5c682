"""The page in a real browser: Debian's Chromium, headless, driven by Playwright (no `playwright install`)."""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_app import Server, start_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make test installs it)"
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> Iterator[Server]:
    yield from start_server(tmp_path_factory.mktemp("browser"), models_dir)


@pytest.fixture
def page(server: Server) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1200, "height": 1000}, locale="ru-RU")
        outside: list[str] = []
        page.on(
            "request",
            lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else outside.append(r.url),
        )
        page.goto(server.url)
        yield page
        assert not outside, f"the page called the internet: {outside[:5]}"
        browser.close()


def ask(page: object, question: str) -> None:
    box = page.locator("#question textarea")  # type: ignore[attr-defined]
    box.fill(question)
    box.press("Enter")


def test_ask_see_the_answer_and_its_sources_and_like_it(page: object, server: Server, tmp_path: Path) -> None:
    # The first question since the server started: the model and the index were loaded before it served.
    page.locator("#question textarea").wait_for()  # type: ignore[attr-defined]
    started = time.monotonic()
    ask(page, "Какой телефон у Ozon Card?")
    chat = page.locator("#chat")  # type: ignore[attr-defined]
    link = chat.locator('a[href="tel:+78007750799"]').first
    link.wait_for(timeout=30_000)
    print(f"first answer after the server started: {time.monotonic() - started:.2f} s")
    assert "775-07-99" in link.inner_text()
    sources = chat.get_by_text("Источники (1)")
    sources.wait_for()
    sources.first.click()  # the collapsed block opens
    chat.get_by_text("Озон Премиум: куда обращаться").last.wait_for()
    chat.get_by_text("обновлено 2026-11-25", exact=False).last.wait_for()  # the article's date, checkable
    like = page.locator("#chat button[aria-label='Нравится'], #chat button[aria-label='Like']").last  # type: ignore[attr-defined]
    link.hover()  # the buttons show on hover
    like.click(force=True)
    page.get_by_text("Спасибо за отзыв").wait_for()  # type: ignore[attr-defined]
    page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)  # type: ignore[attr-defined]
    assert (tmp_path / "chat.png").stat().st_size > 10_000
    with sqlite3.connect(server.settings.data_dir / "feedback.sqlite") as db:
        rows = db.execute("SELECT rating, question, cited FROM feedback").fetchall()
    assert rows[-1][:2] == ("like", "Какой телефон у Ozon Card?")
    assert rows[-1][2] != "[]"


def test_script_in_a_question_is_shown_not_run(page: object) -> None:
    ask(page, "<script>window.pwned = 1</script><img src=x onerror='window.pwned = 2'> телефон озон")
    # Ozon is named, so the markup is only noise around the question: the answer cites its sources.
    page.wait_for_function("document.querySelector('#chat').innerText.includes('Источники')")  # type: ignore[attr-defined]
    assert page.evaluate("window.pwned") is None  # type: ignore[attr-defined]
    assert page.locator("#chat").get_by_text("<script>window.pwned = 1</script>", exact=False).count() >= 1  # type: ignore[attr-defined]


def test_new_conversation_clears_the_chat(page: object) -> None:
    ask(page, "телефон озон")
    page.locator('#chat a[href^="tel:"]').first.wait_for(timeout=30_000)  # type: ignore[attr-defined]
    page.locator("#new-conversation").click()  # type: ignore[attr-defined]
    page.wait_for_function("document.querySelectorAll('#chat a[href^=\"tel:\"]').length === 0")  # type: ignore[attr-defined]


def test_the_trash_icon_starts_a_new_conversation_too(page: object, server: Server) -> None:
    ask(page, "Какой телефон Озона для Москвы?")
    page.locator('#chat a[href^="tel:"]').first.wait_for(timeout=30_000)  # type: ignore[attr-defined]
    page.locator("#chat button[aria-label='Очистить чат'], #chat button[aria-label='Clear']").first.click()  # type: ignore[attr-defined]
    page.wait_for_function("document.querySelectorAll('#chat a[href^=\"tel:\"]').length === 0")  # type: ignore[attr-defined]
    ask(page, "а почта?")  # after a cleared chat this is not a follow-up of the Moscow question
    page.wait_for_function(  # type: ignore[attr-defined]
        "document.querySelector('#chat').innerText.includes('почта') && "
        "!document.querySelector('#chat').innerText.includes('Ищу ответ')"
    )
    like = page.locator("#chat button[aria-label='Нравится'], #chat button[aria-label='Like']").last  # type: ignore[attr-defined]
    page.locator("#chat").hover()  # type: ignore[attr-defined]
    like.click(force=True)
    page.get_by_text("Спасибо за отзыв").wait_for()  # type: ignore[attr-defined]
    with sqlite3.connect(server.settings.data_dir / "feedback.sqlite") as db:
        question, standalone = db.execute("SELECT question, standalone FROM feedback ORDER BY id DESC").fetchone()
    assert (question, standalone) == ("а почта?", "а почта?")  # not merged with the cleared conversation


def test_an_example_is_asked_when_clicked_and_a_phone_never_wraps(page: object) -> None:
    page.get_by_text("Какой телефон горячей линии Озон?").first.click()  # type: ignore[attr-defined]
    link = page.locator('#chat a[href^="tel:"]').first  # type: ignore[attr-defined]
    link.wait_for(timeout=30_000)
    assert link.evaluate("a => getComputedStyle(a).whiteSpace") == "nowrap"


def test_a_dislike_takes_a_comment_that_is_stored_with_it(page: object, server: Server) -> None:
    ask(page, "Какая почта у поддержки Озон?")
    page.locator('#chat a[href^="mailto:"]').first.wait_for(timeout=30_000)  # type: ignore[attr-defined]
    dislike = page.locator("#chat button[aria-label='Не нравится'], #chat button[aria-label='Dislike']").last  # type: ignore[attr-defined]
    page.locator("#chat").hover()  # type: ignore[attr-defined]
    dislike.click(force=True)
    box = page.locator("#feedback-comment textarea")  # type: ignore[attr-defined]
    box.wait_for()
    box.fill("нужен адрес для писем")
    page.locator("#send-comment").click()  # type: ignore[attr-defined]
    page.get_by_text("Спасибо, мы это учтём").wait_for()  # type: ignore[attr-defined]
    with sqlite3.connect(server.settings.data_dir / "feedback.sqlite") as db:
        row = db.execute("SELECT rating, question, comment FROM feedback ORDER BY id DESC").fetchone()
    assert row == ("dislike", "Какая почта у поддержки Озон?", "нужен адрес для писем")
