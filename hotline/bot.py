"""The one entry point the page, the command line and the evaluation share: a question in, an Answer out.

    question (+ history) -> condense -> analyse -> hybrid retrieve -> extractive answer -> guard

Each stage is its own module; this one only strings them together and times them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

from hotline import extractive
from hotline.answer import Answer, Turn
from hotline.conversation import condense
from hotline.guard import guard
from hotline.retrieval import Retriever
from hotline.settings import Settings

MAX_QUESTION_CHARS = 2000


class Hotline:
    """Answers questions from the live index. Holds the retriever (and through it the index view and the
    model), so a process keeps one and asks it many times."""

    ANSWERER = "extractive"

    def __init__(self, settings: Settings, retriever: Retriever | None = None) -> None:
        self.settings = settings
        self.retriever = retriever or Retriever(settings)

    def close(self) -> None:
        self.retriever.close()

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        """Answer ``question``; ``history`` holds the earlier turns of the conversation, oldest first."""
        started = time.perf_counter()
        question = " ".join(question.split())[:MAX_QUESTION_CHARS]
        if not any(ch.isalnum() for ch in question):
            return Answer(text=extractive.texts("ru")["empty"], answered=False)
        view = self.retriever.view()
        standalone = condense(question, history, lambda text: self.retriever.analyze(text, view))
        query = self.retriever.analyze(standalone, view)
        passages = self.retriever.retrieve(query, mode=self.settings.retrieval, view=view)
        retrieved = time.perf_counter()
        reply = extractive.answer(query, passages, view.lexical, self.retriever.encoder.cosines)
        composed = time.perf_counter()
        cited_ids = {c.passage_id for c in reply.citations}
        checked = guard(
            reply.text, [p for p in passages if p.id in cited_ids], extractive.texts(query.language)["removed"]
        )
        text = checked.text
        if checked.removed:
            text += "\n\n" + extractive.texts(query.language)["removed_note"]
        done = time.perf_counter()
        return replace(
            reply,
            text=text,
            query=standalone,
            passages=tuple(passages),
            removed=checked.removed,
            timings={
                "retrieve_ms": (retrieved - started) * 1000,
                "answer_ms": (composed - retrieved) * 1000,
                "guard_ms": (done - composed) * 1000,
                "total_ms": (done - started) * 1000,
            },
        )
