"""``python app.py [--host 127.0.0.1] [--port 7860]``: the hotline chat in the browser.

A thin layer over :mod:`hotline`: it builds components and wires events; every handler calls one library
function (``Hotline.ask``, ``run_ingest_isolated``, ``add_article``, ``FeedbackStore``) and places what
:mod:`page.render` makes of the result.

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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Gradio reports usage to its servers unless told not to; hotline makes no call to the internet.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr
import uvicorn
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from hotline import HotlineError, Settings
from hotline.answer import Answer, Turn
from hotline.config.cli import command_parser, run_command
from hotline.language.excerpt import read_part
from hotline.pipeline import MAX_QUESTION_CHARS, Hotline
from hotline.wording import page_wording
from ingest import ensure_index
from ingest.upload import SUFFIXES as UPLOADED
from ingest.upload import browser_rules
from page import conversation
from page.api import add_api
from page.conversation import Messages, Turns
from page.coverage import coverage_line, covered
from page.feedback import FeedbackStore, FeedbackUnavailable, rating_of
from page.guards import Guard, ThrottledLogin, checks_paths
from page.kb_page import CACHE_EXPIRY, build_knowledge_base
from page.render import answer_markdown, text_markdown, verbatim
from page.throttle import LoginThrottle

log = logging.getLogger("hotline.app")

KB_PATH = "/kb"
CHAT_HEIGHT = 520
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


def build(settings: Settings, bot: Hotline, feedback: FeedbackStore) -> gr.Blocks:
    """The chat page. The conversation is kept in the browser's storage (``gr.BrowserState``): a reload
    shows it again and a follow-up still reads it; "Новый разговор" and the trash icon clear it."""

    say = page_wording()["chat"]

    def respond(message: Any, messages: Messages, turns: Turns) -> Iterator[tuple[Any, ...]]:
        """(the chat, the conversation as shown, the turns, the question box, the browser's copy).
        ``messages`` is the conversation as shown, kept by the session: the browser never sends it, so a
        request carries the question alone (a malformed list of 20 000 messages had written 4 MB of
        validation errors to the log)."""
        text = " ".join(message.split()) if isinstance(message, str) else ""
        if not text:  # Enter on an empty box: nothing was asked, nothing changes ("?!" is answered politely)
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        messages, turns = conversation.bounded(messages, turns)
        # What is read of an over-long message (its opening and its last sentences) is what its bubble shows.
        messages = [*messages, {"role": "user", "content": verbatim(read_part(text, MAX_QUESTION_CHARS)) or "…"}]

        def replied(reply: str, kept: Turns = turns, remember: bool = False) -> tuple[Any, ...]:
            now = [*messages, {"role": "assistant", "content": reply}]
            return now, now, kept, "", {"messages": now, "turns": kept} if remember else gr.skip()

        # At once: something happens. The browser's copy of the conversation changes only with the answer.
        yield replied(say["thinking"])
        note = f"_{say['too_long'].format(limit=MAX_QUESTION_CHARS)}_\n\n" if len(text) > MAX_QUESTION_CHARS else ""
        answer = None
        try:
            for event in bot.stream(text, [Turn(t["question"], t["answer"]) for t in turns]):
                if isinstance(event, Answer):
                    answer = event
                else:
                    yield replied(note + text_markdown(event.text))
        except HotlineError as exc:  # the details (English, an address) are for the log, not the chat
            log.warning("answering %r failed: %s", text[:200], exc)
            yield replied(say["unavailable"])
            return
        except Exception:  # a bug must cost one answer, not the page: logged, and the user told plainly
            log.exception("answering %r failed", text[:200])
            yield replied(say["failed"])
            return
        assert answer is not None
        cited = [c.passage_id for c in answer.citations]
        kept = [*turns, conversation.turn(text, answer.text, cited, answer.query, len(messages))]
        yield replied(note + answer_markdown(answer), kept, remember=True)

    def restore(saved: Any) -> tuple[Messages, Messages, Turns]:
        """The conversation the browser kept, as far as the page keeps one (any client can send any)."""
        found = saved if isinstance(saved, dict) else {}
        messages, turns = conversation.bounded(found.get("messages"), found.get("turns"))
        return messages, messages, turns

    def vote(turns: Turns, data: gr.LikeData) -> tuple[Any, int, Any, Any]:
        """(the thanks, the vote's id, the comment box and its button shown after a dislike)."""
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        turn = next((t for t in turns if index in t["messages"]), None)
        hidden = gr.update(visible=False)
        if turn is None:
            return hidden, 0, hidden, hidden
        rating = rating_of(data.liked)
        if rating is None:  # not a value the like button sends
            return hidden, 0, hidden, hidden
        try:
            vote_id = feedback.record(rating, turn["question"], turn["answer"], turn["cited"], turn["standalone"])
        except FeedbackUnavailable as exc:  # a full disk must cost the vote, not an error on the page
            log.warning("vote not stored: %s", exc)
            return gr.update(visible=True, value=say["vote_failed"]), 0, hidden, hidden
        if rating == "dislike":
            thanks = gr.update(visible=True, value=say["what_was_wrong"])
            return thanks, vote_id, gr.update(visible=True, value=""), gr.update(visible=True)
        if rating == "like":
            return gr.update(visible=True, value=say["thanks"]), vote_id, hidden, hidden
        return hidden, vote_id, hidden, hidden

    def comment(vote_id: int, text: str) -> tuple[Any, Any, Any]:
        hidden = gr.update(visible=False)
        try:
            if vote_id and text.strip() and feedback.comment(vote_id, text):
                return gr.update(visible=True, value=say["comment_thanks"]), hidden, hidden
        except FeedbackUnavailable as exc:
            log.warning("comment not stored: %s", exc)
            return gr.update(visible=True, value=say["vote_failed"]), hidden, hidden
        return hidden, hidden, hidden

    def example(data: gr.SelectData) -> str:
        value = data.value if isinstance(data.value, dict) else {}
        return str(value.get("text", ""))

    def new_conversation() -> tuple[Messages, Messages, Turns, Any, Any, Any, dict[str, list[Any]]]:
        """Leaves the question box alone: a question typed meanwhile is the new conversation's first."""
        hidden = gr.update(visible=False)
        return [], [], [], hidden, hidden, hidden, {"messages": [], "turns": []}

    with gr.Blocks(title=say["title"], analytics_enabled=False, delete_cache=CACHE_EXPIRY) as demo:
        gr.Markdown(say["heading"], elem_id="heading")
        covers = gr.Markdown(elem_id="covers")  # filled from the live index as the page opens
        chatbot = gr.Chatbot(
            label=say["conversation"],
            show_label=False,  # a floating label would cover the conversation's first line
            elem_id="chat",
            height=CHAT_HEIGHT,
            placeholder=say["placeholder"],
            feedback_options=("Like", "Dislike"),
            buttons=["copy"],
            layout="bubble",
            autoscroll=False,  # page.js shows the top of a new answer, where its facts are, not its end
            # In the empty chat, in view on a phone too (below the question box they were under the fold).
            examples=[{"text": example} for example in say["examples"]],
        )
        shown = gr.State([])  # the conversation as the chat shows it
        turns = gr.State([])
        saved = gr.BrowserState({"messages": [], "turns": []}, storage_key="hotline-conversation")
        with gr.Row(elem_id="feedback-row", equal_height=True):  # under the answers: in view after a vote
            thanks = gr.Markdown(visible=False, elem_id="feedback-note", scale=3)
            remark = gr.Textbox(
                show_label=False,
                placeholder=say["comment_placeholder"],
                visible=False,
                max_length=1000,
                elem_id="feedback-comment",
                scale=8,
            )
            send_remark = gr.Button(say["send_comment"], size="sm", visible=False, elem_id="send-comment", scale=1)
        with gr.Row():
            question = gr.Textbox(
                label=say["question_label"],  # what a screen reader names the box (not "Textbox")
                show_label=False,
                placeholder=say["question"],
                elem_id="question",
                scale=8,
                autofocus=True,
            )
            send = gr.Button(say["ask"], variant="primary", scale=1, elem_id="send")
        new = gr.Button(say["new_conversation"], size="sm", elem_id="new-conversation")
        vote_id = gr.State(0)
        asked = {
            "fn": respond,
            "inputs": [question, shown, turns],
            "outputs": [chatbot, shown, turns, question, saved],
            "concurrency_id": "chat",
            "show_progress": "hidden",  # the answer's placeholder says it is coming; no overlay, no jump
        }
        gr.on([question.submit, send.click], api_name="chat", **asked)
        # A click on an example asks it: it goes through the question box, as if typed.
        chatbot.example_select(example, outputs=question, api_visibility="private").then(
            api_visibility="private", **asked
        )
        chatbot.like(vote, inputs=turns, outputs=[thanks, vote_id, remark, send_remark], api_visibility="private")
        gr.on(
            [remark.submit, send_remark.click],
            comment,
            inputs=[vote_id, remark],
            outputs=[thanks, remark, send_remark],
            api_visibility="private",
        )
        cleared = [chatbot, shown, turns, thanks, remark, send_remark, saved]
        new.click(new_conversation, outputs=cleared, api_visibility="private")
        # The chat's own trash icon starts over too: the next question is no follow-up of a cleared one.
        chatbot.clear(new_conversation, outputs=cleared, api_visibility="private")
        demo.load(restore, inputs=saved, outputs=[chatbot, shown, turns], api_visibility="private")
        demo.load(
            lambda: coverage_line(covered(bot.index())),
            outputs=covers,
            api_visibility="private",
            show_progress="hidden",
        )
    return demo


def page_script(settings: Settings) -> str:
    """page.js with what it needs from the server written in: the upload limits and refusals (the browser
    refuses before sending), the placeholder an answer replaces."""
    rules = json.dumps(browser_rules(settings), ensure_ascii=False)
    return SCRIPT.replace("UPLOAD_RULES", rules).replace("THINKING_TEXT", page_wording()["chat"]["thinking"].strip("_"))


def application(settings: Settings) -> FastAPI:
    """The chat at ``/`` and, with a maintainer login set, the knowledge base at ``/kb/``, one server."""
    bot = Hotline(settings)
    # The model and the index load now, before the page serves, not on the first user's question.
    print(f"hotline: model and index loaded in {bot.warm():.1f} s", file=sys.stderr)
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
    chat = build(settings, bot, feedback).queue(default_concurrency_limit=settings.concurrency)
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
        built = ensure_index(settings, progress=sys.stderr.isatty())
        if built is not None and built.replaced_note:  # an older checkout's data dir, rebuilt before serving
            print(built.replaced_note, file=sys.stderr)
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
