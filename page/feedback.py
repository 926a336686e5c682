"""Likes and dislikes on answers, kept in SQLite in the data dir, exportable as CSV.

Each vote is a row of its own (a changed mind is a second row, not an update): the history of votes is
what tells whether a change to the corpus or the code made answers better. A connection per call keeps
it safe under Gradio's worker threads; SQLite serialises the writes.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from hotline.config.errors import HotlineError

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    rating TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    cited TEXT NOT NULL,
    standalone TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT ''
)
"""
COLUMNS = ("id", "at", "rating", "question", "answer", "cited", "standalone", "comment")
MAX_COMMENT_CHARS = 1000
RATINGS = ("like", "dislike", "cleared")
# A cell a spreadsheet reads as a formula (=, +, -, @) or that it strips to one (a tab, a return):
# written with a leading apostrophe, so Excel and LibreOffice show it as text (OWASP's CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class FeedbackUnavailable(HotlineError):
    """A vote could not be stored (a full disk, a read-only data dir); the message says so in one line."""


def rating_of(liked: object) -> str | None:
    """The rating of what the page's like button sent (``True``, ``False``, ``None``/``""`` when a vote
    is taken back), or None for anything else: the value comes from the client, which may send anything."""
    if liked is True:
        return "like"
    if liked is False:
        return "dislike"
    return "cleared" if liked is None or liked == "" else None


@dataclass(frozen=True)
class Vote:
    id: int
    at: str
    rating: str  # "like", "dislike", or another feedback option's text
    question: str
    answer: str
    cited: tuple[str, ...]  # passage ids the answer cited
    standalone: str  # the question as answered, after a follow-up was resolved
    comment: str = ""  # what the voter said was wrong (after a dislike), if anything


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(SCHEMA)
            if "comment" not in {row[1] for row in db.execute("PRAGMA table_info(feedback)")}:  # an older file
                db.execute("ALTER TABLE feedback ADD COLUMN comment TEXT NOT NULL DEFAULT ''")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
                yield db
        except sqlite3.Error as exc:
            raise FeedbackUnavailable(f"the feedback store {self.path} cannot be written ({exc})") from exc

    def record(self, rating: str, question: str, answer: str, cited: Sequence[str], standalone: str = "") -> int:
        if rating not in RATINGS:
            raise ValueError(f"not a rating: {rating!r}")
        at = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO feedback (at, rating, question, answer, cited, standalone) VALUES (?, ?, ?, ?, ?, ?)",
                (at, rating, question, answer, json.dumps(list(cited)), standalone),
            )
            return int(cursor.lastrowid or 0)

    def comment(self, vote_id: int, text: str) -> bool:
        """Attach what the voter wrote to their vote (its first ``MAX_COMMENT_CHARS`` characters)."""
        text = " ".join(text.split())[:MAX_COMMENT_CHARS]
        with self._connect() as db:
            return db.execute("UPDATE feedback SET comment = ? WHERE id = ?", (text, vote_id)).rowcount == 1

    def votes(self) -> list[Vote]:
        with self._connect() as db:
            rows = db.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id").fetchall()
        return [Vote(r[0], r[1], r[2], r[3], r[4], tuple(json.loads(r[5])), r[6], r[7]) for r in rows]

    def export_csv(self, target: Path) -> Path:
        """All votes as CSV (UTF-8 with BOM, so that Excel reads the Cyrillic); cited ids joined by spaces."""
        target.parent.mkdir(parents=True, exist_ok=True)
        # Every voter's question and answer: readable by this user only, wherever the file is copied.
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)
        with open(descriptor, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(COLUMNS)
            for v in self.votes():
                cited = " ".join(v.cited)
                row = [v.id, v.at, v.rating, v.question, v.answer, cited, v.standalone, v.comment]
                writer.writerow([_cell(value) for value in row])
        return target


def _cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text, never runs."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value
