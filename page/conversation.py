"""The chat's conversation as the page keeps it, bounded: what a client sends or a session stores can be
only so large.

Three copies of a conversation exist: the chat's messages (sent by the browser with every question), the
turns the session keeps on the server (question, answer, cited ids, for follow-ups and votes), and the
browser's storage (handed back on a reload through the private ``restore`` event). Any client can send
any of them: four anonymous clients that restored 10 000-turn histories held every answering slot for
89 s. So each is cut here, the same way, before anything reads it: the last :data:`MAX_TURNS` turns, each
text to its own limit, messages of any other shape dropped. Only the last few of those turns feed a
follow-up (:data:`hotline.pipeline.FOLLOW_UP_TURNS`); the rest are there to be read and voted on.

A turn is a dict (it lives in the browser's JSON storage too): ``question``, ``answer``, ``cited``,
``standalone``, and ``messages``, the index of its answer in the chat's messages (how a vote finds it).
No Gradio here.
"""

from __future__ import annotations

import bisect
from typing import Any

from hotline.pipeline import MAX_QUESTION_CHARS

Messages = list[dict[str, Any]]
Turns = list[dict[str, Any]]

MAX_SESSIONS = 500  # sessions whose state the chat keeps (Gradio's default is 10 000); the oldest go first
MAX_TURNS = 10  # a conversation keeps its last 10 questions and answers; older ones leave the page
MAX_MESSAGE_CHARS = 8000  # one message as shown (an answer card with its sources: median 1 800, at most ~4 000)
MAX_ANSWER_CHARS = 8000  # an answer's text as kept for a vote
MAX_CITED = 20  # passage ids a turn keeps (an answer cites a handful)
ROLES = ("user", "assistant")


def bounded(messages: Any, turns: Any) -> tuple[Messages, Turns]:
    """``messages`` and ``turns`` as the page may keep them: the last ``2 * MAX_TURNS`` messages and
    the last :data:`MAX_TURNS` turns, well formed, each text cut to its limit, and the turns' message
    indexes moved with what was cut before them (a turn whose answer was cut goes with it). Anything of
    another shape is dropped, never an error, and a list of millions is not even walked. An API client
    sends no messages at all: its turns (the session's) are kept as they are."""
    raw = messages if isinstance(messages, list) else []
    start = max(0, len(raw) - 2 * MAX_TURNS)
    kept: Messages = []
    dropped: list[int] = []  # indexes of malformed messages within the kept window
    for i in range(start, len(raw)):
        if (message := _message(raw[i])) is not None:
            kept.append(message)
        else:
            dropped.append(i)
    kept_turns = []
    for record in turns[-MAX_TURNS:] if isinstance(turns, list) else []:
        if (found := _turn(record)) is not None:
            old = found["messages"][0]
            found["messages"] = [old - start - bisect.bisect_left(dropped, old)]
            if found["messages"][0] >= 0:
                kept_turns.append(found)
    return kept, kept_turns


def turn(question: str, answer: str, cited: list[str], standalone: str, index: int) -> dict[str, Any]:
    """A new turn, its texts cut to their limits."""
    return {
        "question": question[:MAX_QUESTION_CHARS],
        "answer": answer[:MAX_ANSWER_CHARS],
        "cited": [c[:100] for c in cited[:MAX_CITED]],
        "standalone": standalone[:MAX_QUESTION_CHARS],
        "messages": [index],
    }


def _message(message: Any) -> dict[str, Any] | None:
    """A chat message as the page writes it (a role and its text), or None. Gradio hands content back as
    a list of parts (``[{"type": "text", "text": …}]``); only text parts are read (the chat shows no files)."""
    if not isinstance(message, dict) or message.get("role") not in ROLES:
        return None
    content = message.get("content")
    if isinstance(content, list):
        texts = [p.get("text") for p in content if isinstance(p, dict) and p.get("type", "text") == "text"]
        content = "".join(t for t in texts if isinstance(t, str))
    if not isinstance(content, str):
        return None
    return {"role": message["role"], "content": content[:MAX_MESSAGE_CHARS]}


def _turn(record: Any) -> dict[str, Any] | None:
    """A stored turn as the page writes it, or None."""
    if not isinstance(record, dict):
        return None
    question, answer, standalone = record.get("question"), record.get("answer"), record.get("standalone", "")
    cited, index = record.get("cited", []), record.get("messages")
    if not (isinstance(question, str) and isinstance(answer, str) and isinstance(standalone, str)):
        return None
    if not isinstance(cited, list) or not all(isinstance(c, str) for c in cited[:MAX_CITED]):
        return None
    if not (isinstance(index, list) and index and type(index[0]) is int):
        return None
    return turn(question, answer, cited, standalone, index[0])
