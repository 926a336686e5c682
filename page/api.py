"""``/api/v1``: hotline for other front-ends (a support site's widget, a messenger bot), on the page's own
server, described by FastAPI's OpenAPI schema at ``/api/docs`` (Swagger UI served from the
``swagger-ui-bundle`` wheel: the page makes no call to a CDN).

- ``POST /api/v1/answer``: ``{"question": …, "history": [{"question": …, "answer": …}]}`` → the Answer
  as JSON: its text (with the list of sources) and body, ``answered``, each fact with whose it is and
  the citation it comes from, each citation with its source URLs and date.
- ``POST /api/v1/answer/stream``: the same question as server-sent events, for a widget that shows the
  answer as it is composed: ``partial`` events (``{"body": …}``, the whole body so far, already checked
  against the sources) and one ``answer`` event (the JSON above) last; ``error`` (``{"detail": …}``) if
  the index cannot be read mid-answer. Without a language model the body comes a paragraph at a time.
- ``GET /api/v1/organizations``: the registry (each organisation with its id, aliases, articles).
- ``GET /api/v1/health``: the index in figures; 503 while it cannot be read.

The same limits as the chat: a login when ``HOTLINE_AUTH`` is set (HTTP Basic here, the chat's own
throttle per client), a request body of at most :data:`page.guards.MAX_BODY_BYTES` (the Guard in front of
every route answers 413 above it), a question of at most :data:`QUESTION_CHARS` (413), and at most
``HOTLINE_CONCURRENCY`` answers at once, the others waiting their turn as the page's queue makes them.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Any

import anyio
from fastapi import APIRouter, Depends, FastAPI, HTTPException, status
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, StreamingResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from hotline import HotlineError
from hotline.answer import Answer, Turn
from hotline.pipeline import Hotline, Partial
from page.guards import ThrottledLogin
from page.render import WEB_ADDRESS

PREFIX = "/api/v1"
QUESTION_CHARS = 20_000  # the longest question taken; the reader reads 2 000 of it (hotline.language.excerpt)
HISTORY_TURNS = 20  # a follow-up reads the last few (hotline.pipeline.FOLLOW_UP_TURNS); more is refused


class PastTurn(BaseModel):
    question: str = Field(max_length=QUESTION_CHARS)
    answer: str = Field(max_length=5 * QUESTION_CHARS)


class Asked(BaseModel):
    question: str = Field(description="The question, as a person wrote it (Russian or English).")
    history: list[PastTurn] = Field(
        default_factory=list, max_length=HISTORY_TURNS, description="The conversation so far, oldest first."
    )


class FactOut(BaseModel):
    kind: str = Field(description="phone, email, address, hours, authority or law")
    value: str = Field(description="as the source writes it")
    normalized: str = Field(description="E.164 for a phone, lower case for an e-mail")
    owner: str = Field(description="the organisation whose fact it is, as the registry names it")
    citation: int = Field(description="the n of the citation it is quoted from")


class CitationOut(BaseModel):
    n: int
    article: str
    title: str
    section: str
    quote: str
    source: str = Field(description="the article's source note, as written")
    urls: list[str] = Field(description="the http(s) addresses in the source note")
    updated: str = Field(description="the article's date (YYYY-MM-DD), or empty")


class AnswerOut(BaseModel):
    answered: bool = Field(description="false when the sources do not hold the answer (the text says so)")
    text: str = Field(description="the answer with its list of sources, as the command line prints it")
    body: str = Field(description="the answer without the list of sources, with its [n] marks")
    standalone: str = Field(description="the question as it was read (a follow-up made standalone)")
    facts: list[FactOut]
    citations: list[CitationOut]


class OrganizationOut(BaseModel):
    id: str
    name: str
    aliases: list[str]
    articles: list[str]
    chunks: int


class HealthOut(BaseModel):
    status: str
    articles: int
    chunks: int
    committed_at: str


def answer_out(answer: Answer) -> AnswerOut:
    """An Answer as the API's JSON: each fact with its owner (the organisation of the passage it is
    quoted from) and its citation's number."""
    owners = {p.id: p.organization for p in answer.passages}
    cited = {c.passage_id: c.n for c in answer.citations}
    return AnswerOut(
        answered=answer.answered,
        text=answer.text,
        body=answer.body,
        standalone=answer.query,
        facts=[
            FactOut(
                kind=f.kind,
                value=f.value,
                normalized=f.normalized,
                owner=owners.get(f.passage_id, ""),
                citation=cited.get(f.passage_id, 0),
            )
            for f in answer.facts
        ],
        citations=[
            CitationOut(
                n=c.n,
                article=c.article,
                title=c.title,
                section=c.section,
                quote=c.quote,
                source=c.source,
                urls=WEB_ADDRESS.findall(c.source),
                updated=c.updated,
            )
            for c in answer.citations
        ],
    )


def add_api(app: FastAPI, bot: Hotline, login: ThrottledLogin | None, concurrency: int) -> None:
    """The API's routes and its docs on ``app`` (before the page is mounted at "/", which would take
    every path)."""
    limiter = anyio.CapacityLimiter(concurrency)
    router = APIRouter(prefix=PREFIX, dependencies=[Depends(_authorised(login))], tags=["hotline"])

    @router.post("/answer", response_model=AnswerOut, responses={413: {"description": "question too long"}})
    async def answer(asked: Asked) -> AnswerOut:
        reply = await _run(limiter, partial(bot.ask, *_read(asked)))
        return answer_out(reply)

    stream_doc: dict[int | str, dict[str, Any]] = {
        200: {
            "description": "events `partial` ({body}), then one `answer` (as /answer returns it); `error` ({detail})",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        },
        413: {"description": "question too long"},
    }

    @router.post("/answer/stream", response_class=StreamingResponse, responses=stream_doc)
    async def answer_stream(asked: Asked) -> StreamingResponse:
        events = bot.stream(*_read(asked))

        async def sent() -> AsyncIterator[str]:
            # One of the limiter's places for the whole answer, as /answer takes; each step of the
            # composition in a worker thread, so the event loop serves others meanwhile.
            async with limiter:
                try:
                    while (event := await anyio.to_thread.run_sync(next, events, None)) is not None:
                        if isinstance(event, Partial):
                            yield _event("partial", {"body": event.text})
                        else:
                            yield _event("answer", answer_out(event).model_dump())
                except HotlineError as exc:
                    yield _event("error", {"detail": str(exc)})

        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}  # nginx would hold the events back
        return StreamingResponse(sent(), media_type="text/event-stream", headers=headers)

    @router.get("/organizations", response_model=list[OrganizationOut])
    async def organizations() -> list[OrganizationOut]:
        records = await _run(limiter, lambda: bot.index().registry)  # built once a snapshot, off the event loop
        return [
            OrganizationOut(id=r.id, name=r.name, aliases=list(r.aliases), articles=list(r.articles), chunks=r.chunks)
            for r in records
        ]

    @router.get("/health", response_model=HealthOut, responses={503: {"description": "the index cannot be read"}})
    async def health() -> HealthOut:
        stats = await _run(limiter, bot.stats)
        return HealthOut(status="ok", articles=stats.articles, chunks=stats.chunks, committed_at=stats.committed_at)

    app.include_router(router)
    # The wheel's Swagger UI (4.x) renders OpenAPI 3.0 only; the schema uses nothing of 3.1 it cannot read.
    app.openapi_version = "3.0.3"
    docs = "/api/docs/static"
    app.mount(docs, StaticFiles(directory=_swagger_files()), name="api-docs-static")

    @app.get("/api/docs", include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/api/openapi.json",
            title="hotline API",
            swagger_js_url=f"{docs}/swagger-ui-bundle.js",
            swagger_css_url=f"{docs}/swagger-ui.css",
            swagger_favicon_url=f"{docs}/favicon-32x32.png",
        )


async def _run(limiter: anyio.CapacityLimiter, call: Callable[[], Any]) -> Any:
    """``call`` in a worker thread, at most the limiter's number at once; a store that cannot be read is
    503, not a traceback."""
    try:
        return await anyio.to_thread.run_sync(call, limiter=limiter)
    except HotlineError as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc)) from None


def _read(asked: Asked) -> tuple[str, list[Turn]]:
    """(the question, the conversation before it), both routes' one reading of a request; a question over
    :data:`QUESTION_CHARS` is 413."""
    if len(asked.question) > QUESTION_CHARS:
        raise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, f"question over {QUESTION_CHARS} characters")
    return asked.question, [Turn(t.question, t.answer) for t in asked.history]


def _event(name: str, data: object) -> str:
    """One server-sent event: its name and its data as one line of JSON."""
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _authorised(login: ThrottledLogin | None) -> Callable[..., Any]:
    """The chat's login as HTTP Basic (none when the chat is open), checked through its throttle."""
    basic = HTTPBasic(auto_error=False, realm="hotline")

    # Depends as a default, not in Annotated: this module's annotations are strings, and ``basic`` is local.
    def check(credentials: HTTPBasicCredentials | None = Depends(basic)) -> None:  # noqa: B008
        if login is None:
            return
        if (wait := login.throttle.wait(login.key())) > 0:
            seconds = str(int(wait) + 1)
            raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, "too many failed logins", {"Retry-After": seconds})
        if credentials is None or not login(credentials.username, credentials.password):  # none sent: no guess
            challenge = {"WWW-Authenticate": 'Basic realm="hotline"'}
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "login required", challenge)

    return check


def _swagger_files() -> str:
    from swagger_ui_bundle import swagger_ui_path  # the wheel's Swagger UI, for /api/docs

    return str(swagger_ui_path)
