"""hotline: answers questions about a store's support contacts from a corpus of articles, with sources.

The library everything else imports (settings, embeddings, store, retrieval, answers); no UI code lives
here. ``Hotline(settings).ask(question, history)`` is the entry point the page, the command line and the
evaluation share.

The names below are loaded when first used (PEP 562), so that ``python -m hotline`` decides how its
imports run (see :mod:`hotline.__main__`) before they do.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hotline.answer import Answer, Citation, Fact, Turn
    from hotline.config.errors import HotlineError, IndexNotBuilt, ModelUnavailable, StoreUnavailable
    from hotline.config.settings import Settings
    from hotline.index.passages import Passage
    from hotline.index.store import IndexStore, Snapshot
    from hotline.pipeline import Hotline
    from hotline.search.retrieval import Retriever

__all__ = [
    "Answer",
    "Citation",
    "Fact",
    "Hotline",
    "HotlineError",
    "IndexNotBuilt",
    "IndexStore",
    "ModelUnavailable",
    "Passage",
    "Retriever",
    "Settings",
    "Snapshot",
    "StoreUnavailable",
    "Turn",
]
_HOME = {
    "Answer": "hotline.answer",
    "Citation": "hotline.answer",
    "Fact": "hotline.answer",
    "Turn": "hotline.answer",
    "HotlineError": "hotline.config.errors",
    "IndexNotBuilt": "hotline.config.errors",
    "ModelUnavailable": "hotline.config.errors",
    "StoreUnavailable": "hotline.config.errors",
    "Settings": "hotline.config.settings",
    "Passage": "hotline.index.passages",
    "IndexStore": "hotline.index.store",
    "Snapshot": "hotline.index.store",
    "Hotline": "hotline.pipeline",
    "Retriever": "hotline.search.retrieval",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'hotline' has no attribute {name!r}")
    return getattr(import_module(_HOME[name]), name)
