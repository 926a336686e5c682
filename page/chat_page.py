"""The chat page: the question box, the conversation (kept in the browser across a reload, forgotten by the
trash), each answer streamed paragraph by paragraph with its sources, like/dislike with a comment, the
examples and the line saying whom the articles cover. Every handler calls one library function
(``Hotline.stream``, ``FeedbackStore``) and places what :mod:`page.render` makes of the result; ``app.py``
serves it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import gradio as gr

from hotline import HotlineError, Settings
from hotline.answer import Answer, Turn
from hotline.language.excerpt import read_part
from hotline.pipeline import MAX_QUESTION_CHARS, Hotline
from hotline.wording import page_wording
from page import conversation
from page.conversation import Messages, Turns
from page.coverage import coverage_line, covered
from page.feedback import FeedbackStore, FeedbackUnavailable, rating_of
from page.guards import CACHE_EXPIRY
from page.render import answer_markdown, text_markdown, verbatim

log = logging.getLogger("hotline.app")

CHAT_HEIGHT = 520


def build_chat(settings: Settings, bot: Hotline, feedback: FeedbackStore) -> gr.Blocks:
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
        # Whom the articles cover: in the page as it is served (filled only as it opened, the line pushed the
        # question box down under the reader's eyes), and read again as each page opens (the index changes).
        covers = gr.Markdown(_coverage(bot), elem_id="covers")
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
            lambda: _coverage(bot),
            outputs=covers,
            api_visibility="private",
            show_progress="hidden",
        )
    return demo


def _coverage(bot: Hotline) -> str:
    """The coverage line of the live index ("" while it cannot be read: the questions say why)."""
    try:
        return coverage_line(covered(bot.index()))
    except HotlineError:
        return ""
