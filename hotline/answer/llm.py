"""The answerer that has a language model write: it phrases, the sources decide.

The extractive answer is made first (milliseconds). When it declines, the model is not asked (the sources
do not hold the answer, and a model would only be tempted to invent one). Otherwise the model is shown the
passages the extractive answer cited first, then the next best, and writes; its text is streamed sentence
by sentence, each draft grounded in the passages it was shown (the pipeline guards them). If the model
fails, stalls or echoes its prompt, the extractive answer goes out with a note saying so.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from hotline.answer.client import LLMFailed, stream_text
from hotline.answer.extractive import ExtractiveAnswerer
from hotline.answer.types import Answer, Citation, Draft, Fact, source_list
from hotline.config.settings import Settings
from hotline.index.passages import Passage
from hotline.index.view import SnapshotView
from hotline.language.facts import STATED_KINDS, extract
from hotline.search.query import Query
from hotline.wording import load_text, wording

if TYPE_CHECKING:  # LangChain's model classes cost ~0.3 s to import; a question without a model never needs them
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

ANSWER_PROMPT = "answer.md"
CITATION = re.compile(r"\[(\d{1,2})\]")
ROLE_WORD = re.compile(r"^\s*(?:user|model|assistant)\s*$|\n\s*(?:user|model|assistant)\s*$", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?…]\s|\n")


class LLMAnswerer:
    """The :class:`~hotline.answer.Answerer` that has ``model`` write from the passages ``quotes`` chose."""

    def __init__(self, model: BaseChatModel, settings: Settings, quotes: ExtractiveAnswerer) -> None:
        self.model = model
        self.settings = settings
        self.quotes = quotes
        self.name = f"llm:{settings.llm_model or type(model).__name__}"

    def answer(self, query: Query, passages: Sequence[Passage], view: SnapshotView) -> Iterator[Draft | Answer]:
        found = self.quotes.compose(query, passages, view)
        if not found.answered:
            yield found
            return
        try:
            yield from self._written(query, passages, found)
        except LLMFailed as exc:
            note = wording(query.language)["llm_failed"].format(error=exc)
            yield replace(found, body=f"_{note}_\n\n{found.body}")

    def _written(self, query: Query, passages: Sequence[Passage], found: Answer) -> Iterator[Draft | Answer]:
        """The model's answer, streamed up to each finished sentence."""
        first = [c.passage_id for c in found.citations]
        shown = sorted(passages, key=lambda p: (p.id not in first, first.index(p.id) if p.id in first else 0))
        shown = shown[: max(self.settings.llm_passages, len(first))]
        started = time.perf_counter()
        text = ""
        emitted = 0
        checked_echo = False
        messages = answer_messages(query.text, shown)
        for token in stream_text(self.model, messages, self.settings.llm_timeout, self.settings.llm_deadline):
            text += token
            if not checked_echo and len(text.strip()) >= 40:
                checked_echo = True
                if echoes_prompt(text, shown):
                    raise LLMFailed("the model repeated its prompt instead of answering")
            ends = [m.end() for m in SENTENCE_END.finditer(text)]
            if ends and ends[-1] > emitted:
                emitted = ends[-1]
                yield Draft(text[:emitted], tuple(shown))
        if not checked_echo and echoes_prompt(text, shown):
            raise LLMFailed("the model repeated its prompt instead of answering")
        text = ROLE_WORD.sub("", text).strip()  # what is left of a chat template's turn markers
        if not any(ch.isalnum() for ch in text):
            raise LLMFailed("an empty reply")
        written = time.perf_counter()
        cited = [shown[n - 1] for n in cited_numbers(text, len(shown))]
        citations = tuple(
            Citation(shown.index(p) + 1, p.id, p.article, p.title, p.section, p.text.strip(), p.source, p.updated)
            for p in cited
        )
        yield Answer(
            body=text,
            answered=True,
            sources=source_list(citations, wording(query.language)["sources"]),
            facts=_facts(text, cited),
            citations=citations,
            timings={"llm_ms": (written - started) * 1000},
        )


def answer_messages(question: str, passages: Sequence[Passage]) -> list[BaseMessage]:
    """One user message holding the rules, the passages and the question. Not a system message: some
    chat templates (Gemma's, in llama.cpp) drop the system role, and the model would see no passages."""
    template = load_text(ANSWER_PROMPT, frozenset({"passages", "question"}))
    numbered = "\n\n".join(f"[{n}] {p.heading}\n{p.text.strip()}" for n, p in enumerate(passages, 1))
    from langchain_core.messages import HumanMessage

    return [HumanMessage(template.format(passages=numbered, question=question))]


def echoes_prompt(text: str, passages: Sequence[Passage]) -> bool:
    """Whether ``text`` (the start of a reply) repeats the prompt instead of answering: it opens with the
    prompt's own framing or a passage's "[n] heading" line. Small models do this; such a reply is not an
    answer, and the extractive one is given instead. (Quoting a passage's sentence is not an echo.)"""
    head = _flat(re.sub(r"^\s*(?:user|model|assistant)\b", "", text, flags=re.IGNORECASE))[:40]
    if len(head) < 20:
        return False
    template = load_text(ANSWER_PROMPT, frozenset({"passages", "question"}))
    frame = _flat(template.replace("{passages}", " ").replace("{question}", " "))
    opening = _flat(template.split("{", 1)[0])  # what the prompt says before its first variable
    headers = [_flat(f"[{n}] {p.heading}") for n, p in enumerate(passages, 1)]
    return (
        head in frame
        or (bool(opening) and head.startswith(opening[:20]))
        or any(h.startswith(head) or head.startswith(h[:40]) for h in headers)
    )


def _flat(text: str) -> str:
    return " ".join(text.split())


def cited_numbers(text: str, count: int) -> list[int]:
    """The passage numbers ``text`` cites, in order of first mention, within 1..count."""
    return list(dict.fromkeys(int(m.group(1)) for m in CITATION.finditer(text) if 1 <= int(m.group(1)) <= count))


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
