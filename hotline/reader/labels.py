"""What the reader says about a question, and the labels it is trained on."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The kinds of fact a question may ask for (see train/reader/validate.py for what each means).
KINDS = ("phone", "email", "chat", "form", "address", "hours", "authority", "steps", "duration", "cost", "other")
EXCLUDABLE = ("phone", "email", "chat", "form", "address")  # the channels people rule out
OVER_ASKED = 0.95  # how surely a channel asked must read as ruled out to be ruled out (ruled_out_over_asked)
QUALIFIERS = ("city", "abroad", "business", "individual", "other_operator", "product")
FLAGS = ("yesno", "offtopic")
LABELS = (
    *(f"asks:{k}" for k in KINDS),
    *(f"excludes:{k}" for k in EXCLUDABLE),
    *(f"qualifier:{q}" for q in QUALIFIERS),
    *FLAGS,
)
CONTINUES = "continues"  # trained on the questions that have a history only
DATA_DIR = Path(__file__).resolve().parents[2] / "train" / "reader"


@dataclass(frozen=True)
class Reading:
    """The reader's view of one question: each label's probability, and the labels over their thresholds."""

    probabilities: Mapping[str, float]
    thresholds: Mapping[str, float] = field(default_factory=dict)

    def holds(self, label: str) -> bool:
        return self.probabilities.get(label, 0.0) >= self.thresholds.get(label, 0.5)

    @property
    def asks(self) -> tuple[str, ...]:
        """The kinds asked, most likely first."""
        found = [k for k in KINDS if self.holds(f"asks:{k}")]
        return tuple(sorted(found, key=lambda k: -self.probabilities[f"asks:{k}"]))

    @property
    def excludes(self) -> frozenset[str]:
        """The channels ruled out and not also asked (see :meth:`ruled_out_over_asked` for when both are)."""
        return frozenset(k for k in EXCLUDABLE if self.holds(f"excludes:{k}") and k not in self.asks)

    def ruled_out_over_asked(self) -> frozenset[str]:
        """The channels read both as ruled out and as asked, more surely ruled out: "только не по телефону"
        writes the channel's word, which alone reads as asking for it. Only where the reader is near sure
        (held out, "excludes" at its 0.8 operating point catches "заказ не пришёл, куда звонить" too) and for a
        question that negates (the caller knows): "связаться по телефону" reads as ruled out at times."""
        p = self.probabilities
        return frozenset(
            k
            for k in EXCLUDABLE
            if k in self.asks and p[f"excludes:{k}"] >= OVER_ASKED and p[f"excludes:{k}"] > p[f"asks:{k}"]
        )

    @property
    def qualifiers(self) -> frozenset[str]:
        return frozenset(q for q in QUALIFIERS if self.holds(f"qualifier:{q}"))

    @property
    def yesno(self) -> bool:
        return self.holds("yesno")

    @property
    def offtopic(self) -> bool:
        return self.holds("offtopic")

    @property
    def continues(self) -> bool | None:
        """Whether it goes on from the previous question; None when there was none."""
        return self.holds(CONTINUES) if CONTINUES in self.probabilities else None


def targets(row: Mapping[str, Any]) -> dict[str, bool]:
    """A training row's labels as the reader predicts them."""
    found = {f"asks:{k}": k in row["asks"] for k in KINDS}
    found |= {f"excludes:{k}": k in row["excludes"] for k in EXCLUDABLE}
    found |= {f"qualifier:{q}": q in row["qualifiers"] for q in QUALIFIERS}
    found |= {"yesno": bool(row["yesno"]), "offtopic": bool(row["offtopic"])}
    if row["history"]:
        found[CONTINUES] = row["topic"] == "continues"
    return found


def training_files(folder: Path = DATA_DIR) -> list[Path]:
    return sorted(folder.glob("questions-*.jsonl"))


def load_rows(folder: Path = DATA_DIR) -> list[dict[str, Any]]:
    """Every training question, in file order (one file per voice)."""
    rows: list[dict[str, Any]] = []
    for path in training_files(folder):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows
