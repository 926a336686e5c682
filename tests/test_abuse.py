"""Abuse of the open page (issue 22): what an anonymous client can send, store or try, on the real server.

Each test is the attack as it was found, and the bound that now holds: a flood of history cannot
freeze the chat, a login cannot be guessed faster by another path, address or login, the chat takes no
files, and the knowledge base's upload reads only what was uploaded.
"""

from __future__ import annotations

import statistics
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
from gradio_client import Client

from .conftest import MAINTAINER, Server, queue_call
from .test_app import chat

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(page_server: Server) -> Server:
    return page_server


def flood(turns: int, answer: str = "ответ") -> dict[str, object]:
    """A conversation as the browser keeps it, ``turns`` long: what ``restore`` is sent on a page load."""
    turn = {"question": "а для Питера?", "answer": answer, "cited": [], "standalone": "", "messages": [1]}
    message = {"role": "user", "content": "а для Питера?"}
    return {"messages": [message] * turns, "turns": [turn] * turns}


def test_four_clients_flooding_the_history_cannot_freeze_the_chat(server: Server) -> None:
    sessions = [uuid.uuid4().hex for _ in range(4)]
    for session in sessions:
        restored = queue_call(server.url, "restore", [flood(10_000)], session)
        if restored.get("success"):  # accepted only as far as the page keeps a conversation
            assert len(restored["output"]["data"][0]) <= 100
    stop = time.monotonic() + 5
    done: list[float] = []

    def flooder(session: str) -> None:
        while time.monotonic() < stop:
            started = time.monotonic()
            queue_call(server.url, "chat", ["а почта?", [], None], session)
            done.append(time.monotonic() - started)

    threads = [threading.Thread(target=flooder, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    user = Client(server.url, verbose=False)
    time.sleep(1)
    started = time.monotonic()
    answer, _ = chat(user, "телефон пункта выдачи Боровик в Казани")
    waited = time.monotonic() - started
    for thread in threads:
        thread.join(timeout=120)
    assert "200-00-00" in answer
    assert waited < 2.0, f"a normal user waited {waited:.1f} s"
    assert done and statistics.median(done) < 1.0  # the flooders' own follow-ups read the last few turns alone


def test_a_huge_question_does_not_slow_the_follow_ups_after_it(server: Server) -> None:
    session = uuid.uuid4().hex
    queue_call(server.url, "chat", ["phone ozon support " * 45_000, [], None], session)  # ~850 KB
    started = time.monotonic()
    result = queue_call(server.url, "chat", ["а почта?", [], None], session)
    assert result.get("success") and time.monotonic() - started < 2.0


def login(server: Server, path: str, password: str, peer: str, headers: dict[str, str] | None = None) -> int:
    """The status of one login attempt from the loopback address ``peer``: each test guesses from its own,
    so that locking it out of a login slows no other test (the page's users log in from 127.0.0.1)."""
    with httpx.Client(transport=httpx.HTTPTransport(local_address=peer), timeout=30) as client:
        form = {"username": MAINTAINER[0], "password": password}
        return client.post(server.url + path, data=form, headers=headers).status_code


@pytest.mark.parametrize(
    ("bypass", "peer"),
    [
        ("a trailing slash", "127.0.0.2"),
        ("a new X-Forwarded-For each time", "127.0.0.3"),
        ("the chat's login", "127.0.0.4"),
    ],
)
def test_a_guesser_is_slowed_down_whichever_way_it_asks(server: Server, bypass: str, peer: str) -> None:
    path = "kb/login/" if bypass == "a trailing slash" else "kb/login"

    def forwarded(n: int) -> dict[str, str] | None:
        return {"X-Forwarded-For": f"203.0.113.{n}"} if bypass.startswith("a new X-Forwarded") else None

    for n in range(12):
        assert login(server, path, f"guess{n}", peer, forwarded(n)) in (400, 429)
        if bypass == "the chat's login":  # an open chat answers any login as a success: it must not clear the count
            assert login(server, "login", "anything", peer) in (200, 302)
    # Twelve wrong guesses in a second: the thirteenth, right or not, is not even heard.
    assert login(server, path, MAINTAINER[1], peer, forwarded(99)) == 429


def test_the_knowledge_base_adds_only_a_file_that_was_uploaded_not_one_the_server_holds(
    server: Server, tmp_path: Path
) -> None:
    secret = tmp_path / "notes.md"  # a file on the server, outside the corpus and Gradio's upload folder
    secret.write_text("# Заметки\n\nЛичный номер директора: +7 (999) 111-22-33.\n", encoding="utf-8")
    forged = {"path": str(secret), "orig_name": "notes.md", "meta": {"_type": "gradio.FileData"}}
    result = queue_call(server.url + "kb/", "upload", [forged], uuid.uuid4().hex, auth=MAINTAINER)
    assert not (server.settings.corpus_dir / "notes.md").exists()
    if result.get("success"):
        assert "Не загружено" in result["output"]["data"][0]


def test_the_chat_takes_no_uploads_and_fetches_no_addresses(server: Server, tmp_path: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        refused = client.post("gradio_api/upload", files={"files": ("big.md", b"x" * 1_000_000)})
        assert refused.status_code == 403  # was: kept in Gradio's folder for ever, and served to anyone
        fetched = client.get("gradio_api/file=https://example.org/")
        assert fetched.status_code == 403 and "hotline" in fetched.text  # refused here, never asked of Gradio
    kb = httpx.Client(base_url=server.url + "kb/", timeout=30)
    kb.post("login", data={"username": MAINTAINER[0], "password": MAINTAINER[1]}).raise_for_status()
    taken = kb.post("gradio_api/upload", files={"files": ("kazan.md", b"# x\n\ntext\n")})
    assert taken.status_code == 200  # the knowledge base's own upload still works
    assert kb.post("gradio_api/upload", files={"files": ("big.md", b"x" * 5_000_000)}).status_code == 413
    kb.close()


def test_sessions_hold_bounded_memory_under_load_and_floods(server: Server) -> None:
    """Three rounds of users asking on in their conversations while ten new sessions restore the probe's
    10 000-turn flood (~7 MB each): the page's memory after the third is within 10 % of the first."""
    questions = ["Какой телефон у Ozon Card?", "а почта?", "как вернуть товар?", "а для Питера?"]
    after = []
    for _ in range(3):
        users = [Client(server.url, verbose=False) for _ in range(4)]

        def ask(client: Client) -> None:
            for question in questions:
                client.predict(question, api_name="/chat")

        threads = [threading.Thread(target=ask, args=(u,)) for u in users]
        for thread in threads:
            thread.start()
        for session in [uuid.uuid4().hex for _ in range(10)]:
            queue_call(server.url, "restore", [flood(10_000, answer="ответ " * 100)], session)
            queue_call(server.url, "chat", ["а почта?", [], None], session)
        for thread in threads:
            thread.join()
        after.append(server.resident_mb())
    assert after[2] <= 1.10 * after[0], f"RSS after each round: {after} MB"


def test_a_malformed_request_costs_the_log_a_line_not_megabytes(server: Server) -> None:
    before = server.log.stat().st_size
    bogus = [{"role": "bogus", "content": 5}] * 20_000  # ~600 KB, under the body limit
    for data in (["телефон озон", bogus, None], [["не", "текст"] * 1000, bogus, bogus]):
        queue_call(server.url, "chat", data, uuid.uuid4().hex)
    assert server.log.stat().st_size - before < 20_000  # was: 4.5 MB of validation errors for two requests
    assert "200-00-00" in chat(Client(server.url, verbose=False), "телефон пункта выдачи Боровик в Казани")[0]
