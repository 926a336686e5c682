"""Test helper, run as a child process: an ingest that SIGKILLs itself at a chosen point.

    python tests/kill_ingest.py mid-embedding|before-commit|after-commit|before-history [--full]

The points are the windows of an ingest: while new chunks are being written, after they are all
written but before the commit, after the commit but before the old chunks are deleted, and after the
cleanup but before the fact directory and its change history are written.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

import ingest.pipeline as pipeline
from hotline.config.settings import Settings
from hotline.index.store import IndexStore


def die(*_: Any, **__: Any) -> Any:
    os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    point = sys.argv[1]
    pipeline.BATCH_SIZE = 8  # several batches even for a small change
    if point == "mid-embedding":
        embed = pipeline.CountingEmbeddings.embed_documents

        def embed_then_die(self: pipeline.CountingEmbeddings, texts: list[str]) -> list[list[float]]:
            if self.count >= 16:  # at least two batches are written and recorded
                print(f"embedded {self.count}", flush=True)
                die()
            return embed(self, texts)

        pipeline.CountingEmbeddings.embed_documents = embed_then_die  # type: ignore[method-assign]
    elif point == "before-commit":
        IndexStore.commit = die  # type: ignore[method-assign]
    elif point == "after-commit":
        index, calls = pipeline.index, []

        def index_then_die(*args: Any, **kwargs: Any) -> Any:
            calls.append(1)
            if len(calls) == 2:  # the cleanup pass, right after the commit
                die()
            return index(*args, **kwargs)

        pipeline.index = index_then_die  # type: ignore[assignment]
    elif point == "before-history":
        pipeline.with_directory = die
    else:
        raise SystemExit(f"unknown point {point}")
    pipeline.run_ingest(Settings(), full="--full" in sys.argv)
    print("not killed")


if __name__ == "__main__":
    main()
