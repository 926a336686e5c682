"""``python app.py [--host 127.0.0.1] [--port 7860]``: the hotline chat in the browser.

A thin layer over :mod:`hotline`: it assembles one server from the chat (:mod:`page.chat_page`), the
knowledge base (:mod:`page.kb_page`) and the API (:mod:`page.api`), behind the guards; every handler of
theirs calls one library function and places what :mod:`page.render` makes of the result.

- **Чат**: answers streamed paragraph by paragraph, follow-ups answered against the conversation, the cited
  passages in a collapsed block under each answer, like/dislike stored in ``data/feedback.sqlite``.
- **База знаний** (``/kb/``, its own app on the same server): index figures, re-ingest with a progress bar,
  an article upload, the feedback as CSV. It exists only when ``HOTLINE_MAINTAINER`` is set, and asks for
  that login wherever the page binds, loopback included: a reverse proxy in front of the page would put
  loopback on the network. The chat stays open (or behind ``HOTLINE_AUTH``, a login of its own).
- Every login is throttled per login and client, and every request bounded (:mod:`page.guards`).

The page makes no call to the internet: analytics are off and the theme uses the system's fonts (the
default theme would load Google Fonts in the browser).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
from pathlib import Path
from typing import Any

# Gradio reports usage to its servers unless told not to; hotline makes no call to the internet.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from page.gradio_stubs import skip_stub_writing, warm_event_path

skip_stub_writing()  # before Gradio loads: its import rewrites type stubs, half of the page's start

import gradio as gr
import uvicorn
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from hotline import HotlineError, Settings
from hotline.config.cli import build_index_apart, command_parser, run_command
from hotline.index.store import index_is_current
from hotline.pipeline import Hotline
from hotline.wording import page_wording
from ingest.upload import SUFFIXES as UPLOADED
from ingest.upload import browser_rules
from page import conversation
from page.api import add_api
from page.chat_page import build_chat
from page.feedback import FeedbackStore
from page.guards import Guard, ThrottledLogin, checks_paths
from page.throttle import LoginThrottle

log = logging.getLogger("hotline.app")

KB_PATH = "/kb"
WEB = Path(__file__).resolve().parent / "page" / "web"
CSS = (WEB / "page.css").read_text(encoding="utf-8")
SCRIPT = (WEB / "page.js").read_text(encoding="utf-8")
# The primary buttons a shade darker than Gradio's orange: white on its orange-500 is 2.8:1, WCAG AA wants
# 4.5:1 (orange-700 gives 5.2:1).
THEME = gr.themes.Default(
    font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "Menlo", "Consolas", "monospace"],
).set(
    button_primary_background_fill="*primary_700",
    button_primary_background_fill_hover="*primary_800",
    button_primary_background_fill_dark="*primary_700",
    button_primary_border_color="*primary_700",
)


def page_script(settings: Settings) -> str:
    """page.js with what it needs from the server written in: the upload limits and refusals (the browser
    refuses before sending), the placeholder an answer replaces."""
    rules = json.dumps(browser_rules(settings), ensure_ascii=False)
    return SCRIPT.replace("UPLOAD_RULES", rules).replace("THINKING_TEXT", page_wording()["chat"]["thinking"].strip("_"))


def application(settings: Settings) -> FastAPI:
    """The chat at ``/`` and, with a maintainer login set, the knowledge base at ``/kb/``, one server."""
    bot = Hotline(settings)
    # What the page shows as it opens (the line saying whom the articles cover, read from the index's
    # registry) is read before it serves: arriving later, it pushed the question box down under the reader.
    try:
        bot.index().registry  # noqa: B018  # cached on the snapshot
    except HotlineError as exc:
        log.warning("the index cannot be read yet: %s", exc)

    # The rest (the encoder, the question reader) loads while the page starts serving, not on the first
    # user's question: one asked before it is ready waits for it.
    def warmed(seconds: float) -> None:
        print(f"hotline: model and index loaded in {seconds:.1f} s", file=sys.stderr)
        warm_event_path()  # and what Gradio's first event would otherwise load

    bot.warm_in_background(warmed)
    feedback = FeedbackStore(settings.data_dir / "feedback.sqlite")
    # The API's schema and docs under /api/ (FastAPI's /docs would be the page's path space).
    app = FastAPI(title="hotline", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")

    throttle = LoginThrottle()
    logins = {
        path: ThrottledLogin(name, credentials, throttle)
        for path, name, credentials in (
            ("", "chat", settings.credentials),
            (KB_PATH, "kb", settings.maintainer_credentials),
        )
        if credentials is not None
    }
    add_api(app, bot, logins.get(""), settings.concurrency)  # before the page, mounted at "/", takes every path
    kb = KB_PATH if settings.maintainer_credentials is not None else None
    largest_upload = max(settings.upload_limit(suffix) for suffix in UPLOADED)
    app.add_middleware(
        Guard,
        logins=logins,
        uploads=kb,
        upload_bytes=largest_upload,
        wait_text=page_wording()["chat"]["too_many_logins"],
    )
    script = page_script(settings)
    # No footer (Gradio's English "Use via API", "Built with Gradio", "Settings", "Runs"), and no run history:
    # Gradio would keep every question and answer in the browser after the trash, readable from its "Runs"
    # page on a shared computer (issue 25). Turned off, it also deletes runs an older page had saved there.
    page: dict[str, Any] = {
        "theme": THEME,
        "css": CSS,
        "js": script,
        "show_error": False,
        "footer_links": [],
        "run_history": False,
    }

    if kb is None:  # /kb/ without a maintainer's login: a plain page that says so, not Gradio's JSON 404
        said = page_wording()["chat"]["no_knowledge_base"]
        off = HTMLResponse(f'<!doctype html><html lang="ru"><meta charset="utf-8"><p>{said}</p></html>', 404)
        app.add_api_route(KB_PATH, lambda: off, include_in_schema=False)
        app.add_api_route(KB_PATH + "/{rest:path}", lambda rest: off, include_in_schema=False)
    if kb is not None:
        from page.kb_page import build_knowledge_base  # with its ingest imports, only where there is one

        knowledge_base = build_knowledge_base(settings, bot, feedback).queue(default_concurrency_limit=1)
        gr.mount_gradio_app(
            app,
            knowledge_base,
            KB_PATH,
            auth=logins[KB_PATH],
            max_file_size=largest_upload,  # the server's backstop to page.js's check, per type in add_article
            **page,
        )
        checks_paths(knowledge_base)
    chat = build_chat(settings, bot, feedback).queue(default_concurrency_limit=settings.concurrency)
    chat.state_session_capacity = conversation.MAX_SESSIONS  # Gradio keeps 10 000 sessions' state by default
    mounted = gr.mount_gradio_app(app, chat, "", auth=logins.get(""), **page)
    checks_paths(chat)
    return mounted


def taken(host: str, port: int) -> None:
    """Fail with one line when ``port`` cannot be listened on (another server has it, or it is not ours to
    take); what to do is in the line."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: a closed port is free
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise HotlineError(
                f"cannot listen on {host}:{port} ({exc.strerror or exc}); stop what serves there, or start with"
                f" --port {port + 1}"
            ) from None


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("python app.py", __doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    parser.add_argument("--port", type=int, default=7860)
    args = parser.parse_args(argv)

    def serve() -> int:
        taken(args.host, args.port)  # at once, before seconds of loading: not uvicorn's raw error after them
        settings = Settings()
        if not index_is_current(settings):  # a fresh data dir, or another model's index: built before serving
            # apart: the ingest's torch model stayed in the page's memory (bench/load.py: 1.46 GB at 1 user)
            build_index_apart("the index could not be built (see the line above); the page was not started")
        if settings.maintainer_credentials is None:
            print(
                "note: no knowledge-base page: set HOTLINE_MAINTAINER=user:password to have one at /kb/",
                file=sys.stderr,
            )
        app = application(settings)
        print(f"hotline: http://{args.host}:{args.port}/", file=sys.stderr)
        # Open streams (a browser tab, a client's heartbeat) must not keep a stopped server alive.
        # A forwarded client address is believed only from the proxies named (uvicorn's default believes
        # X-Forwarded-For from loopback, which let a guesser be a new client with every header).
        proxies = settings.trusted_proxies
        uvicorn.run(
            app,
            host=args.host,
            port=args.port,
            log_level="warning",
            timeout_graceful_shutdown=3,
            proxy_headers=proxies is not None,
            forwarded_allow_ips=proxies or "",
        )
        return 0

    return run_command(serve, debug=args.debug)


if __name__ == "__main__":
    sys.exit(main())
