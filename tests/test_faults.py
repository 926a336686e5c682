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
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from hotline import Settings
from hotline.pipeline import Hotline
from ingest import IngestBusy, run_ingest
from ingest.isolated import IngestFailed, run_ingest_isolated
from ingest.records import ingest_lock

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


def test_an_ingest_from_the_page_runs_apart_and_one_that_hangs_is_stopped_while_answers_go_on(
    settings: Settings,
) -> None:
    run_ingest(settings)
    bot = Hotline(settings)
    with ingest_lock(settings):  # another ingest holds the data dir
        with pytest.raises(IngestBusy):  # the child's own error class comes back
            run_ingest_isolated(settings)
        # The child now waits for the lock, as a wedged write would hang: the time limit stops it.
        stuck = settings.model_copy(update={"ingest_wait_seconds": 300.0, "ingest_timeout": 3.0})
        outcome: list[BaseException] = []
        worker = threading.Thread(target=lambda: outcome.append(_raised(lambda: run_ingest_isolated(stuck))))
        worker.start()
        answered = []
        while worker.is_alive():
            answered.append(bot.ask("телефон озон").answered)
        worker.join()
    assert isinstance(outcome[0], IngestFailed) and "HOTLINE_INGEST_TIMEOUT" in str(outcome[0])
    assert answered and all(answered)
    assert run_ingest_isolated(settings).unchanged > 0  # the next one runs clean
    bot.close()


def _raised(call: Callable[[], object]) -> BaseException:
    try:
        call()
    except BaseException as exc:
        return exc
    raise AssertionError("it did not fail")


def test_a_write_that_failed_on_a_full_disk_never_wedges_the_next_ingest_or_the_answers(
    settings: Settings, tmp_path: Path
) -> None:
    script = Path(__file__).with_name("failed_write_then_ingest.py")
    args = [str(settings.data_dir), str(settings.corpus_dir), str(settings.models_dir)]
    done = subprocess.run(
        [sys.executable, str(script), *args], env=subprocess_env(settings), capture_output=True, text=True, timeout=300
    )
    lines = [line for line in done.stdout.splitlines() if line]
    assert done.returncode == 0, done.stderr[-2000:]
    assert lines[0] == lines[2] == lines[4] == "answered True", lines
    assert lines[1].startswith("full disk:") and "index is as it was" in lines[1], lines
    assert lines[3].startswith("space back: added"), lines


def test_a_damaged_store_says_how_to_rebuild_and_the_rebuild_works_whatever_its_state(settings: Settings) -> None:
    run_ingest(settings)
    database = settings.data_dir / "chroma" / "chroma.sqlite3"
    with database.open("r+b") as garbled:  # past the header: the file still looks like SQLite
        garbled.seek(4096)
        garbled.write(os.urandom(200_000))
    env = subprocess_env(settings)
    ask = subprocess.run([sys.executable, "-m", "hotline", "телефон озон"], env=env, capture_output=True, text=True)
    assert ask.returncode != 0 and "Traceback" not in ask.stderr
    assert "python -m ingest --rebuild" in ask.stderr, ask.stderr
    (settings.corpus_dir / "ozon-claim.md").write_text("# Новая\n\nТекст статьи.\n", encoding="utf-8")
    ingest = subprocess.run([sys.executable, "-m", "ingest"], env=env, capture_output=True, text=True)
    assert ingest.returncode == 1 and "Traceback" not in ingest.stderr
    [line] = ingest.stderr.strip().splitlines()  # was: two tracebacks, and a last line about 'RustBindingsAPI'
    assert line.startswith("error: ") and "--rebuild" in line and "RustBindings" not in line, line
    rebuild = subprocess.run(
        [sys.executable, "-m", "ingest", "--rebuild"], env=env, capture_output=True, text=True, timeout=300
    )
    assert rebuild.returncode == 0, rebuild.stderr
    assert "moved the old index aside" in rebuild.stderr
    assert any(p.name.startswith("chroma.damaged-") for p in settings.data_dir.iterdir())
    again = subprocess.run([sys.executable, "-m", "hotline", "телефон озон"], env=env, capture_output=True, text=True)
    assert again.returncode == 0 and "234-70-00" in again.stdout


READER = """
import sys
from hotline import Settings
from hotline.pipeline import Hotline
bot = Hotline(Settings())
print(bot.ask("телефон озон").answered, flush=True)
for line in sys.stdin:
    print(bot.ask("телефон озон").answered, flush=True)
"""


@pytest.mark.skipif(shutil.which("prlimit") is None, reason="needs util-linux's prlimit")
def test_with_no_free_space_a_running_reader_answers_and_a_new_process_says_why_it_cannot(settings: Settings) -> None:
    run_ingest(settings)
    env = subprocess_env(settings)

    def no_space() -> None:  # files may not grow, as on a full disk (SIGXFSZ ignored: the write fails)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))

    fresh = subprocess.run(
        [sys.executable, "-m", "hotline", "телефон озон"], env=env, capture_output=True, text=True, preexec_fn=no_space
    )
    assert fresh.returncode == 1 and "Traceback" not in fresh.stderr
    assert "free space" in fresh.stderr.strip().splitlines()[-1]

    reader = subprocess.Popen(
        [sys.executable, "-c", READER], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert reader.stdin is not None and reader.stdout is not None
    try:
        assert reader.stdout.readline().strip() == "True"
        subprocess.run(["prlimit", "--pid", str(reader.pid), "--fsize=0"], check=True)  # the disk fills up
        for _ in range(3):
            reader.stdin.write("\n")
            reader.stdin.flush()
            assert reader.stdout.readline().strip() == "True"  # answered from what it holds
    finally:
        reader.kill()
        reader.wait()


def test_no_room_to_build_the_model_is_one_line_that_says_what_it_needs(settings: Settings, tmp_path: Path) -> None:
    fresh = settings.model_copy(update={"models_dir": tmp_path / "models"})

    def small_disk() -> None:  # room for the index, not for the 330 MB model
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000_000, resource.RLIM_INFINITY))

    done = subprocess.run(
        [sys.executable, "-m", "ingest"],
        env=subprocess_env(fresh),
        capture_output=True,
        text=True,
        preexec_fn=small_disk,
    )
    assert done.returncode == 1 and "unexpected" not in done.stderr and "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert "cannot build the embedding model" in last and "330 MB" in last, last
    assert not any((tmp_path / "models").glob("*/modules.json"))  # no half-built model left to trust
