"""The page in a real browser: Debian's Chromium, headless, driven by Playwright (no `playwright install`).

Screenshots go to ``SCREENSHOTS`` when it is set (the README's come from there), else to the
test's temporary folder.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import MAINTAINER, REPO, Server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make test installs it)"
    ),
]
PHONE = {"width": 390, "height": 844}
Page = Any  # playwright's sync Page: imported lazily, as Playwright is needed only here


@pytest.fixture(scope="module")
def server(page_server: Server) -> Server:
    return page_server


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def open_page(
    browser: Any, url: str, viewport: dict[str, int] | None = None, ready: str = "#question textarea"
) -> Page:
    context = browser.new_context(viewport=viewport or {"width": 1366, "height": 768}, locale="ru-RU")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else outside.append(r.url),
    )
    page.outside = outside
    page.goto(url)
    page.locator(ready).first.wait_for()
    return page


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Page]:
    page = open_page(browser, server.url)
    yield page
    assert not page.outside, f"the page called the internet: {page.outside[:5]}"


def ask(page: Page, question: str) -> None:
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")


def answered(page: Page) -> None:
    """Wait until the last answer is complete (it has its source chips, or says it has none)."""
    page.wait_for_function(
        "(() => { const t = document.querySelector('#chat').innerText;"
        " return !t.includes('Ищу ответ') && document.querySelectorAll('#chat [data-testid=bot]').length > 0; })()",
        timeout=30_000,
    )


def test_the_first_answer_leads_with_the_fact_and_a_chip_opens_its_source(page: Page, shots: Path) -> None:
    # The first question since the server started: the model and the index were loaded before it served.
    started = time.monotonic()
    ask(page, "Какой телефон пункта выдачи Боровик в Казани?")
    chat = page.locator("#chat")
    link = chat.locator('a[href="tel:+78432000000"]').first
    link.wait_for(timeout=30_000)
    print(f"first answer after the server started: {time.monotonic() - started:.2f} s")
    answer = chat.locator("[data-testid=bot]").last
    assert float(link.evaluate("a => parseFloat(getComputedStyle(a).fontSize)")) > float(
        answer.evaluate("m => parseFloat(getComputedStyle(m).fontSize)")
    )  # the fact is larger than the words around it
    assert link.evaluate("a => getComputedStyle(a).whiteSpace") == "nowrap"
    assert "Источники:" not in answer.inner_text()  # said once, by the chip
    chip = answer.locator("details.source").first
    summary = chip.locator("summary")
    assert "01.03.2026" in summary.inner_text()
    assert summary.locator('a[href="https://borovik.example/kazan"]').inner_text() == "borovik.example"
    assert not chip.evaluate("d => d.open")
    answer.locator('a[href="#source-1"]').first.click()  # [1] opens the chip
    page.wait_for_function("document.querySelector('#chat details.source').open")
    used = chip.locator("strong")
    assert used.count() == 1 and "200-00-00" in used.inner_text()  # only the fact used, not the hours
    assert answer.get_attribute("aria-label").startswith("Ответ: ")  # a screen reader hears no Markdown
    assert "](tel:" not in answer.get_attribute("aria-label")
    page.screenshot(path=str(shots / "chat.png"))


def test_a_phone_shows_the_asked_number_without_scrolling(browser: Any, server: Server, shots: Path) -> None:
    page = open_page(browser, server.url, PHONE)
    ask(page, "телефон озон для питера")
    link = page.locator('#chat a[href="tel:+78124940606"]').first
    link.wait_for(timeout=30_000)
    answered(page)
    # The lead shows the number in one form that dials when copied; the source keeps its own spelling.
    assert link.inner_text() == "+7 812 494-06-06"
    time.sleep(0.3)  # the scroll to the answer's top runs on the next frame
    box = link.bounding_box()
    chat = page.locator("#chat [role=log]").bounding_box()
    assert box is not None and chat is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]  # on the screen
    assert chat["y"] <= box["y"] and box["y"] + box["height"] <= chat["y"] + chat["height"]  # and in the chat's view
    page.screenshot(path=str(shots / "phone.png"))


FIRST_LINE_IN_VIEW = """() => {
    const log = document.querySelector('#chat [role=log]').getBoundingClientRect();
    const answer = [...document.querySelectorAll('#chat [data-testid=bot]')].pop();
    const first = answer.querySelector('.message-content p, .message-content li, .message-content') || answer;
    const line = first.getBoundingClientRect();
    const seen = line.top >= 0 && line.top + 16 <= innerHeight;
    return {top: line.top - log.top, bottom: log.bottom - (line.top + 16), seen};
}"""


CHIP_LINES = """() => [...document.querySelectorAll('#chat details.source:not([open]) > summary')].map(s => {
    const style = getComputedStyle(s);
    const inner = s.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    return Math.round(inner / parseFloat(style.lineHeight));
})"""


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1366, "height": 768}], ids=["phone", "desktop"])
def test_each_new_answer_starts_in_view(browser: Any, server: Server, shots: Path, viewport: dict[str, int]) -> None:
    """After every question the answer's first line is inside the chat's visible area: a long question or
    a long answer before it must not leave only «Телефоны:» at the bottom of the box. And its source chips
    stay one line (two on a phone)."""
    page = open_page(browser, server.url, viewport)
    questions = [
        "Какой телефон Озона для Москвы?",
        "Куда пожаловаться на Озон, если магазин не вернул деньги? Я ждал " + "две недели и ничего. " * 40,
        "а для Питера?",
        "Какая почта у поддержки Озон?",
        "как связаться с поддержкой Ozon Premium",
    ]
    for n, question in enumerate(questions, 1):
        ask(page, question)
        page.wait_for_function(f"document.querySelectorAll('#chat [data-testid=bot]').length === {n}")
        answered(page)
        page.wait_for_timeout(400)  # the scroll runs on the next frames
        where = page.evaluate(FIRST_LINE_IN_VIEW)
        assert where["top"] >= 0 and where["bottom"] >= 0 and where["seen"], (n, where)
        most = 2 if viewport is PHONE else 1  # a source chip's line: a long note took 5–6 on a phone
        assert max(page.evaluate(CHIP_LINES) or [0]) <= most, (n, page.evaluate(CHIP_LINES))
    page.screenshot(path=str(shots / f"answer-in-view-{viewport['width']}.png"))


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1366, "height": 768}], ids=["phone", "desktop"])
def test_the_page_says_whom_it_covers_and_shows_its_examples_in_view(
    browser: Any, server: Server, shots: Path, viewport: dict[str, int]
) -> None:
    page = open_page(browser, server.url, viewport)
    covers = page.locator("#covers")
    page.wait_for_function("document.querySelector('#covers').innerText.includes('Боровик')")
    assert "Ozon" in covers.inner_text()  # read from the index: the test's article is there too
    assert page.title() != "hotline" and "Hotline" in page.locator("#heading").inner_text()
    example = page.get_by_text("Какой телефон горячей линии Озон?").first
    box = example.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], box
    page.screenshot(path=str(shots / f"start-{viewport['width']}.png"))


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VIOLATIONS = """async () => (await axe.run(document, {runOnly: [
        'wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}))
    .violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`)"""
ENGLISH_NAMES = """() => [...document.querySelectorAll('[aria-label], [title]')]
    .map(e => e.getAttribute('aria-label') || e.getAttribute('title'))
    .filter(name => /^[A-Za-z][A-Za-z .,:'-]*$/.test(name.trim()))"""


def accessibility_problems(page: Page) -> list[str]:
    """axe-core's serious and critical violations (WCAG 2.1 A/AA and best practice), and any control a
    screen reader would name in English."""
    page.add_script_tag(path=str(AXE))
    return [*page.evaluate(VIOLATIONS), *(f"named in English: {n}" for n in page.evaluate(ENGLISH_NAMES))]


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (make browser installs it with npm)")
@pytest.mark.parametrize("viewport", [PHONE, {"width": 1366, "height": 768}], ids=["phone", "desktop"])
def test_the_chat_passes_axe_core_and_names_its_controls_in_russian(
    browser: Any, server: Server, viewport: dict[str, int]
) -> None:
    page = open_page(browser, server.url, viewport)
    page.wait_for_function("document.querySelector('#covers').innerText.includes('Ozon')")
    assert accessibility_problems(page) == []  # the empty chat with its examples
    ask(page, "Какой телефон Озона для Москвы?")
    page.locator('#chat a[href^="tel:"]').first.wait_for(timeout=30_000)
    answered(page)
    page.locator("#chat").hover()
    page.wait_for_timeout(300)
    assert accessibility_problems(page) == []
    page.keyboard.press("Tab")  # the keyboard's focus ring is visible
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"


def test_the_page_does_not_jump_and_copy_gives_the_text_as_shown(page: Page) -> None:
    box = page.locator("#question")
    before = box.bounding_box()
    ask(page, "Какая почта у поддержки Озон?")
    page.locator('#chat a[href^="mailto:"]').first.wait_for(timeout=30_000)
    answered(page)
    assert box.bounding_box() == before  # the question box stays where it was
    answer = page.locator("#chat [data-testid=bot]").last
    answer.hover()
    page.locator("#chat button[aria-label='Копировать сообщение']").last.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "@" in copied and "mailto:" not in copied and "**" not in copied and "<details" not in copied


def test_a_reload_keeps_the_conversation_and_its_follow_ups(page: Page) -> None:
    ask(page, "Какой телефон Озона для Москвы?")
    page.locator('#chat a[href^="tel:"]').first.wait_for(timeout=30_000)
    answered(page)
    page.reload()
    page.locator('#chat a[href^="tel:"]').first.wait_for(timeout=30_000)  # the answer is still there
    ask(page, "а для Питера?")  # and the next question still follows it
    page.locator('#chat a[href="tel:+78124940606"]').first.wait_for(timeout=30_000)


def test_a_reload_after_three_questions_shows_all_three(page: Page) -> None:
    questions = ["Какой телефон Озона для Москвы?", "а для Питера?", "а почта?"]
    stored = "JSON.stringify(Object.assign({}, localStorage))"
    for n, question in enumerate(questions, 1):
        before = page.evaluate(stored)
        ask(page, question)
        page.wait_for_function(f"document.querySelectorAll('#chat [data-testid=bot]').length === {n}")
        answered(page)
        # Gradio's BrowserState writes the conversation in an effect after the answer is drawn (encrypted
        # with a fresh IV, so every write differs): a reload in that instant would come before it.
        page.wait_for_function(f"b => {stored} !== b", arg=before)
    page.reload()
    page.locator("#chat [data-testid=user]").nth(2).wait_for(timeout=30_000)
    shown = page.locator("#chat [data-testid=user]").all_inner_texts()
    assert [" ".join(t.split()) for t in shown] == questions
    assert page.locator("#chat [data-testid=bot]").count() == 3


def test_an_empty_question_adds_nothing_to_the_chat(page: Page) -> None:
    for typed in ("", "   ", "\n\n"):
        ask(page, typed)
    page.wait_for_timeout(1500)
    assert page.locator("#chat [data-testid=user], #chat [data-testid=bot]").count() == 0


def test_script_in_a_question_is_shown_not_run(page: Page) -> None:
    ask(page, "<script>window.pwned = 1</script><img src=x onerror='window.pwned = 2'> телефон озон")
    page.locator("#chat details.source").first.wait_for(timeout=30_000)  # Ozon is named: the markup is noise
    assert page.evaluate("window.pwned") is None
    assert page.locator("#chat").get_by_text("<script>window.pwned = 1</script>", exact=False).count() >= 1


def test_new_conversation_and_the_trash_icon_both_start_over(page: Page, server: Server) -> None:
    for clear in ("#new-conversation", "#chat button[aria-label='Очистить чат']"):
        ask(page, "Какой телефон Озона для Москвы?")
        page.locator('#chat a[href^="tel:"]').first.wait_for(timeout=30_000)
        answered(page)
        page.locator(clear).first.click()
        page.wait_for_function("document.querySelectorAll('#chat a[href^=\"tel:\"]').length === 0")
        ask(page, "а почта?")  # after a cleared chat this is not a follow-up of the Moscow question
        answered(page)
        page.locator("#chat").hover()
        page.locator("#chat button[aria-label='Нравится']").last.click(force=True)
        page.get_by_text("Спасибо за отзыв").first.wait_for()
        with sqlite3.connect(server.settings.data_dir / "feedback.sqlite") as db:
            question, standalone = db.execute("SELECT question, standalone FROM feedback ORDER BY id DESC").fetchone()
        assert (question, standalone) == ("а почта?", "а почта?"), clear  # not merged with the cleared one
        page.reload()  # nor does the cleared conversation come back
        page.locator("#chat [data-testid=user]").first.wait_for()
        assert page.locator("#chat [data-testid=user]").count() == 1
        page.locator("#new-conversation").click()
        page.wait_for_function("!document.querySelector('#chat [data-testid=user]')")


STORED = """async () => {
    const kept = {local: {...localStorage}, session: {...sessionStorage}, indexed: []};
    for (const info of await indexedDB.databases()) {
        const db = await new Promise((ok, fail) => {
            const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = fail;
        });
        for (const name of db.objectStoreNames) {
            const all = db.transaction(name).objectStore(name).getAll();
            kept.indexed.push(...await new Promise((ok) => { all.onsuccess = () => ok(all.result); }));
        }
        db.close();
    }
    return kept;
}"""


def test_after_the_trash_nothing_of_the_conversation_is_kept_or_reachable(page: Page, shots: Path) -> None:
    ask(page, "Какой телефон Озона для Москвы?")
    page.locator('#chat a[href^="tel:"]').first.wait_for(timeout=30_000)
    answered(page)
    page.wait_for_timeout(500)
    before = page.evaluate(STORED)
    page.locator("#chat button[aria-label='Очистить чат']").first.click()
    page.wait_for_function("document.querySelectorAll('#chat a[href^=\"tel:\"]').length === 0")
    page.wait_for_timeout(500)  # the browser's copy is written after the chat clears
    after = page.evaluate(STORED)
    # The page's own copy (Gradio encrypts it) shrinks to an empty conversation; nothing else keeps runs.
    kept = len(before["local"].get("hotline-conversation", "")), len(after["local"].get("hotline-conversation", ""))
    assert kept[0] > 1000 and kept[1] < 300, kept
    assert after["indexed"] == [] and not after["session"], (after["indexed"][:2], after["session"])
    said = ("Москвы", "730-67-67", "009-70-70")  # the question, the answer's numbers
    readable = [k for k, v in after["local"].items() if any(w in v for w in said)]
    assert not readable, readable  # Gradio's run history kept every run in plain text after the trash
    # Nor is there a link to Gradio's run history or API pages.
    assert page.locator("footer a, a[href*='runs'], a[href*='view=api']").count() == 0
    assert page.get_by_text("Use via API").count() == 0
    page.screenshot(path=shots / "cleared.png", full_page=True)


def test_an_example_is_asked_when_clicked(page: Page) -> None:
    page.get_by_text("Какой телефон горячей линии Озон?").first.click()
    page.locator('#chat a[href^="tel:"]').first.wait_for(timeout=30_000)


def test_a_dislike_takes_a_comment_that_is_stored_with_it(page: Page, server: Server, shots: Path) -> None:
    ask(page, "Какая почта у поддержки Озон?")
    page.locator('#chat a[href^="mailto:"]').first.wait_for(timeout=30_000)
    answered(page)
    page.locator("#chat").hover()
    page.locator("#chat button[aria-label='Не нравится']").last.click(force=True)
    box = page.locator("#feedback-comment textarea")
    box.wait_for()
    assert box.bounding_box()["y"] < 768  # type: ignore[index]  # in view at 1366×768, not below the fold
    box.fill("нужен адрес для писем")
    page.locator("#send-comment").click()
    page.get_by_text("Спасибо, мы это учтём").first.wait_for()
    with sqlite3.connect(server.settings.data_dir / "feedback.sqlite") as db:
        row = db.execute("SELECT rating, question, comment FROM feedback ORDER BY id DESC").fetchone()
    assert row == ("dislike", "Какая почта у поддержки Озон?", "нужен адрес для писем")


def test_the_knowledge_base_lists_opens_and_deletes_articles_and_refuses_a_large_file_before_sending_it(
    browser: Any, server: Server, shots: Path
) -> None:
    page = open_page(browser, server.url + "kb/", {"width": 1366, "height": 900}, ready="input[type=password]")
    page.locator("input[type=text]").first.fill(MAINTAINER[0])
    page.locator("input[type=password]").fill(MAINTAINER[1])
    page.locator("input[type=password]").press("Enter")
    table = page.locator("#articles")
    table.get_by_text("borovik-kazan.md").first.wait_for(timeout=30_000)
    assert table.get_by_text("Боровик", exact=True).count() >= 1  # its organisation
    assert "статей" in page.locator("#index-stats").inner_text()
    page.screenshot(path=str(shots / "knowledge-base.png"))
    if AXE.exists():
        assert accessibility_problems(page) == []

    # The organisation registry: each organisation once, with its aliases and articles.
    registry = page.locator("#registry")
    registry.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('#registry').innerText.includes('Боровик')")
    assert "Ozon" in registry.inner_text() and "ozon-hotline-and-support.md" in registry.inner_text()
    page.screenshot(path=str(shots / "registry.png"))

    # The contact directory: each fact under whose it is, the articles' disagreements flagged.
    facts = page.locator("#directory")
    facts.scroll_into_view_if_needed()
    # Ozon's rows come first, and its Moscow numbers disagree (Gradio keeps a hidden copy of each cell too).
    page.wait_for_function("document.querySelector('#directory').innerText.includes('⚠ расходится')")
    notes = page.locator("#directory-notes")
    assert "Расхождения" in notes.inner_text() and "Для Москвы" in notes.inner_text()
    page.screenshot(path=str(shots / "directory.png"))
    facts.locator("input").first.fill("Боровик")  # the table's search
    page.wait_for_function("!document.querySelector('#directory').innerText.includes('730-67-67')")
    assert "+7 (843) 200-00-00" in facts.inner_text() and "Телефон" in facts.inner_text()

    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/upload" in r.url else None)
    big = {"name": "big.md", "mimeType": "text/markdown", "buffer": b"# big\n" + b"x" * 200_000}
    page.locator("#upload input[type=file]").set_input_files(files=[big])
    page.get_by_text("Не загружено: «big.md» больше 100 КБ (200 КБ)").wait_for()
    program = {"name": "setup.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"}
    page.locator("#upload input[type=file]").set_input_files(files=[program])
    page.get_by_text("«setup.exe»: статьёй может быть только файл .md, .txt, .html, .htm, .pdf или .docx").wait_for()
    assert sent == []  # refused in the browser, in Russian: not one byte went to the server

    table.get_by_text("borovik-kazan.md").first.click()
    page.locator("#delete-article").wait_for()  # shown with the article's text
    assert "+7 (843) 200-00-00" in page.locator("#article-text textarea").input_value()
    page.locator("#delete-article").click()
    page.locator("#confirm-delete").click()
    page.get_by_text("Статья «borovik-kazan.md» удалена").wait_for(timeout=120_000)
    assert table.get_by_text("borovik-kazan.md").count() == 0
    assert "удалён · Боровик · телефон" in notes.inner_text()  # what the ingest changed, fact by fact
    assert not (server.settings.corpus_dir / "borovik-kazan.md").exists()
    assert not page.outside


def test_a_maintainer_does_every_task_on_a_phone(browser: Any, server: Server, shots: Path) -> None:
    """Open, cancel a delete, upload (unchanged, new, badly named), each result beside its button, the
    tables kept while the index updates, readable headers: issue 25's knowledge-base faults on 390×844."""
    page = open_page(browser, server.url + "kb/", PHONE, ready="input[type=password]")
    page.locator("input[type=text]").first.fill(MAINTAINER[0])
    page.locator("input[type=password]").fill(MAINTAINER[1])
    page.locator("input[type=password]").press("Enter")
    page.wait_for_function("document.querySelector('#articles')?.innerText.includes('ozon-claim.md')", timeout=30_000)
    widths = page.evaluate("[...document.querySelectorAll('#articles th')].map(t => t.getBoundingClientRect().width)")
    assert min(widths) >= 90, widths  # the headers broke one letter a line

    def in_view(selector: str) -> bool:
        box = page.locator(selector).bounding_box()
        return box is not None and box["y"] >= -1 and box["y"] + min(box["height"], 40) <= PHONE["height"]

    page.locator("#articles").get_by_text("ozon-claim.md").last.click()
    page.wait_for_function("document.querySelector('#article-text textarea')?.value.includes('title:')")
    page.wait_for_timeout(1200)  # the smooth scroll
    assert in_view("#article-text"), page.locator(
        "#article-text"
    ).bounding_box()  # the text opens where the row was clicked, not a screen lower
    page.locator("#delete-article").click()
    page.locator("#cancel-delete").click()  # a confirmation that can be taken back
    page.wait_for_function(
        "!document.querySelector('#confirm-delete') || !document.querySelector('#confirm-delete').offsetParent"
    )
    assert (server.settings.corpus_dir / "ozon-claim.md").exists()
    page.screenshot(path=str(shots / "kb-phone-article.png"))

    upload = page.locator("#upload input[type=file]")
    same = (server.settings.corpus_dir / "ozon-claim.md").read_bytes()
    upload.set_input_files(files=[{"name": "ozon-claim.md", "mimeType": "text/markdown", "buffer": same}])
    page.locator("#add-article").click()
    page.wait_for_timeout(300)
    assert "ozon-claim.md" in page.locator("#articles").inner_text()  # not blanked to a spinner meanwhile
    result = page.locator("#upload-result")
    page.wait_for_function("document.querySelector('#upload-result').innerText.includes('Ничего не изменилось')")
    near = page.locator("#add-article").bounding_box()["y"] - result.bounding_box()["y"]  # type: ignore[index]
    assert abs(near) < 150, near  # beside the button pressed

    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/upload" in r.url else None)
    odd = {"name": "статья №1 & отзывы?.md", "mimeType": "text/markdown", "buffer": b"# x\n\ntext\n"}
    upload.set_input_files(files=[odd])
    page.get_by_text("Не загружено: «статья №1 & отзывы?.md»: в имени файла").wait_for()
    assert "например в «статья-1-отзывы.md»" in page.locator("#upload-refusal").inner_text()
    assert sent == []

    # A saved web page: its menu and footer stay out, and the article is shown as the index reads it.
    article = (
        "<html><head><title>Линия Ромашки</title></head><body><nav><a href='/'>Главная</a></nav><main>"
        "<h1>Линия Ромашки</h1><h2>Телефон</h2><p>Горячая линия магазина Ромашка: +7 (843) 200-00-77.</p>"
        "</main><footer>Реклама: +7 (843) 999-99-99</footer></body></html>"
    ).encode()
    upload.set_input_files(files=[{"name": "phone-test.html", "mimeType": "text/html", "buffer": article}])
    page.locator("#add-article").click()
    page.wait_for_function(
        "document.querySelector('#upload-result').innerText.includes('«phone-test.html» добавлена')", timeout=120_000
    )
    assert "фрагмент" in result.inner_text() and "добавлен" in result.inner_text()  # counts with their noun
    page.wait_for_timeout(800)
    assert in_view("#upload-result")  # the result is shown where the button was pressed
    assert "phone-test.html" not in page.locator("#upload").inner_text()  # the box is emptied after a success
    page.screenshot(path=str(shots / "kb-phone-upload.png"), full_page=False)
    page.locator("#articles").get_by_text("phone-test.html").last.click()
    page.wait_for_function("document.querySelector('#article-text textarea')?.value.includes('# Линия Ромашки')")
    shown = page.locator("#article-text textarea").input_value()
    assert "+7 (843) 200-00-77" in shown and "Главная" not in shown and "999-99-99" not in shown and "<" not in shown
    assert "trafilatura" in page.locator("#article-text").inner_text()  # the label says who read it
    page.screenshot(path=str(shots / "kb-phone-html.png"), full_page=False)
    (server.settings.corpus_dir / "phone-test.html").unlink()
    page.locator("#reingest").click()
    page.wait_for_function("document.querySelector('#ingest-result').innerText.includes('Готово')", timeout=120_000)
    assert not page.outside
