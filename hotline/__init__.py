"""hotline: answers questions about a store's support contacts from a corpus of articles, with sources.

The library everything else imports (settings, embeddings, store, retrieval, answers); no UI code lives
here. ``Hotline(settings).ask(question, history)`` is the entry point the page, the command line and the
evaluation share.
"""

from hotline.answer import Answer, Citation, Fact, Turn
from hotline.bot import Hotline
from hotline.errors import HotlineError, IndexNotBuilt, ModelUnavailable, StoreUnavailable
from hotline.passages import Passage
from hotline.retrieval import Retriever
from hotline.settings import Settings
from hotline.store import IndexStore, Snapshot

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
