"""Feedback votes in SQLite, and their CSV export."""

from __future__ import annotations

import csv
import os
import sqlite3
import stat
import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path

import pytest

from page.feedback import FeedbackStore, rating_of

from .conftest import REPO


def test_votes_are_kept_with_the_question_answer_and_cited_ids(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "data" / "feedback.sqlite")
    store.record("like", "телефон озон", "Телефон: 8 (800) 234-70-00 [1].", ["p1", "p2"], "телефон озон")
    store.record("dislike", "а для Питера?", "…", [], "а для Питера? телефон озон")
    [like, dislike] = FeedbackStore(tmp_path / "data" / "feedback.sqlite").votes()  # survives a restart
    assert (like.rating, like.question, like.cited) == ("like", "телефон озон", ("p1", "p2"))
    assert (dislike.rating, dislike.standalone) == ("dislike", "а для Питера? телефон озон")


def test_csv_export_reads_back_in_excel_encoding(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    store.record("like", 'вопрос, с "кавычками"', "ответ\nв две строки", ["a", "b"])
    path = store.export_csv(tmp_path / "out" / "feedback.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert rows[0]["question"] == 'вопрос, с "кавычками"'
    assert rows[0]["answer"] == "ответ\nв две строки"
    assert rows[0]["cited"] == "a b"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # every voter's words: this user's only


def test_concurrent_votes_are_all_kept(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    threads = [threading.Thread(target=store.record, args=("like", f"q{n}", "a", [])) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.votes()) == 16


def test_a_comment_is_kept_with_its_vote_and_exported(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    vote = store.record("dislike", "телефон озон", "…", [])
    assert store.comment(vote, "  номер не тот,\nнужен для Москвы  ")
    assert not store.comment(vote + 1, "нет такого голоса")
    [saved] = store.votes()
    assert saved.comment == "номер не тот, нужен для Москвы"
    rows = list(csv.DictReader(store.export_csv(tmp_path / "f.csv").open(encoding="utf-8-sig")))
    assert rows[0]["comment"] == "номер не тот, нужен для Москвы"


def test_a_feedback_file_from_before_comments_gains_the_column(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite"
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(
            "CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, rating TEXT NOT NULL, "
            "question TEXT NOT NULL, answer TEXT NOT NULL, cited TEXT NOT NULL, standalone TEXT NOT NULL DEFAULT '')"
        )
        db.execute("INSERT INTO feedback (at, rating, question, answer, cited) VALUES ('t', 'like', 'q', 'a', '[]')")
    store = FeedbackStore(path)
    assert [v.comment for v in store.votes()] == [""]
    assert store.comment(1, "хорошо")


def test_csv_cells_that_a_spreadsheet_would_run_are_written_as_text(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    for question in ('=HYPERLINK("http://evil.example","жми")', "+7 (800) 234-70-00", "-1+1", "@SUM(A1)", "\tтаб"):
        store.record("dislike", question, "ответ", [])
    store.comment(1, "=cmd|' /C calc'!A0")
    rows = list(csv.DictReader(store.export_csv(tmp_path / "feedback.csv").open(encoding="utf-8-sig")))
    assert [r["question"] for r in rows] == [
        '\'=HYPERLINK("http://evil.example","жми")',
        "'+7 (800) 234-70-00",
        "'-1+1",
        "'@SUM(A1)",
        "'\tтаб",
    ]
    assert rows[0]["comment"] == "'=cmd|' /C calc'!A0"


def test_only_a_like_a_dislike_or_a_cleared_vote_is_a_rating() -> None:
    assert [rating_of(v) for v in (True, False, None, "")] == ["like", "dislike", "cleared", "cleared"]
    for forged in ("=cmd|' /C calc'!A0", "like", 1, [True], {"a": 1}):
        assert rating_of(forged) is None  # a client may send anything as its vote


@pytest.mark.slow
def test_a_vote_on_a_full_disk_is_one_line_not_an_unhandled_error(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    size = (tmp_path / "feedback.sqlite").stat().st_size
    script = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from hotline import HotlineError\n"
        "from page.feedback import FeedbackStore\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({size}, resource.RLIM_INFINITY))\n"
        "store = FeedbackStore(Path(sys.argv[1]))\n"
        "try:\n"
        "    store.record('like', 'вопрос ' * 5000, 'ответ ' * 5000, [])\n"
        "except HotlineError as exc:\n"
        "    print('refused:', exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(store.path)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert done.stdout.startswith("refused:") and len(done.stdout.strip().splitlines()) == 1
