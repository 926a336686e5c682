"""The HTTP API for other front-ends, called with httpx against the real server (issue 26, point 2)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from hotline.language.phones import normalize_phone

from .conftest import Server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api(page_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=page_server.url + "api/v1/", timeout=60) as client:
        yield client


def test_an_answer_comes_with_its_facts_owners_and_sources(api: httpx.Client) -> None:
    reply = api.post("answer", json={"question": "Какой телефон Озона для Санкт-Петербурга?"})
    assert reply.status_code == 200, reply.text
    answer = reply.json()
    assert answer["answered"] and "494-06-06" in answer["body"] and "Источники:" in answer["text"]
    spb = [f for f in answer["facts"] if f["normalized"] == normalize_phone("+7 (812) 494-06-06")]
    assert spb and spb[0]["kind"] == "phone" and spb[0]["owner"] == "Ozon"
    cited = {c["n"]: c for c in answer["citations"]}
    assert spb[0]["citation"] in cited and cited[spb[0]["citation"]]["updated"]


def test_a_follow_up_reads_the_history_and_an_uncovered_question_is_declined(api: httpx.Client) -> None:
    history = [{"question": "Какой телефон Озона для Москвы?", "answer": "Для Москвы: +7 495 730-67-67 [1]."}]
    follow_up = api.post("answer", json={"question": "а для Питера?", "history": history}).json()
    assert normalize_phone("+7 (812) 494-06-06") in {f["normalized"] for f in follow_up["facts"]}
    declined = api.post("answer", json={"question": "Какой телефон у МТС?"}).json()
    assert not declined["answered"] and declined["facts"] == []


def test_bad_requests_are_refused_with_their_status(api: httpx.Client) -> None:
    assert api.post("answer", json={"question": "ы" * 20_001}).status_code == 413
    assert api.post("answer", content=b"x" * 2_000_000, headers={"content-type": "application/json"}).status_code == 413
    assert api.post("answer", json={"history": []}).status_code == 422  # no question
    assert api.post("answer", content=b"{not json", headers={"content-type": "application/json"}).status_code == 422


def test_organizations_health_and_the_schema(api: httpx.Client, page_server: Server) -> None:
    organizations = api.get("organizations").json()
    assert any(o["name"] == "Ozon" and "ozon-claim.md" in o["articles"] for o in organizations)
    health = api.get("health").json()
    assert health["status"] == "ok" and health["articles"] >= 5 and health["chunks"] > 0
    schema = httpx.get(page_server.url + "api/openapi.json").json()
    assert {"/api/v1/answer", "/api/v1/answer/stream", "/api/v1/organizations", "/api/v1/health"} <= set(
        schema["paths"]
    )
    assert schema["openapi"].startswith("3.0")  # what the wheel's Swagger UI renders (it refused 3.1)
    docs = httpx.get(page_server.url + "api/docs")
    assert docs.status_code == 200 and "/api/docs/static/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert httpx.get(page_server.url + "api/docs/static/swagger-ui-bundle.js").status_code == 200


def events_of(response: httpx.Response) -> list[tuple[str, dict]]:
    """The server-sent events of ``response``, each (its name, its data read as JSON)."""
    events, name = [], ""
    for line in response.iter_lines():
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            events.append((name, json.loads(line.removeprefix("data: "))))
    return events


def test_the_answer_streams_as_server_sent_events_and_ends_as_the_answer_does(api: httpx.Client) -> None:
    question = {"question": "Как вернуть товар в Озон и какой телефон поддержки?"}
    with api.stream("POST", "answer/stream", json=question) as response:
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
        events = events_of(response)
    *partials, (last, answer) = events
    assert last == "answer" and partials and all(name == "partial" for name, _ in partials)
    assert all(answer["body"].startswith(data["body"]) for _, data in partials)  # each the body so far
    whole = api.post("answer", json=question).json()
    assert answer == whole  # the last event is what /answer returns
    with api.stream("POST", "answer/stream", json={"question": "ы" * 20_001}) as refused:
        assert refused.status_code == 413
