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

import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

# Gradio reports usage to its servers unless told not to; hotline makes no call to the internet.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr
import uvicorn
from fastapi import FastAPI
from gradio.utils import get_upload_folder

from hotline import HotlineError, Settings, directory
from hotline.answer import Answer, Turn
from hotline.config.cli import command_parser, run_command
from hotline.directory import history, saved
from hotline.pipeline import MAX_QUESTION_CHARS, Hotline
from hotline.wording import page_wording
from ingest import IngestReport, ensure_index
from ingest.isolated import run_ingest_isolated
from ingest.upload import add_article, refused_upload, remove_article, size_text
from page import conversation
from page.conversation import Messages, Turns
from page.feedback import FeedbackStore, FeedbackUnavailable, rating_of
from page.guards import Guard, ThrottledLogin, received
from page.knowledge_base import (
    article_rows,
    article_text,
    directory_notes,
    directory_rows,
    directory_summary,
    figures,
    ingest_summary,
    refusal,
    registry_rows,
)
from page.render import answer_markdown, escape, text_markdown, verbatim
from page.throttle import LoginThrottle

log = logging.getLogger("hotline.app")

KB_PATH = "/kb"
CHAT_HEIGHT = 520
# Gradio keeps every file it received or served (uploads, feedback exports) until it restarts: each hour,
# files older than an hour go.
CACHE_EXPIRY = (3600, 3600)
WEB = Path(__file__).resolve().parent / "page" / "web"
CSS = (WEB / "page.css").read_text(encoding="utf-8")
SCRIPT = (WEB / "page.js").read_text(encoding="utf-8")
THEME = gr.themes.Default(
    font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "Menlo", "Consolas", "monospace"],
)

Overview = tuple[str, list[list[Any]], list[list[Any]], list[list[str]], str]


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
        messages, turns = conversation.bounded(messages, turns)
        messages = [*messages, {"role": "user", "content": verbatim(text[:MAX_QUESTION_CHARS]) or "…"}]

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

    def new_conversation() -> tuple[Messages, Messages, Turns, Any, Any, Any, dict[str, list[Any]]]:
        """Leaves the question box alone: a question typed meanwhile is the new conversation's first."""
        hidden = gr.update(visible=False)
        return [], [], [], hidden, hidden, hidden, {"messages": [], "turns": []}

    with gr.Blocks(title=say["title"], analytics_enabled=False, delete_cache=CACHE_EXPIRY) as demo:
        gr.Markdown(say["heading"])
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
                show_label=False,
                placeholder=say["question"],
                elem_id="question",
                scale=8,
                autofocus=True,
            )
            send = gr.Button(say["ask"], variant="primary", scale=1, elem_id="send")
        new = gr.Button(say["new_conversation"], size="sm", elem_id="new-conversation")
        vote_id = gr.State(0)
        examples = gr.Examples(say["examples"], inputs=question, label=say["examples_label"])
        asked = {
            "fn": respond,
            "inputs": [question, shown, turns],
            "outputs": [chatbot, shown, turns, question, saved],
            "concurrency_id": "chat",
            "show_progress": "hidden",  # the answer's placeholder says it is coming; no overlay, no jump
        }
        gr.on([question.submit, send.click], api_name="chat", **asked)
        # A click on an example asks it (Gradio's examples only fill the box).
        examples.load_input_event.then(api_visibility="private", **asked)
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
    return demo


def _listing(columns: Sequence[str], widths: Sequence[str], height: int, elem_id: str) -> gr.Dataframe:
    """A read-only table of the knowledge base, searchable, its cells wrapped."""
    return gr.Dataframe(
        headers=list(columns),
        interactive=False,
        wrap=True,
        show_search="search",
        max_height=height,
        column_widths=list(widths),
        elem_id=elem_id,
    )


def build_knowledge_base(settings: Settings, bot: Hotline, feedback: FeedbackStore) -> gr.Blocks:
    """The maintainers' page: the index in one line, the articles (open one, delete one), re-ingest, an
    upload, the feedback. Uploads over the limit are refused in the browser, before any byte is sent
    (page.js, with Gradio's ``max_file_size`` as the server's backstop)."""
    limit = size_text(settings.max_upload_bytes)
    say = page_wording()["knowledge_base"]

    def overview() -> Overview:
        """(the index in one line, the articles, the contact directory, its conflicts, changes and stale
        articles): what every action on the page refreshes."""
        try:
            view = bot.index()
            entries = saved.of_snapshot(view.snapshot, settings.data_dir, lambda: view)
            found = directory.conflicts(entries)
            old = directory.stale(view.snapshot.articles, settings.stale_after_days)
            notes = directory_notes(found, history.recent(settings.data_dir), old, settings.stale_after_days)
            articles = [row.cells() for row in article_rows(view)]
            return figures(bot.stats()), articles, registry_rows(view), directory_rows(entries, found), notes
        except HotlineError as exc:
            return say["unavailable"].format(why=escape(refusal(exc))), [], [], [], ""

    def outcome(report: IngestReport, done: str = "") -> str:
        lines = [f"{say['done']}{done}{ingest_summary(report)} {directory_summary(report)}".rstrip()]
        lines += [f"- {escape(p.russian())}" for p in report.problems]
        return "\n".join(lines)

    def bar(progress: gr.Progress) -> Callable[[int, int], None]:
        return lambda done, total: progress((done, total), desc=say["progress"], unit=say["progress_unit"])

    def reingest(progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        try:
            report = run_ingest_isolated(settings, progress=bar(progress))
        except HotlineError as exc:
            return say["not_updated"].format(why=escape(refusal(exc))), *overview()
        return outcome(report), *overview()

    def upload(path: str | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        if not path:
            return say["choose_file"], *overview()
        file = Path(path)
        if not received(file, get_upload_folder()):  # a client may name any file on the server instead
            log.warning("upload refused: %s is not in Gradio's upload folder", path)
            return say["not_uploaded"].format(why=escape(refused_upload(file.name))), *overview()
        try:
            report = add_article(
                settings, file.name, file.read_bytes(), progress=bar(progress), ingest=run_ingest_isolated
            )
        except HotlineError as exc:
            return say["not_uploaded"].format(why=escape(refusal(exc))), *overview()
        return outcome(report, say["added"].format(name=escape(file.name))), *overview()

    def chosen(rows: Any, data: gr.SelectData) -> tuple[str, str, Any, Any]:
        """(the article's path, its text, the delete button, the confirmation hidden) for a clicked row."""
        path = str(data.row_value[0]) if data.row_value else ""
        hidden = gr.update(visible=False)
        if not path:
            return "", "", hidden, hidden
        try:
            text = article_text(settings, path)
        except HotlineError as exc:
            text = str(exc)
        return path, text, gr.update(visible=True, value=say["delete_this"].format(path=path)), hidden

    def delete(
        path: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> tuple[Any, ...]:
        hidden = gr.update(visible=False)
        try:
            report = remove_article(settings, path, progress=bar(progress), ingest=run_ingest_isolated)
        except HotlineError as exc:
            return say["not_removed"].format(why=escape(refusal(exc))), *overview(), path, gr.skip(), hidden, hidden
        return outcome(report, say["removed"].format(name=escape(path))), *overview(), "", "", hidden, hidden

    # One folder for the page's lifetime, each export overwriting the last (Gradio serves its own copy).
    exports = tempfile.TemporaryDirectory(prefix="hotline-feedback-")

    def export() -> str:
        return str(feedback.export_csv(Path(exports.name) / "feedback.csv"))

    with gr.Blocks(title=say["title"], analytics_enabled=False, delete_cache=CACHE_EXPIRY) as demo:
        gr.Markdown(say["heading"])
        stats = gr.Markdown(elem_id="index-stats")
        update = gr.Button(say["reingest"], variant="primary", elem_id="reingest")
        result = gr.Markdown(elem_id="ingest-result")
        gr.Markdown(say["articles"])
        table = _listing(say["columns"], ["18%", "31%", "11%", "20%", "10%", "10%"], 360, "articles")
        gr.Markdown(say["registry"])
        organizations = _listing(say["registry_columns"], ["28%", "32%", "30%", "10%"], 300, "registry")
        gr.Markdown(page_wording()["directory"]["heading"])
        widths = ["12%", "9%", "17%", "17%", "13%", "13%", "9%", "10%"]
        facts = _listing(page_wording()["directory"]["columns"], widths, 420, "directory")
        notes = gr.Markdown(elem_id="directory-notes")
        opened = gr.State("")
        text = gr.Textbox(
            label=say["article_text"],
            lines=8,
            max_lines=20,
            interactive=False,
            elem_id="article-text",
        )
        with gr.Row():
            remove = gr.Button(say["delete"], variant="stop", size="sm", visible=False, elem_id="delete-article")
            confirm = gr.Button(
                say["confirm_delete"], variant="stop", size="sm", visible=False, elem_id="confirm-delete"
            )
        gr.Markdown(say["new_article"].format(limit=limit))
        article = gr.File(label=say["article"], file_types=[".md", ".txt"], type="filepath", elem_id="upload")
        gr.HTML('<p id="upload-refusal" role="alert"></p>', padding=False)
        add = gr.Button(say["add"], elem_id="add-article")
        gr.Markdown(say["feedback"])
        download = gr.Button(say["export"], size="sm", elem_id="export-feedback")
        csv_file = gr.File(label="feedback.csv", interactive=False, elem_id="feedback-file")
        listing = [stats, table, organizations, facts, notes]
        update.click(
            reingest, outputs=[result, *listing], api_name="reingest", concurrency_id="ingest", concurrency_limit=1
        )
        add.click(upload, inputs=article, outputs=[result, *listing], api_name="upload", concurrency_id="ingest")
        table.select(chosen, inputs=table, outputs=[opened, text, remove, confirm], api_visibility="private")
        remove.click(lambda: gr.update(visible=True), outputs=confirm, api_visibility="private")
        confirm.click(
            delete,
            inputs=opened,
            outputs=[result, *listing, opened, text, remove, confirm],
            api_visibility="private",  # the article comes from the row clicked, kept in the session
            concurrency_id="ingest",
        )
        download.click(export, outputs=csv_file, api_name="export_feedback")
        demo.load(overview, outputs=listing, api_visibility="private")
    return demo


def application(settings: Settings) -> FastAPI:
    """The chat at ``/`` and, with a maintainer login set, the knowledge base at ``/kb/``, one server."""
    bot = Hotline(settings)
    # The model and the index load now, before the page serves, not on the first user's question.
    print(f"hotline: model and index loaded in {bot.warm():.1f} s", file=sys.stderr)
    feedback = FeedbackStore(settings.data_dir / "feedback.sqlite")
    app = FastAPI()

    throttle = LoginThrottle()
    logins = {
        path: ThrottledLogin(name, credentials, throttle)
        for path, name, credentials in (
            ("", "chat", settings.credentials),
            (KB_PATH, "kb", settings.maintainer_credentials),
        )
        if credentials is not None
    }
    kb = KB_PATH if settings.maintainer_credentials is not None else None
    app.add_middleware(
        Guard,
        logins=logins,
        uploads=kb,
        upload_bytes=settings.max_upload_bytes,
        wait_text=page_wording()["chat"]["too_many_logins"],
    )
    # The page's limit on uploads is written into its script: the browser refuses before sending.
    script = SCRIPT.replace("MAX_UPLOAD_BYTES", str(settings.max_upload_bytes)).replace(
        "MAX_UPLOAD_TEXT", size_text(settings.max_upload_bytes)
    )
    page: dict[str, Any] = {"theme": THEME, "css": CSS, "js": script, "show_error": False}

    if kb is not None:
        knowledge_base = build_knowledge_base(settings, bot, feedback).queue(default_concurrency_limit=1)
        gr.mount_gradio_app(
            app,
            knowledge_base,
            KB_PATH,
            auth=logins[KB_PATH],
            max_file_size=settings.max_upload_bytes,  # the server's backstop to page.js's check
            **page,
        )
        checks_paths(knowledge_base)
    chat = build(settings, bot, feedback).queue(default_concurrency_limit=settings.concurrency)
    chat.state_session_capacity = conversation.MAX_SESSIONS  # Gradio keeps 10 000 sessions' state by default
    mounted = gr.mount_gradio_app(app, chat, "", auth=logins.get(""), **page)
    checks_paths(chat)
    return mounted


def checks_paths(blocks: gr.Blocks) -> None:
    """Gradio checks that a file an event's data names was uploaded (and that a file a handler returns
    lies in the working or temporary directory) only for an app it launched itself: a mounted one takes
    any server path as a file, and the knowledge base published ``/etc/…``-style files that way. Its flag
    for "launched" is what turns the checks on; the upload handler checks the folder itself as well."""
    blocks.has_launched = True


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("python app.py", __doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    parser.add_argument("--port", type=int, default=7860)
    args = parser.parse_args(argv)

    def serve() -> int:
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
