"""The one entry point the page, the command line and the evaluation share: a question in, an Answer out.

    question (+ history) -> condense -> analyse -> hybrid retrieve -> extractive answer -> guard
                                                                    \\-> (LLM on) model writes -> guard

Each stage is its own module; this one strings them together, streams, and times them.

With an LLM configured, the extractive answer is still made first (it takes milliseconds): when it
declines, the model is not asked (the sources do not hold the answer, and a model would only be tempted
to invent one); otherwise the model is shown the passages the extractive answer cited first, then the
next best, and writes the answer. If the model fails or stalls, the extractive answer goes out with a note.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from langchain_core.language_models import BaseChatModel

from hotline import extractive
from hotline.answer import Answer, Citation, Fact, Turn
from hotline.conversation import condense
from hotline.facts import STATED_KINDS, extract
from hotline.guard import guard
from hotline.llm import LLMFailed, answer_messages, chat_model, cited_numbers, echoes_prompt, stream_text
from hotline.llm import condense as llm_condense
from hotline.passages import Passage
from hotline.query import Query
from hotline.retrieval import Retriever
from hotline.settings import Settings
from hotline.view import SnapshotView

MAX_QUESTION_CHARS = 2000
ROLE_WORD = re.compile(r"^\s*(?:user|model|assistant)\s*$|\n\s*(?:user|model|assistant)\s*$", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?…]\s|\n")


@dataclass(frozen=True)
class Partial:
    """The answer so far, while it streams (already guarded against the passages the model was shown)."""

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

    @property
    def answerer(self) -> str:
        return f"llm:{self.settings.llm_model or type(self.llm).__name__}" if self.llm is not None else "extractive"

    def close(self) -> None:
        self.retriever.close()

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        """Answer ``question``; ``history`` holds the earlier turns of the conversation, oldest first."""
        final = None
        for event in self.stream(question, history):
            if isinstance(event, Answer):
                final = event
        assert final is not None  # stream always ends with the Answer
        return final

    def stream(self, question: str, history: Sequence[Turn] = ()) -> Iterator[Partial | Answer]:
        """The answer as it is composed (``Partial`` texts, each the whole text so far), then the Answer."""
        started = time.perf_counter()
        question = " ".join(question.split())[:MAX_QUESTION_CHARS]
        if not any(ch.isalnum() for ch in question):
            yield Answer(text=extractive.texts("ru")["empty"], answered=False)
            return
        view = self.retriever.view()
        standalone = self._standalone(question, history, view)
        query = self.retriever.analyze(standalone, view)
        passages = self.retriever.retrieve(query, mode=self.settings.retrieval, view=view)
        retrieved = time.perf_counter()
        found = extractive.answer(
            query,
            passages,
            view.lexical,
            self.retriever.encoder.cosines,
            view.organizations.names,
            self.settings.similarity_floor,
        )
        say = extractive.texts(query.language)
        final: Answer | None = None
        if self.llm is not None and found.answered:
            try:
                for event in self._written(query, passages, found):
                    if isinstance(event, Answer):
                        final = event
                    else:
                        yield event
            except LLMFailed as exc:
                note = say["llm_failed"].format(error=exc)
                found = replace(found, text=f"_{note}_\n\n{found.text}")
        if final is None:
            final = self._checked(found, passages, say)
            for paragraph in _paragraphs(final.text):
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

    def _standalone(self, question: str, history: Sequence[Turn], view: SnapshotView) -> str:
        """The question made standalone: by the model when there is one (the rules if it fails)."""
        ruled = condense(question, history, lambda text: self.retriever.analyze(text, view))
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

    def _checked(self, reply: Answer, passages: Sequence[Passage], say: dict[str, str]) -> Answer:
        cited_ids = {c.passage_id for c in reply.citations}
        text, removed = _guarded(reply.text, [p for p in passages if p.id in cited_ids], say)
        return replace(reply, text=text, removed=removed)

    def _written(self, query: Query, passages: Sequence[Passage], found: Answer) -> Iterator[Partial | Answer]:
        """The model's answer, streamed sentence by sentence, every piece guarded."""
        say = extractive.texts(query.language)
        first = [c.passage_id for c in found.citations]
        shown = sorted(passages, key=lambda p: (p.id not in first, first.index(p.id) if p.id in first else 0))
        shown = shown[: max(self.settings.llm_passages, len(first))]
        started = time.perf_counter()
        text = ""
        emitted = 0
        messages = answer_messages(query.text, shown)
        checked_echo = False
        for token in stream_text(self.llm, messages, self.settings.llm_timeout, self.settings.llm_deadline):  # type: ignore[arg-type]
            text += token
            if not checked_echo and len(text.strip()) >= 40:
                checked_echo = True
                if echoes_prompt(text, shown):
                    raise LLMFailed("the model repeated its prompt instead of answering")
            # Up to the last finished sentence, checked against every passage shown: nothing on screen,
            # even for a moment, is absent from the sources. The final check below is stricter.
            ends = [m.end() for m in SENTENCE_END.finditer(text)]
            if ends and ends[-1] > emitted:
                emitted = ends[-1]
                yield Partial(guard(text[:emitted], shown, say["removed"]).text)
        if not checked_echo and echoes_prompt(text, shown):
            raise LLMFailed("the model repeated its prompt instead of answering")
        text = ROLE_WORD.sub("", text).strip()  # what is left of a chat template's turn markers
        if not any(ch.isalnum() for ch in text):
            raise LLMFailed("an empty reply")
        written = time.perf_counter()
        cited = [shown[n - 1] for n in cited_numbers(text, len(shown))]
        body, removed = _guarded(text, cited, say)
        final = body
        if cited:
            final += "\n\n" + say["sources"] + "\n" + "\n".join(f"[{shown.index(p) + 1}] {p.heading}" for p in cited)
        yield Answer(
            text=final,
            answered=True,
            facts=_facts(body, cited),
            citations=tuple(
                Citation(shown.index(p) + 1, p.id, p.article, p.title, p.section, p.text.strip()) for p in cited
            ),
            removed=removed,
            timings={"llm_ms": (written - started) * 1000},
        )


def _guarded(text: str, cited: Sequence[Passage], say: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """(``text`` through the guard, with the note that something was removed if it was; what was removed)."""
    checked = guard(text, cited, say["removed"])
    return checked.text + ("\n\n" + say["removed_note"] if checked.removed else ""), checked.removed


def _paragraphs(text: str) -> Iterator[str]:
    """Prefixes of ``text`` ending at each paragraph: how an answer composed at once is streamed."""
    ends = [m.start() for m in re.finditer(r"\n\n", text)] + [len(text)]
    for end in ends:
        yield text[:end]


def _facts(text: str, cited: Sequence[Passage]) -> tuple[Fact, ...]:
    """The facts of the written answer that a cited passage holds, with that passage."""
    facts = []
    for mention in extract(text):
        if mention.kind not in STATED_KINDS:
            continue
        source = next((p for p in cited if any(f.normalized == mention.normalized for f in extract(p.text))), None)
        if source is not None:
            facts.append(Fact(mention.kind, mention.value, mention.normalized, source.id))
    return tuple(facts)


def _shares_a_word(a: str, b: str) -> bool:
    words = {w.casefold() for w in re.findall(r"\w{3,}", b)}
    return bool(words & {w.casefold() for w in re.findall(r"\w{3,}", a)}) or not words
