"""hotline: answers questions about a store's support contacts from a corpus of articles, with sources.

The library everything else imports (settings, embeddings, store, retrieval, answers); no UI code lives
here. ``Hotline(settings).ask(question, history)`` is the entry point the page, the command line and the
evaluation share.
"""

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
