"""The optional language model: an OpenAI-compatible endpoint or Ollama, through LangChain, and the two
things it is asked (to write an answer: :mod:`hotline.answer.llm`; to make a follow-up standalone).

Off unless ``HOTLINE_LLM_BASE_URL`` and ``HOTLINE_LLM_MODEL`` are set; then ``langchain-openai`` (or
``langchain-ollama``) must be installed: ``pip install -e '.[llm]'``.

Every call runs in a worker thread and is read through a queue with a timeout, so a model that hangs
(an endpoint that accepts the connection and never answers) costs ``HOTLINE_LLM_TIMEOUT`` seconds, not
the user's patience; any failure becomes :class:`LLMFailed`, which the caller turns into the extractive
answer with a note.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from hotline.answer.types import Turn
from hotline.config.errors import HotlineError, first_line
from hotline.config.settings import Settings
from hotline.wording import load_text

if TYPE_CHECKING:  # LangChain's model classes cost ~0.3 s to import; a question without a model never needs them
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

CONDENSE_PROMPT = "condense.md"
STOP = ["\nQuestion:", "\nPassages:", "\nCustomer:", "<end_of_turn>"]


class LLMUnavailable(HotlineError):
    """The LLM is configured but its client library is not installed."""


class LLMFailed(Exception):
    """The model did not answer (down, slow, an error, an empty reply); the message says which, briefly."""


def chat_model(settings: Settings) -> BaseChatModel | None:
    """The configured chat model, or None when no LLM is configured."""
    if not settings.llm_enabled:
        return None
    try:
        if settings.llm_provider == "ollama":
            from langchain_ollama import ChatOllama

            return ChatOllama(
                base_url=settings.llm_base_url,
                model=str(settings.llm_model),
                temperature=0,
                num_predict=settings.llm_max_tokens,
                client_kwargs={"timeout": settings.llm_timeout},
            )
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            base_url=settings.llm_base_url,
            model=str(settings.llm_model),
            api_key=settings.llm_api_key or "not-needed",  # type: ignore[arg-type]
            temperature=0,
            max_tokens=settings.llm_max_tokens,  # type: ignore[call-arg]
            # langchain-openai sends the limit as max_completion_tokens, which llama.cpp's server ignores
            # (its answers then run to the context's end): say it the older way too.
            extra_body={"max_tokens": settings.llm_max_tokens},
            timeout=settings.llm_timeout,
            max_retries=0,
        )
    except ImportError as exc:
        package = "langchain-ollama" if settings.llm_provider == "ollama" else "langchain-openai"
        raise LLMUnavailable(f"HOTLINE_LLM_* is set but {package} is not installed: pip install -e '.[llm]'") from exc


def condense_messages(question: str, history: Sequence[Turn]) -> list[BaseMessage]:
    template = load_text(CONDENSE_PROMPT, frozenset({"history", "question"}))
    lines = []
    for turn in history[-3:]:
        lines += [
            f"Customer: {turn.question}",
            f"Assistant: {turn.answer.strip().splitlines()[0] if turn.answer else ''}",
        ]
    from langchain_core.messages import HumanMessage

    return [HumanMessage(template.format(history="\n".join(lines), question=question))]


def stream_text(
    model: BaseChatModel, messages: list[BaseMessage], timeout: float, deadline: float | None = None
) -> Iterator[str]:
    """The model's reply as it comes, token by token. LLMFailed when it errs, stays silent for ``timeout``
    seconds, or is still writing after ``deadline`` seconds (a small model may loop until its context
    is full). Generation stops where a model starts to write the next turn of the prompt."""
    channel: queue.Queue[tuple[str, Any]] = queue.Queue()
    started = time.monotonic()

    def pump() -> None:
        try:
            for chunk in model.stream(messages, stop=STOP):
                channel.put(("text", _text(chunk.content)))
            channel.put(("done", None))
        except BaseException as exc:  # handed to the reader, which decides
            channel.put(("error", exc))

    threading.Thread(target=pump, name="hotline-llm", daemon=True).start()
    wrote = False
    while True:
        try:
            kind, value = channel.get(timeout=timeout)
        except queue.Empty:
            raise LLMFailed(f"no reply within {timeout:g} s") from None
        if kind == "error":
            raise LLMFailed(_describe(value)) from value
        if kind == "done":
            if not wrote:
                raise LLMFailed("an empty reply")
            return
        if value:
            wrote = True
            yield value
        if deadline is not None and time.monotonic() - started > deadline:
            raise LLMFailed(f"still writing after {deadline:g} s")


def condense(model: BaseChatModel, question: str, history: Sequence[Turn], timeout: float) -> str:
    """The follow-up as a standalone question, in the model's words (its first line, unquoted)."""
    reply = "".join(stream_text(model, condense_messages(question, history), timeout, deadline=timeout)).strip()
    first = next((line for line in reply.splitlines() if line.strip()), "")
    return first.strip().strip("\"'«»").removeprefix("Standalone question:").strip()


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part if isinstance(part, str) else str(part.get("text", "")) for part in content)
    return ""


def _describe(exc: BaseException) -> str:
    message = first_line(exc, 160)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
