"""A real Chroma server (`chroma run` from the chromadb package) on loopback: ingest into it, answer
through it from several processes, and survive it going away and coming back."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client

from hotline import Settings, StoreUnavailable
from hotline.pipeline import Hotline
from ingest import run_ingest

from .conftest import REPO, free_port, make_settings, start_server, subprocess_env, wait_for_http
from .test_app import chat

pytestmark = pytest.mark.slow
CHROMA = Path(sys.executable).with_name("chroma")


class ChromaServer:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = (self.path.parent / "chroma.log").open("ab")
        self.process = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for_http(f"{self.url}/api/v2/heartbeat", self.process, self.path.parent / "chroma.log", 60)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=30)
            self.process = None


@pytest.fixture
def chroma(tmp_path: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path / "chroma-data")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def server_settings(tmp_path: Path, models_dir: Path, chroma: ChromaServer) -> Settings:
    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    return make_settings(tmp_path / "data", tmp_path / "corpus", models_dir, chroma_url=chroma.url)


def test_ingest_and_answer_through_the_server_and_another_process_sees_edits(server_settings: Settings) -> None:
    report = run_ingest(server_settings)
    assert report.added == report.chunks > 0
    assert not (server_settings.data_dir / "chroma").exists()  # nothing embedded on disk: it is all on the server
    bot = Hotline(server_settings)
    assert "775-07-99" in bot.ask("Какой телефон у Ozon Card?").text

    # Another process edits an article and ingests; this one (a second replica) refreshes dense and BM25 sides.
    article = server_settings.corpus_dir / "ozon-hotline-call-or-write.md"
    article.write_text(article.read_text(encoding="utf-8").replace("775-07-99", "555-35-35"), encoding="utf-8")
    env = {**subprocess_env(server_settings), "HOTLINE_CHROMA_URL": str(server_settings.chroma_url)}
    done = subprocess.run([sys.executable, "-m", "ingest", "--quiet"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and len(done.stdout.splitlines()) == 1  # no "Loading weights" bar either
    answer = bot.ask("Какой телефон у Ozon Card?")
    assert "555-35-35" in answer.text and "775-07-99" not in answer.text
    view = bot.retriever.view()  # dense and BM25 sides were rebuilt from the server's texts
    assert view.snapshot.generation == 2 and any("555-35-35" in text for text in view.texts)
    bot.close()


def test_the_server_going_away_is_a_clear_message_and_its_return_needs_no_restart(
    server_settings: Settings, chroma: ChromaServer
) -> None:
    run_ingest(server_settings)
    bot = Hotline(server_settings)
    assert bot.ask("телефон озон").answered
    chroma.stop()
    with pytest.raises(StoreUnavailable, match="cannot be reached"):
        bot.ask("телефон озон")
    chroma.start()  # the same data and port
    assert "234-70-00" in bot.ask("телефон озон").text
    bot.close()


def test_a_server_that_stops_answering_costs_each_question_a_timeout_not_a_hung_page(
    server_settings: Settings, chroma: ChromaServer
) -> None:
    run_ingest(server_settings)
    bot = Hotline(server_settings.model_copy(update={"chroma_timeout": 2.0}))
    assert bot.ask("телефон озон").answered
    assert chroma.process is not None
    chroma.process.send_signal(signal.SIGSTOP)
    waited: list[float] = []

    def ask() -> None:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="cannot be reached"):
            bot.ask("телефон озон")
        waited.append(time.monotonic() - started)

    try:
        threads = [threading.Thread(target=ask) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        chroma.process.send_signal(signal.SIGCONT)
    # Not in turn behind one lock (4 x 2 s): each question waits for its own call's timeout alone.
    assert len(waited) == 4 and max(waited) < 2 * 2.0 + 1.5, waited
    assert "234-70-00" in bot.ask("телефон озон").text
    bot.close()


def test_the_page_says_the_knowledge_base_is_unavailable_and_recovers(
    tmp_path: Path, models_dir: Path, chroma: ChromaServer
) -> None:
    root = tmp_path / "page"
    root.mkdir()
    for page in start_server(root, models_dir, env={"HOTLINE_CHROMA_URL": chroma.url}):
        client = Client(page.url, verbose=False)
        assert "234-70-00" in chat(client, "телефон озон")[0]
        chroma.stop()
        answer, _ = chat(client, "телефон озон")
        assert "База знаний сейчас недоступна" in answer
        assert "127.0.0.1" not in answer and "Error" not in answer  # no address, no English internals
        chroma.start()
        assert "234-70-00" in chat(client, "телефон озон")[0]
