"""Ingest: turn the corpus folder into the committed index (``python -m ingest``).

The names below are loaded when first used (PEP 562): the pipeline imports LangChain's indexing (~0.6 s),
which the page's chat and a command-line question do not need when the index is there already.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ingest.pipeline import NothingToIngest, ensure_index, run_ingest
    from ingest.records import IngestBusy
    from ingest.report import IngestReport

__all__ = ["IngestBusy", "IngestReport", "NothingToIngest", "ensure_index", "run_ingest"]
_HOME = {
    "NothingToIngest": "ingest.pipeline",
    "ensure_index": "ingest.pipeline",
    "run_ingest": "ingest.pipeline",
    "IngestBusy": "ingest.records",
    "IngestReport": "ingest.report",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'ingest' has no attribute {name!r}")
    return getattr(import_module(_HOME[name]), name)
