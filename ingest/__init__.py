"""Ingest: turn the corpus folder into the committed index (``python -m ingest``)."""

from ingest.pipeline import NothingToIngest, ensure_index, run_ingest
from ingest.records import IngestBusy
from ingest.report import IngestReport

__all__ = ["IngestBusy", "IngestReport", "NothingToIngest", "ensure_index", "run_ingest"]
