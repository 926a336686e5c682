"""What each ingest changed in the directory, kept beside the index (``<data dir>/directory-changes.jsonl``,
one line per ingest that changed any fact, the last :data:`KEPT` of them), so that the knowledge-base page
can show the last few after the snapshots they compare are gone."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from hotline.directory.compare import Change

KEPT = 50
FILE = "directory-changes.jsonl"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ingested:
    """The fact changes of one ingest."""

    at: str  # ISO time of the commit
    generation: int
    changes: tuple[Change, ...]


def record(data_dir: Path, ingested: Ingested) -> None:
    """Append ``ingested`` (when it changed anything, and is not recorded yet: the same snapshot's
    changes may be offered twice after a killed ingest), keeping the last :data:`KEPT`. A file that
    cannot be written costs the record, never the ingest."""
    if not ingested.changes:
        return
    path = data_dir / FILE
    line = json.dumps({**asdict(ingested), "changes": [asdict(c) for c in ingested.changes]}, ensure_ascii=False)
    try:
        kept = path.read_text(encoding="utf-8").splitlines()[-(KEPT - 1) :] if path.is_file() else []
        if any(_of(old) == (ingested.at, ingested.generation) for old in kept):
            return
        temp = path.with_suffix(".tmp")
        temp.write_text("\n".join([*kept, line]) + "\n", encoding="utf-8")
        temp.replace(path)
    except OSError as exc:
        log.warning("could not record the directory's changes in %s: %s", path, exc)


def recent(data_dir: Path, count: int = 5) -> list[Ingested]:
    """The last ``count`` ingests that changed facts, newest first (a damaged line is skipped)."""
    path = data_dir / FILE
    try:
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    except OSError:
        return []
    found = []
    for line in reversed(lines):
        try:
            data = json.loads(line)
            found.append(
                Ingested(str(data["at"]), int(data["generation"]), tuple(Change(**c) for c in data["changes"]))
            )
        except (ValueError, KeyError, TypeError):
            continue
        if len(found) == count:
            break
    return found


def _of(line: str) -> tuple[str, int] | None:
    """(commit time, generation) of a recorded line, or None for a damaged one."""
    try:
        data = json.loads(line)
        return str(data["at"]), int(data["generation"])
    except (ValueError, KeyError, TypeError):
        return None
