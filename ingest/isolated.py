"""An ingest in a child process, with a time limit: how the page runs one.

A failed write can leave chromadb's in-process state wedged: after an ingest failed on a full disk
("Error in compaction …"), the next one from the same process blocked for good inside chromadb's
``upsert`` holding the GIL, and the page with it (chroma-core/chroma#5366 and kin are open). The page
therefore never writes to the index itself: each ingest runs in a fresh process (``spawn``: no state of
the page's is inherited), reports its progress and its result over a queue, and is killed past
``HOTLINE_INGEST_TIMEOUT`` seconds. Killing an ingest anywhere leaves the previous snapshot serving (see
:mod:`ingest.pipeline`), so the page answers throughout and the next ingest starts clean. The price is
the child's start (imports, and the model when something needs embedding): seconds, for a maintainer's
click.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
from typing import Any

from hotline.config.errors import HotlineError, first_line
from hotline.config.settings import Settings
from ingest.pipeline import Progress, run_ingest
from ingest.report import IngestReport

POLL_SECONDS = 0.2


class IngestFailed(HotlineError):
    """The ingest process failed, was killed, or ran past its time; the index is as it was. ``kind``
    (``ended``, ``timeout``, ``full``, ``failed``) and ``details`` are for the page's Russian wording;
    the message, in English, for the log and the command line."""

    def __init__(self, message: str, kind: str = "failed", **details: object) -> None:
        super().__init__(message)
        self.kind, self.details = kind, {"error": message, **details}


def run_ingest_isolated(settings: Settings, *, progress: Progress = False, full: bool = False) -> IngestReport:
    """``run_ingest`` in a child process; its errors come back as the same HotlineError class where
    possible, anything else as :class:`IngestFailed`."""
    context = multiprocessing.get_context("spawn")
    channel: Any = context.Queue()
    child = context.Process(target=_ingest, args=(settings, full, channel), name="hotline-ingest", daemon=True)
    child.start()
    deadline = time.monotonic() + settings.ingest_timeout
    try:
        while True:
            try:
                kind, value = channel.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if not child.is_alive():
                    raise IngestFailed(
                        f"the ingest process ended without a report (exit code {child.exitcode}); "
                        "the index is as it was",
                        "ended",
                        code=child.exitcode,
                    ) from None
                if time.monotonic() > deadline:
                    raise IngestFailed(
                        f"the ingest ran past {settings.ingest_timeout:g} s (HOTLINE_INGEST_TIMEOUT) and was "
                        "stopped; the index is as it was",
                        "timeout",
                        seconds=f"{settings.ingest_timeout:g}",
                    ) from None
                continue
            if kind == "progress":
                if callable(progress):
                    progress(*value)
            elif kind == "done":
                return value
            else:
                raise _error(*value)
    finally:
        if child.is_alive():
            child.kill()
        child.join(timeout=10)
        channel.close()


def _ingest(settings: Settings, full: bool, channel: Any) -> None:
    """The child: one ingest, its progress and its outcome sent to the parent."""
    try:
        report = run_ingest(settings, full=full, progress=lambda done, total: channel.put(("progress", (done, total))))
        channel.put(("done", report))
    except HotlineError as exc:
        channel.put(("error", (type(exc).__module__, type(exc).__name__, str(exc), str(exc))))
    except BaseException as exc:  # reported, never a traceback on the page
        first = first_line(exc)
        message = f"the ingest failed ({type(exc).__name__}: {first}); the index is as it was"
        full = any(sign in first.lower() for sign in ("disk i/o", "no space", "disk full", "read-only"))
        if full:
            message += ". Check that the data dir has free space and is writable, then ingest again"
        channel.put(("error", ("", "full" if full else "failed", f"{type(exc).__name__}: {first}", message)))
    channel.close()
    channel.join_thread()


def _error(module: str, name: str, error: str, message: str) -> HotlineError:
    """The child's error as its own class (IngestBusy, NothingToIngest, StoreUnavailable …) when it is a
    HotlineError that takes a message, else IngestFailed (``name`` then its kind, ``error`` its cause)."""
    import importlib

    try:
        kind = getattr(importlib.import_module(module), name) if module else None
        if isinstance(kind, type) and issubclass(kind, HotlineError) and kind is not IngestFailed:
            return kind(message)
    except (ImportError, AttributeError, TypeError):
        pass
    return IngestFailed(message, name if not module else "failed", error=error)
