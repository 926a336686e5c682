"""Page benchmark: what a person waits for in the browser (Debian's Chromium, headless, via Playwright).

    python bench/page.py [--users 1,4,16] [--seconds 15]

It starts ``python app.py`` on a free loopback port over a temporary index built from the repository's
corpus (the index is built first, untimed, so that the start measured is the page's own), then prints:

- **start → serves**: from launching the process to the page answering HTTP (model and index load here);
- **the first answer**: the browser starts as soon as the page serves and opens it in a fresh tab (timed
  apart: the page warms its model, index and Gradio's event path meanwhile), then the first question is
  timed from Enter to its answer shown (target ≤ 0.5 s);
- **warm answers** at N users: each user is a browser tab asking the evaluation's questions in turn,
  timed from pressing Enter to the answer's last paint (its placeholder gone), then "Новый разговор".
  Printed: answers per second, p50/p95, and errors (no answer within 30 s).

Browser and server share this machine's cores; read the N rows as ratios between them, and beside
``bench/load.py``'s (the same page through gradio_client, without a browser).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.load import app_env, free_port, wait_for  # noqa: E402
from eval.cases import load_cases  # noqa: E402
from hotline.config.settings import Settings  # noqa: E402
from ingest import run_ingest  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DONE = (
    "n => { const bots = document.querySelectorAll('#chat [data-testid=bot]');"
    " return bots.length >= n && !bots[bots.length - 1].innerText.includes('Ищу ответ'); }"
)


async def ask(page: object, question: str) -> float:
    """Seconds from Enter to the answer shown, in a tab with an empty conversation."""
    box = page.locator("#question textarea")  # type: ignore[attr-defined]
    await box.fill(question)
    started = time.perf_counter()
    await box.press("Enter")
    await page.wait_for_function(DONE, arg=1, timeout=30_000)  # type: ignore[attr-defined]
    return time.perf_counter() - started


async def fresh_tab(browser: object, url: str) -> object:
    page = await browser.new_page(locale="ru-RU")  # type: ignore[attr-defined]
    await page.goto(url)
    await page.locator("#question textarea").wait_for()
    return page


async def step(
    browser: object, url: str, n: int, seconds: float, questions: list[str]
) -> tuple[list[float], int, float]:
    """(answer latencies, errors, wall seconds) of ``n`` tabs asking for ``seconds``."""
    tabs = [await fresh_tab(browser, url) for _ in range(n)]
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds

    async def user(k: int, tab: object) -> None:
        nonlocal errors
        i = k
        while time.monotonic() < stop:
            try:
                latencies.append(await ask(tab, questions[i % len(questions)]))
                await tab.locator("#new-conversation").click()  # type: ignore[attr-defined]
                await tab.wait_for_function("!document.querySelector('#chat [data-testid=bot]')")  # type: ignore[attr-defined]
            except Exception:  # counted, not raised: the figure is how many fail
                errors += 1
            i += n

    began = time.perf_counter()
    await asyncio.gather(*(user(k, tab) for k, tab in enumerate(tabs)))
    wall = time.perf_counter() - began
    for tab in tabs:
        await tab.close()  # type: ignore[attr-defined]
    return latencies, errors, wall


async def measure(url: str, served_after: float, users: list[int], seconds: float, questions: list[str]) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        opened = time.perf_counter()
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = await fresh_tab(browser, url)
        tab = time.perf_counter() - opened
        first = await ask(page, questions[0])
        print(
            f"start → serves: {served_after:.1f} s; then the browser starts and loads the page: {tab:.2f} s; "
            f"the first question, Enter → answer shown: {first:.2f} s"
        )
        await page.close()
        print(f"{'users':>5} {'answers':>8} {'per s':>6} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}")
        for n in users:
            latencies, errors, wall = await step(browser, url, n, seconds, questions)
            ordered = sorted(latencies)
            p50 = statistics.median(ordered) * 1000 if ordered else 0.0
            p95 = ordered[int(0.95 * (len(ordered) - 1))] * 1000 if ordered else 0.0
            print(f"{n:>5} {len(ordered):>8} {len(ordered) / wall:>6.1f} {p50:>7.0f} {p95:>7.0f} {errors:>6}")
        await browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", default="1,4,16")
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()
    questions = [case.question for case in load_cases(REPO / "eval" / "cases.yaml") if len(case.turns) == 1]
    with tempfile.TemporaryDirectory(prefix="hotline-page-") as tmp:
        work = Path(tmp)
        env = app_env(work, REPO / "corpus")
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=Path(env["HOTLINE_DATA_DIR"]),
            corpus_dir=REPO / "corpus",
            models_dir=Path(env["HOTLINE_MODELS_DIR"]),
        )
        run_ingest(settings)
        port = free_port()
        log = work / "app.log"
        launched = time.perf_counter()
        app = subprocess.Popen(
            [sys.executable, str(REPO / "app.py"), "--port", str(port)],
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_for(url, app, log)
            served_after = time.perf_counter() - launched
            asyncio.run(measure(url, served_after, [int(u) for u in args.users.split(",")], args.seconds, questions))
        finally:
            app.terminate()
            app.wait(timeout=30)


if __name__ == "__main__":
    main()
