"""The page's guards as pure ASGI logic (the real server's behaviour is in test_abuse): what a request may
carry, which uploads are taken, and login throttling per login and client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from hotline import Settings
from page.guards import MAX_BODY_BYTES, Guard, ThrottledLogin, peer, received
from page.throttle import LoginThrottle


async def echo(request: Request) -> PlainTextResponse:
    return PlainTextResponse(str(len(await request.body())))


def guarded(throttle: LoginThrottle | None = None) -> TestClient:
    throttle = throttle or LoginThrottle()
    logins = {"/kb": ThrottledLogin("kb", ("boss", "secret"), throttle)}
    routes = [Route(path, echo, methods=["GET", "POST"]) for path in ("/{rest:path}",)]
    app = Guard(Starlette(routes=routes), logins, "/kb", 1000, "wait {seconds}")
    return TestClient(app)


def test_a_body_over_the_limit_is_refused_whether_or_not_it_declares_its_length() -> None:
    client = guarded()
    assert client.post("/gradio_api/queue/join", content=b"x" * 1000).text == "1000"
    assert client.post("/gradio_api/queue/join", content=b"x" * (MAX_BODY_BYTES + 1)).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the body is counted as it comes
        for _ in range(MAX_BODY_BYTES // 10_000 + 2):
            yield b"x" * 10_000

    assert client.post("/gradio_api/queue/join", content=chunks()).status_code == 413
    assert client.post("/gradio_api/queue/join", content=iter([b"abc", b"de"])).text == "5"


def test_only_the_knowledge_base_takes_uploads_and_only_up_to_an_articles_size() -> None:
    client = guarded()
    assert client.post("/gradio_api/upload", content=b"x").status_code == 403
    assert client.post("/gradio_api/upload/", content=b"x").status_code == 403
    assert client.post("/kb/gradio_api/upload", content=b"x" * 2000).text == "2000"
    assert client.post("/kb/gradio_api/upload", content=b"x" * 100_000).status_code == 413


def test_no_address_is_fetched_for_anyone() -> None:
    client = guarded()
    for path in ("/gradio_api/file=https://example.org/", "/kb/gradio_api/file=HTTP://x", "/gradio_api/file= http:x"):
        assert client.get(path).status_code == 403
    assert client.get("/gradio_api/file=/tmp/gradio/abc/kazan.md").status_code == 200


def test_a_login_is_counted_per_login_and_client_and_a_locked_one_is_not_heard() -> None:
    throttle = LoginThrottle(free=2)
    kb, chat = ThrottledLogin("kb", ("boss", "secret"), throttle), ThrottledLogin("chat", ("a", "b"), throttle)
    peer.set("10.0.0.1")
    assert not kb("boss", "guess1") and not kb("boss", "guess2") and not kb("boss", "guess3")
    assert chat("a", "b")  # another login's success clears nothing of this one's
    assert not kb("boss", "secret")  # locked: even the right password is not compared
    peer.set("10.0.0.2")
    assert kb("boss", "secret")  # another client is not slowed
    client = guarded(throttle)
    response = client.post("/kb/login/", data={"username": "boss", "password": "x"})  # the client here: "testclient"
    assert response.status_code == 200  # not locked, passed on


def test_a_locked_client_is_told_how_long_to_wait_on_any_spelling_of_the_login() -> None:
    throttle = LoginThrottle(free=0)
    ThrottledLogin("kb", ("boss", "secret"), throttle).throttle.failed("kb testclient")
    client = guarded(throttle)
    for path in ("/kb/login", "/kb/login/", "/kb/login//"):
        refused = client.post(path, data={"username": "boss", "password": "secret"})
        assert refused.status_code == 429 and refused.json()["detail"] == "wait 1" and refused.headers["Retry-After"]
    assert client.post("/login", data={}).status_code == 200  # the chat's login is another one


def test_only_a_file_in_gradios_upload_folder_counts_as_uploaded(tmp_path: Path) -> None:
    folder, outside = tmp_path / "gradio", tmp_path / "notes.md"
    (folder / "abc").mkdir(parents=True)
    (folder / "abc" / "kazan.md").write_text("x")
    outside.write_text("x")
    (folder / "abc" / "link.md").symlink_to(outside)
    assert received(folder / "abc" / "kazan.md", folder)
    assert not received(outside, folder)
    assert not received(folder / "abc" / "link.md", folder)  # a link out of it is the file it points to
    assert not received(folder / "abc" / ".." / ".." / "notes.md", folder)
    assert not received(folder / "missing.md", folder)


def test_trusted_proxies_are_addresses_or_networks() -> None:
    assert Settings(_env_file=None, trusted_proxies=" 10.0.0.0/8, 127.0.0.1 ").trusted_proxies == "10.0.0.0/8,127.0.0.1"  # type: ignore[call-arg]
    assert Settings(_env_file=None, trusted_proxies=" ").trusted_proxies is None  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match=r"proxy\.example"):
        Settings(_env_file=None, trusted_proxies="proxy.example")  # type: ignore[call-arg]
