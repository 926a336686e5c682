"""Errors a caller must handle, each with a message a person can act on (what went wrong, what to do)."""

from __future__ import annotations


class HotlineError(Exception):
    """Base class: the message is shown to the user as one line, without a traceback."""


class IndexNotBuilt(HotlineError):
    """There is no committed index yet."""


class StoreUnavailable(HotlineError):
    """Chroma cannot be reached or opened (server down, data dir unreadable)."""


class ModelUnavailable(HotlineError):
    """The configured embedding model cannot be built or loaded."""


def first_line(exc: BaseException, limit: int = 200) -> str:
    """The first line of an exception's message, at most ``limit`` characters: libraries (chromadb,
    torch, httpx) raise messages of many lines, and a person needs one."""
    return (str(exc).strip().splitlines() or [""])[0][:limit]
