"""The fact directory of an index, its conflicts, and what each ingest changed, on temporary copies of the
synthetic mini-corpus (``tests/data/mini``) with the deterministic word encoder: fast specs."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from hotline import Settings
from hotline.directory import Entry, build, conflicts, history, saved, stale
from hotline.index.store import ArticleInfo, IndexStore
from hotline.index.view import SnapshotView
from ingest import run_ingest

from .conftest import REPO, mini_settings, subprocess_env


@pytest.fixture
def mini(tmp_path: Path) -> Settings:
    return mini_settings(tmp_path)


def directory_of(settings: Settings) -> list[Entry]:
    store = IndexStore(settings)
    try:
        snapshot = store.snapshot()
        assert snapshot is not None
        return build(SnapshotView.load(store, snapshot, with_vectors=False))
    finally:
        store.close()


def edit(settings: Settings, name: str, old: str, new: str) -> None:
    path = settings.corpus_dir / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_every_fact_is_listed_under_whose_it_is_with_its_line_and_article(mini: Settings) -> None:
    run_ingest(mini)
    entries = {(e.organization, e.kind, e.value): e for e in directory_of(mini)}
    spb = entries[("Чайник", "phone", "+7 (812) 222-33-44")]
    assert (spb.line, spb.article, spb.updated) == ("Санкт-Петербург", "chainik.md", "2026-03-01")
    assert entries[("Ласточка", "phone", "8 (800) 700-00-07")].line == "Звонок по России бесплатный"
    assert ("Чайник", "email", "help@chainik.example") in entries
    # A public body's number in a store's article is the body's, not the store's.
    assert ("Роспотребнадзор", "phone", "8 (800) 555-49-43") in entries
    assert not any(o == "Чайник" and v == "8 (800) 555-49-43" for o, _, v in entries)
    # The store's article points to the body: listed under the store, as where to turn.
    assert ("Чайник", "authority", "Роспотребнадзор") in entries


def test_one_line_with_two_values_in_two_articles_is_a_conflict_newest_first(mini: Settings) -> None:
    report = run_ingest(mini)
    [conflict] = report.conflicts
    assert (conflict.organization, conflict.kind, conflict.line) == ("Чайник", "phone", "Москва")
    assert [(e.value, e.article) for e in conflict.entries] == [
        ("+7 (495) 111-22-33", "chainik.md"),  # 2026-03-01
        ("+7 (495) 999-88-77", "chainik-complaints.md"),  # 2025-10-10
    ]
    assert conflicts(directory_of(mini)) == [conflict]


def test_an_edited_number_is_a_change_with_its_old_and_new_value(mini: Settings) -> None:
    assert run_ingest(mini).changes == ()  # the first build: nothing to compare with
    edit(mini, "lastochka.md", "кнопка «Чат»", "кнопка «Написать»")  # no fact in that sentence
    assert run_ingest(mini).changes == ()
    edit(mini, "lastochka.md", "8 (800) 700-00-07", "8 (800) 765-43-21")
    report = run_ingest(mini)
    [change] = report.changes
    assert (change.what, change.organization, change.old, change.new) == (
        "changed",
        "Ласточка",
        "8 (800) 700-00-07",
        "8 (800) 765-43-21",
    )
    assert change.describe() == (
        "changed: Ласточка · phone · Звонок по России бесплатный: 8 (800) 700-00-07 → 8 (800) 765-43-21 (lastochka.md)"
    )
    edit(mini, "chainik.md", "help@chainik.example", "care@chainik.example")
    email = run_ingest(mini).changes
    assert [(c.what, c.old, c.new) for c in email] == [("changed", "help@chainik.example", "care@chainik.example")]
    recorded = history.recent(mini.data_dir)
    assert [i.changes for i in recorded] == [email, (change,)]  # only ingests that changed facts, newest first


@pytest.mark.slow
@pytest.mark.parametrize("point", ["after-commit", "before-history"])
def test_a_kill_between_the_commit_and_the_change_history_loses_no_change(mini: Settings, point: str) -> None:
    run_ingest(mini)
    edit(mini, "lastochka.md", "8 (800) 700-00-07", "8 (800) 765-43-21")
    killed = subprocess.run(
        [sys.executable, str(REPO / "tests" / "kill_ingest.py"), point], env=subprocess_env(mini), capture_output=True
    )
    assert killed.returncode == -9, killed.stderr
    run_ingest(mini)  # the next ingest: nothing left to embed, but the change is still told
    recorded = [(c.old, c.new) for ingested in history.recent(mini.data_dir) for c in ingested.changes]
    assert recorded == [("8 (800) 700-00-07", "8 (800) 765-43-21")]
    run_ingest(mini)
    assert len(history.recent(mini.data_dir)) == 1  # and told once


@pytest.mark.parametrize(
    "damaged",
    ["[]", "{}", '{"generation": 1}', '{"generation": "1", "committed_at": 5, "entries": {}}', "null", '"text"'],
)
def test_a_saved_directory_of_the_wrong_shape_is_built_again(mini: Settings, damaged: str) -> None:
    run_ingest(mini)
    built = directory_of(mini)
    store = IndexStore(mini)
    try:
        snapshot = store.snapshot()
        assert snapshot is not None
        view = SnapshotView.load(store, snapshot, with_vectors=False)
        (mini.data_dir / saved.FILE).write_text(damaged, encoding="utf-8")
        assert saved.of_snapshot(snapshot, mini.data_dir, lambda: view) == built
        kept = json.loads((mini.data_dir / saved.FILE).read_text(encoding="utf-8"))
        kept["entries"][0]["value"] = ["not", "text"]  # parsable, of the right key, one entry wrong
        (mini.data_dir / saved.FILE).write_text(json.dumps(kept), encoding="utf-8")
        assert saved.of_snapshot(snapshot, mini.data_dir, lambda: view) == built
    finally:
        store.close()


def test_a_removed_articles_facts_show_as_removed(mini: Settings) -> None:
    run_ingest(mini)
    (mini.corpus_dir / "chainik-complaints.md").unlink()
    report = run_ingest(mini)
    removed = {(c.organization, c.old) for c in report.changes}
    assert all(c.what == "removed" and c.article == "chainik-complaints.md" for c in report.changes)
    assert {("Чайник", "+7 (495) 999-88-77"), ("Роспотребнадзор", "8 (800) 555-49-43")} <= removed
    assert report.conflicts == ()  # its Moscow number no longer disagrees with anything


def test_articles_older_than_the_setting_are_stale_oldest_first() -> None:
    articles = {
        "new.md": ArticleInfo("new.md", "Новая", updated="2026-11-01"),
        "old.md": ArticleInfo("old.md", "Старая", updated="2024-05-01"),
        "older.md": ArticleInfo("older.md", "Ещё старее", updated="2023-01-15"),
        "undated.md": ArticleInfo("undated.md", "Без даты", updated="весной"),
    }
    found = stale(articles, 365, today=date(2026, 11, 26))
    assert [(s.article, s.days) for s in found] == [("older.md", 1411), ("old.md", 939)]


@pytest.mark.slow
def test_the_command_prints_the_directory_as_json_and_csv(mini: Settings) -> None:
    run_ingest(mini)
    edit(mini, "lastochka.md", "8 (800) 700-00-07", "8 (800) 765-43-21")
    run_ingest(mini)
    env = subprocess_env(mini)
    command = [sys.executable, "-m", "hotline.directory"]
    body = json.loads(subprocess.run([*command, "--json"], capture_output=True, text=True, env=env).stdout)
    assert {e["value"] for e in body["entries"] if e["conflict"]} == {"+7 (495) 111-22-33", "+7 (495) 999-88-77"}
    assert body["conflicts"][0]["organization"] == "Чайник"
    assert body["changes"][0]["changes"][0]["new"] == "8 (800) 765-43-21"
    as_csv = subprocess.run([*command, "--csv"], capture_output=True, text=True, env=env).stdout
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert len(rows) == len(body["entries"]) and rows[0].keys() >= {"organization", "kind", "line", "value"}


def test_the_directory_is_kept_beside_the_index_for_its_snapshot_only(mini: Settings) -> None:
    run_ingest(mini)  # builds and keeps it
    store = IndexStore(mini)
    try:
        snapshot = store.snapshot()
        assert snapshot is not None
        view = SnapshotView.load(store, snapshot, with_vectors=False)
        kept = json.loads((mini.data_dir / saved.FILE).read_text(encoding="utf-8"))
        assert kept["generation"] == snapshot.generation and len(kept["entries"]) == len(build(view))
        kept["entries"] = kept["entries"][:1]
        (mini.data_dir / saved.FILE).write_text(json.dumps(kept), encoding="utf-8")
        assert len(saved.of_snapshot(snapshot, mini.data_dir, lambda: view)) == 1  # read, not built again
        kept["committed_at"] = "another snapshot"
        (mini.data_dir / saved.FILE).write_text(json.dumps(kept), encoding="utf-8")
        assert saved.of_snapshot(snapshot, mini.data_dir, lambda: view) == build(view)  # another snapshot's: built
    finally:
        store.close()
