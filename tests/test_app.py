"""The page: the real Gradio server on loopback, asked through gradio_client as a browser would."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client

from .conftest import REPO, free_port, make_settings, subprocess_env

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> Iterator[str]:
    """``python app.py`` on a free port, over a fresh data dir: it must build the index itself."""
    tmp_path = tmp_path_factory.mktemp("app")
    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    settings = make_settings(tmp_path / "data", tmp_path / "corpus", models_dir)
    port = free_port()
    log = (tmp_path / "app.log").open("w")
    process = subprocess.Popen(
        [sys.executable, str(REPO / "app.py"), "--port", str(port)],
        env=subprocess_env(settings),
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"app did not start:\n{(tmp_path / 'app.log').read_text()}")
            time.sleep(0.5)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_a_fresh_data_dir_is_indexed_and_the_page_answers(server: str) -> None:
    with urllib.request.urlopen(server, timeout=10) as response:
        assert "hotline" in response.read().decode("utf-8")
    client = Client(server, verbose=False)
    answer = client.predict("Какой телефон у Ozon Card?", api_name="/search")
    assert "8 800 775-07-99" in answer
    assert "Озон Премиум: куда обращаться" in answer  # the source is shown with the quote


def test_empty_and_oversized_questions_get_a_polite_answer(server: str) -> None:
    client = Client(server, verbose=False)
    assert "Задайте вопрос" in client.predict("   ", api_name="/search")
    assert client.predict("телефон " * 5000, api_name="/search")  # trimmed, answered, no error
