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
