"""The one entry point the page, the command line and the evaluation share: a question in, an Answer out.

For now the answer is a baseline: the best retrieved passage, quoted with its source. It exists so that
the evaluation has something real to measure; the grounded answerer replaces :meth:`Hotline._compose`
without changing :meth:`Hotline.ask`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from hotline import messages
from hotline.answer import Answer, Citation, Fact, Turn
from hotline.facts import find_emails, find_phones
from hotline.passages import Passage
from hotline.retrieval import Retriever
from hotline.settings import Settings

MAX_QUESTION_CHARS = 2000


class Hotline:
    """Answers questions from the live index. Holds the retriever (and through it the index view and the
    model), so a process keeps one and asks it many times."""

    ANSWERER = "baseline: the best passage, quoted"

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
            return Answer(text=messages.EMPTY_QUESTION, answered=False)
        passages = self.retriever.search(question)
        retrieved = time.perf_counter()
        answer = self._compose(question, passages)
        done = time.perf_counter()
        timings = {
            "retrieve_ms": (retrieved - started) * 1000,
            "answer_ms": (done - retrieved) * 1000,
            "total_ms": (done - started) * 1000,
        }
        return Answer(
            text=answer.text,
            answered=answer.answered,
            query=question,
            facts=answer.facts,
            citations=answer.citations,
            passages=tuple(passages),
            timings=timings,
        )

    @staticmethod
    def _compose(question: str, passages: Sequence[Passage]) -> Answer:
        """Baseline: quote the best passage."""
        if not passages:
            return Answer(text=messages.NOT_IN_SOURCES, answered=False)
        best = passages[0]
        facts = tuple(Fact("phone", p.raw, p.e164, best.id) for p in find_phones(best.text)) + tuple(
            Fact("email", e, e, best.id) for e in find_emails(best.text)
        )
        citation = Citation(1, best.id, best.article, best.title, best.section, best.text)
        text = f"{best.text} [1]\n\n{messages.SOURCES}\n[1] {best.heading}"
        return Answer(text=text, answered=True, facts=facts, citations=(citation,))
