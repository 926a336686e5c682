"""Ingest: turn the corpus folder into the committed index (``python -m ingest``)."""

from ingest.pipeline import IngestBusy, IngestReport, NothingToIngest, ensure_index, run_ingest

__all__ = ["IngestBusy", "IngestReport", "NothingToIngest", "ensure_index", "run_ingest"]
