"""The verifier's training pairs: a question, a unit of an article (a sentence, a table row, a list item)
under its section heading, and whether the unit answers the question."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parents[2] / "train" / "verifier"
KEYS = {"id", "voice", "organization", "section", "unit", "question", "answers", "why"}


def training_files() -> list[Path]:
    return sorted(DATA_DIR.glob("pairs-*.jsonl"))


def load_pairs() -> list[dict[str, Any]]:
    """Every pair of every file, checked: a malformed line names its file and line."""
    rows: list[dict[str, Any]] = []
    for path in training_files():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if not set(row) >= KEYS or not isinstance(row["answers"], bool):
                raise ValueError(f"{path.name}:{n}: a pair needs {sorted(KEYS)} with a boolean 'answers'")
            rows.append(row)
    return rows


def unit_text(section: str, unit: str) -> str:
    """A unit as the answerer reads it beside the question (:attr:`hotline.answer.units.Unit.in_context`):
    its section heading, then the unit."""
    return f"{section}. {unit}".strip(". ") if section else unit
