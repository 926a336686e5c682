"""The one entry point the page, the command line and the evaluation share: a question in, an Answer out.

    question (+ history) -> condense -> analyse -> hybrid retrieve -> answerer -> guard

Each stage is its own module; this one strings them together, streams, and times them. The answerer is
the extractive one, or with an LLM configured the one that has the model write (:mod:`hotline.answer`);
whichever it is, everything it shows passes the guard here, once: each draft against the passages it
rests on, the answer against the passages it cites.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

from hotline.answer import Answer, Answerer, Draft, Turn
from hotline.answer.client import LLMFailed, chat_model
from hotline.answer.client import condense as llm_condense
from hotline.answer.extractive import ExtractiveAnswerer
from hotline.answer.guard import guard
from hotline.answer.llm import LLMAnswerer
from hotline.answer.owners import owned_passages
from hotline.config.errors import HotlineError
from hotline.config.settings import Settings
from hotline.index.passages import Passage
from hotline.index.view import SnapshotView
from hotline.language.excerpt import read_part
from hotline.language.names import one_script
from hotline.reader import Reading
from hotline.search.conversation import FOLLOW_UP_START, condense
from hotline.search.reading import LineAudiences, with_reading
from hotline.search.retrieval import IndexStats, Retriever, Searcher
from hotline.verifier.check import Verification
from hotline.wording import wording

if TYPE_CHECKING:  # LangChain's model classes cost ~0.3 s to import; a question without a model never needs them
    from langchain_core.language_models import BaseChatModel

MAX_QUESTION_CHARS = 2000
# A follow-up leans on the last few questions, never on the whole conversation: whatever a client sends or
# a session has kept, making a question standalone reads at most this many turns, each cut to the
# question's own limit (an earlier 1 MB question had made every follow-up after it take 4 s, and a
# 10 000-turn history sent by a client 89 s).
FOLLOW_UP_TURNS = 4
WARM_UP = "Какой телефон поддержки?"
NEW_TOPIC = 0.1  # the reader's probability of "continues" under which a question stands alone
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Partial:
    """The answer so far, while it streams (already guarded)."""

    text: str


class Hotline:
    """Answers questions from the live index. Holds the retriever (and through it the index view and the
    model), so a process keeps one and asks it many times."""

    def __init__(
        self, settings: Settings, retriever: Retriever | None = None, llm: BaseChatModel | None = None
    ) -> None:
        self.settings = settings
        self.retriever = retriever or Retriever(settings)
        self.llm = llm if llm is not None else chat_model(settings)
        encoder = self.retriever.encoder
        verify = Verification(encoder, settings) if settings.verify_answers else None
        self.quotes = ExtractiveAnswerer(
            encoder.cosines, settings.similarity_floor, LineAudiences(encoder, settings), verify
        )
        self.answerer: Answerer = self.quotes if self.llm is None else LLMAnswerer(self.llm, settings, self.quotes)
        self._warmed = threading.Event()
        self._warmed.set()  # nothing warming: questions go straight on

    def close(self) -> None:
        self.retriever.close()

    def index(self) -> SnapshotView:
        """The live index as answering reads it (its texts, articles, and whose each chunk is): what the
        maintainer's page lists and the evaluation checks phones against. For reading only."""
        return self.retriever.view()

    def stats(self) -> IndexStats:
        """The live index in figures (articles, chunks, when it was committed)."""
        return self.retriever.stats()

    def forget_questions(self) -> None:
        """Drop the cached question vectors: a benchmark's way to time the encoder on every question."""
        self.retriever.encoder.forget_questions()

    def warm_in_background(self, done: Callable[[float], None] | None = None) -> None:
        """:meth:`warm` in a thread of its own, so that a server serves while the model and the index load;
        a question asked meanwhile waits for it rather than loading the same things beside it. ``done`` is
        given the seconds it took."""
        self._warmed.clear()

        def run() -> None:
            try:
                seconds = self.warm()
            finally:
                self._warmed.set()
            if done is not None:
                done(seconds)

        threading.Thread(target=run, name="hotline-warm", daemon=True).start()

    def warm(self) -> float:
        """Load what the first question would (the index view and its BM25, the encoder, the analyser's
        dictionaries) by answering one, so that a server's first user does not wait for it. Returns the
        seconds it took; an index that cannot be read now is left for the questions to report."""
        started = time.perf_counter()
        try:  # the extractive path only: a language model, if any, is not asked
            search = self.retriever.searcher()
            query = with_reading(search.analyze(WARM_UP), search.read(WARM_UP))
            self.quotes.compose(query, search.retrieve(query), search.view)
        except HotlineError as exc:
            log.warning("warm-up skipped: %s", exc)
        return time.perf_counter() - started

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        """Answer ``question``; ``history`` holds the earlier turns of the conversation, oldest first."""
        final = None
        for event in self.stream(question, history):
            if isinstance(event, Answer):
                final = event
        assert final is not None  # stream always ends with the Answer
        return final

    def stream(self, question: str, history: Sequence[Turn] = ()) -> Iterator[Partial | Answer]:
        """The answer as it is composed (``Partial`` texts, each the whole body so far: the list of sources
        comes with the Answer), then the Answer."""
        self._warmed.wait()  # a background warm-up loads what this question needs: once, not twice at once
        started = time.perf_counter()
        question = one_script(read_part(" ".join(_printable(question).split()), MAX_QUESTION_CHARS))
        if not any(ch.isalnum() for ch in question):
            yield Answer(body=wording("ru")["empty"], answered=False)
            return
        search = self.retriever.searcher()  # one snapshot for the whole question
        history = recent(history)
        # The reader reads the question as typed; a follow-up beside the question before it.
        reading = search.read(question, history[-1].question) if history else None
        standalone = self._standalone(question, history, search, reading)
        query = search.analyze(standalone)
        # What is asked is read in the standalone question: "а в Москве?" asks what the one before asked. A
        # follow-up left standing alone was read already (the kinds it asks do not depend on the one before).
        if reading is None or standalone != question:
            reading = search.read(standalone, also=[query.unnamed_text])
        query = with_reading(query, reading)
        passages = search.retrieve(query, mode=self.settings.retrieval)
        retrieved = time.perf_counter()
        say = wording(query.language)
        final: Answer | None = None
        shown = ""
        # An answer about X may cite only X's lines: another's number is removed like an invented one.
        owned = partial(owned_passages, asked=query.organizations, directory=search.view.organizations.directory)
        for event in self.answerer.answer(query, passages, search.view):
            if isinstance(event, Draft):
                shown = guard(event.text, owned(event.grounds), say["removed"]).text
                yield Partial(shown)
            else:
                final = _checked(event, owned(passages), say)
        assert final is not None  # an answerer always ends with the Answer
        if not shown or not final.body.startswith(shown):  # composed at once, or replaced what was shown
            for paragraph in _paragraphs(final.body):
                yield Partial(paragraph)
        done = time.perf_counter()
        yield replace(
            final,
            query=standalone,
            passages=tuple(passages),
            timings={
                **final.timings,
                "retrieve_ms": (retrieved - started) * 1000,
                "answer_ms": (done - retrieved) * 1000,
                "total_ms": (done - started) * 1000,
            },
        )

    def _standalone(self, question: str, history: Sequence[Turn], search: Searcher, reading: Reading | None) -> str:
        """The question made standalone: by the model when there is one (the rules if it fails). A question
        the reader is sure starts a new topic stands alone; short ones that open like a follow-up ("а в
        подмосковье куда звонить?") it reads less surely than the rules do (held out, its precision on
        "continues" is 0.87), so below that it leaves them to the rules."""
        # One that opens like a follow-up ("а у эльдорадо?") carries the ask over to its new subject: the
        # rules glue it (the reader was taught that a new name is a new topic).
        new = reading is not None and reading.probabilities.get("continues", 1.0) < NEW_TOPIC
        if new and not FOLLOW_UP_START.match(question):
            return question
        ruled = condense(question, history, search.analyze)
        if self.llm is None or not history:
            return ruled
        try:
            written = llm_condense(self.llm, question, history, self.settings.llm_timeout)
        except LLMFailed:
            return ruled
        # A small model may answer instead of rewriting, or drop the question: keep the rules' version then.
        if not written or len(written) > 3 * len(ruled) + 40 or not _shares_a_word(written, question):
            return ruled
        return written


def recent(history: Sequence[Turn]) -> list[Turn]:
    """The turns a follow-up may lean on: the last :data:`FOLLOW_UP_TURNS`, each question and answer cut
    to :data:`MAX_QUESTION_CHARS` (the LLM's condensing prompt shows an answer's first line alone)."""
    return [Turn(t.question[:MAX_QUESTION_CHARS], t.answer[:MAX_QUESTION_CHARS]) for t in history[-FOLLOW_UP_TURNS:]]


def _checked(reply: Answer, passages: Sequence[Passage], say: dict[str, str]) -> Answer:
    """``reply`` through the guard, against the passages it cites (with a note if anything was removed)."""
    cited_ids = {c.passage_id for c in reply.citations}
    checked = guard(reply.body, [p for p in passages if p.id in cited_ids], say["removed"])
    body = checked.text + ("\n\n" + say["removed_note"] if checked.removed else "")
    return replace(reply, body=body, removed=checked.removed)


def _paragraphs(text: str) -> Iterator[str]:
    """Prefixes of ``text`` ending at each paragraph: how an answer composed at once is streamed."""
    ends = [m.start() for m in re.finditer(r"\n\n", text)] + [len(text)]
    for end in ends:
        yield text[:end]


def _printable(text: str) -> str:
    """``text`` without control characters (a bell, an escape: each becomes a space) and format ones (a
    right-to-left override, a zero-width space: dropped, as they sit inside words): they mean nothing in
    a question, and a decline must not echo them back."""
    kept = (ch for ch in text if unicodedata.category(ch) != "Cf")
    return "".join(ch if ch.isspace() or unicodedata.category(ch)[0] != "C" else " " for ch in kept)


def _shares_a_word(a: str, b: str) -> bool:
    words = {w.casefold() for w in re.findall(r"\w{3,}", b)}
    return bool(words & {w.casefold() for w in re.findall(r"\w{3,}", a)}) or not words
