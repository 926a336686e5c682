"""A data dir that is read-only or full: a clear one-line error, and the index as it was.

The read-only case mounts the data dir read-only in a private mount namespace (``unshare --mount``:
root only; skipped elsewhere, since root ignores file modes). The full case caps the size a file may
grow to (RLIMIT_FSIZE, with SIGXFSZ ignored, so a write fails as on a full disk).
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from hotline import Settings
from hotline.bot import Hotline
from ingest import run_ingest

from .conftest import subprocess_env

pytestmark = pytest.mark.slow
NEW_ARTICLE = "---\ntitle: Пункты выдачи\n---\n\n" + "\n\n".join(
    f"## Пункт {n}\n\nПункт выдачи номер {n} в Казани работает ежедневно с 9:00 до 21:00, "
    f"телефон +7 (843) 200-{n:02d}-{n:02d}."
    for n in range(1, 80)
)


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith((".lock", "-journal", "-wal", "-shm"))
    }


def can_mount_read_only(tmp_path: Path) -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = tmp_path / "probe"
    probe.mkdir()
    done = subprocess.run(
        ["unshare", "--mount", "sh", "-c", f"mount --bind -o ro {probe} {probe}"], capture_output=True
    )
    return done.returncode == 0


def test_a_read_only_data_dir_gives_one_line_and_changes_nothing(settings: Settings, tmp_path: Path) -> None:
    if not can_mount_read_only(tmp_path):
        pytest.skip("needs root and unshare to mount the data dir read-only")
    run_ingest(settings)
    (settings.corpus_dir / "pickup.md").write_text(NEW_ARTICLE, encoding="utf-8")
    before = fingerprint(settings.data_dir)
    data = settings.data_dir
    for command in ("-m ingest", "-m hotline 'телефон озон'"):
        done = subprocess.run(
            ["unshare", "--mount", "sh", "-c", f"mount --bind -o ro {data} {data} && exec {sys.executable} {command}"],
            capture_output=True,
            text=True,
            env=subprocess_env(settings),
        )
        assert done.returncode == 1, done.stdout
        [line] = done.stderr.strip().splitlines()
        assert line.startswith("error: ") and ("read-only" in line.lower() or "readonly" in line.lower()), line
    assert fingerprint(data) == before
    assert "234-70-00" in Hotline(settings).ask("телефон озон").text  # writable again: it serves as before


def test_a_full_disk_mid_ingest_leaves_the_previous_index_serving(settings: Settings) -> None:
    run_ingest(settings)
    (settings.corpus_dir / "pickup.md").write_text(NEW_ARTICLE, encoding="utf-8")
    limit = max(p.stat().st_size for p in settings.data_dir.rglob("*") if p.is_file())

    def full_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-m", "ingest", "--quiet"],
        capture_output=True,
        text=True,
        env=subprocess_env(settings),
        preexec_fn=full_disk,
    )
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("error: "), done.stderr
    bot = Hotline(settings)
    assert "234-70-00" in bot.ask("телефон озон").text  # the previous index still answers
    bot.close()
    report = run_ingest(settings)  # with room again, the next ingest finishes the job
    assert report.chunks > 63
    assert "200-07-07" in Hotline(settings).ask("телефон пункта выдачи номер 7 в Казани").text


def test_a_corrupted_record_manager_is_set_aside_and_rebuilt_without_duplicates(settings: Settings) -> None:
    first = run_ingest(settings)
    records = settings.data_dir / "records.sqlite"
    records.write_bytes(b"this is not a database" * 100)
    report = run_ingest(settings)
    assert any("record" in str(p) for p in report.problems), report.problems  # said, not silent
    assert list(settings.data_dir.glob("records.sqlite.corrupt-*"))
    assert report.chunks == first.chunks
    bot = Hotline(settings)
    assert len(bot.retriever.view().ids) == first.chunks  # no duplicate, no missing chunk
    assert "234-70-00" in bot.ask("телефон озон").text
    assert run_ingest(settings).added == 0  # and the rebuilt records hold again
