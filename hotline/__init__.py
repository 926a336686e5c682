"""hotline: answers questions about a store's support contacts from a corpus of articles, with sources.

The library everything else imports (settings, embeddings, store, retrieval); no UI code lives here.
"""

from hotline.errors import HotlineError, IndexNotBuilt, ModelMismatch, ModelUnavailable, StoreUnavailable
from hotline.passages import Passage
from hotline.retrieval import Retriever
from hotline.settings import Settings
from hotline.store import IndexStore, Snapshot

__all__ = [
    "HotlineError",
    "IndexNotBuilt",
    "IndexStore",
    "ModelMismatch",
    "ModelUnavailable",
    "Passage",
    "Retriever",
    "Settings",
    "Snapshot",
    "StoreUnavailable",
]
