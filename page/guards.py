"""What stands between the open internet and the page: login throttling that cannot be walked around,
and limits on what a request may carry or ask the server to do. Plain ASGI and Starlette, no Gradio.

**Logins.** Gradio's login handler answers at once, so a script could try hundreds of passwords a
second. Each login (the chat's, the knowledge base's) checks its password through :class:`ThrottledLogin`,
which Gradio calls for every attempt whatever path reached it (``/kb/login`` and ``/kb/login/`` alike),
and which counts failures per login and per client: a success of one login (an open chat's ``/login``
answers every attempt as one) never clears another's failures. While a client must wait, its attempts
are not even compared with the password; :class:`Guard` answers them 429 with the wait before they
reach Gradio. The client is the address of the peer that connected: a forwarded header is believed only
from a proxy named in ``HOTLINE_TRUSTED_PROXIES`` (uvicorn believed ``X-Forwarded-For`` from loopback,
so a rotating header was a new client per guess: ~55 000 guesses a minute against 7).

**Requests.** :class:`Guard` also refuses what the page never needs: a request body over
:data:`MAX_BODY_BYTES` (the chat sends a question and its bounded conversation; a 10 000-message
request had written 2 MB of traceback to the log), any upload to the chat (it takes no files, and
Gradio kept whatever was sent there, 50 MB at a time, served back to anyone), and Gradio's
``/file=<url>``, which would fetch any public address for an anonymous user.
"""

from __future__ import annotations

import contextvars
import hmac
import re
from pathlib import Path
from typing import Any

from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from page.throttle import LoginThrottle

MAX_BODY_BYTES = 1_000_000  # a question of 20 000 characters and 40 messages of an answer card fit many times
UPLOAD_OVERHEAD = 64_000  # a multipart form's headers and boundaries around an uploaded article
UPLOAD = "/gradio_api/upload"
FETCH = re.compile(r"/gradio_api/file=\s*https?:", re.IGNORECASE)

# The address of the peer the current request came from, set by Guard for the login check below.
peer: contextvars.ContextVar[str] = contextvars.ContextVar("peer", default="?")

# Gradio keeps every file it received or served (uploads, feedback exports) until it restarts: each hour,
# files older than an hour go (each page's Blocks take it as ``delete_cache``).
CACHE_EXPIRY = (3600, 3600)


class ThrottledLogin:
    """One login's password check, as Gradio's ``auth`` callable: ``(user, password) -> bool``."""

    def __init__(self, name: str, credentials: tuple[str, str], throttle: LoginThrottle) -> None:
        self.name, self.credentials, self.throttle = name, credentials, throttle

    def key(self) -> str:
        return f"{self.name} {peer.get()}"

    def __call__(self, user: str, password: str) -> bool:
        key = self.key()
        if self.throttle.wait(key) > 0:
            return False  # not heard: the password is not compared while the client waits
        expected_user, expected_password = self.credentials
        right = hmac.compare_digest(user.encode(), expected_user.encode()) & hmac.compare_digest(
            password.encode(), expected_password.encode()
        )
        if right:
            self.throttle.succeeded(key)
        else:
            self.throttle.failed(key)
        return bool(right)


def received(file: Path, folder: str | Path) -> bool:
    """Whether ``file`` is one Gradio received (it lies in its upload ``folder``). An event's data may
    name any path on the server as a file (``{"path": "/etc/…"}``), and Gradio hands it on as given: the
    knowledge base had published such a file to every chat user."""
    try:
        return file.resolve(strict=True).is_relative_to(Path(folder).resolve())
    except (OSError, RuntimeError):
        return False


class Guard:
    """ASGI middleware in front of both apps. Plain ASGI rather than FastAPI's ``@app.middleware``: that
    wraps every response, the chat's event streams included, and measurably slowed answers; this one
    passes a request on untouched (a body without a declared length is read first, up to its limit)."""

    def __init__(
        self,
        app: ASGIApp,
        logins: dict[str, ThrottledLogin],
        uploads: str | None,
        upload_bytes: int,
        wait_text: str,
    ) -> None:
        """``logins``: the login of each mount path ("" the chat, "/kb"); ``uploads``: the one mount path
        whose upload route is open (None: none is), for files of up to ``upload_bytes``; ``wait_text``:
        what a throttled client is told, with ``{seconds}`` for the wait."""
        self.app, self.logins, self.wait_text = app, logins, wait_text
        self.upload_route = None if uploads is None else uploads + UPLOAD
        self.upload_limit = upload_bytes + UPLOAD_OVERHEAD

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        peer.set(scope["client"][0] if scope.get("client") else "?")
        refusal = self._refusal(scope["method"], scope["path"])
        if refusal is None and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            limit = self.upload_limit if scope["path"] == self.upload_route else MAX_BODY_BYTES
            declared = dict(scope["headers"]).get(b"content-length")
            if declared is None:  # streamed in chunks: read it here, up to the limit
                body = await _body(receive, limit)
                if body is None:
                    refusal = PlainTextResponse("hotline: request too large", status_code=413)
                else:
                    receive = _replay(body, receive)
            elif not declared.isdigit() or int(declared) > limit:  # the server holds a body to its length
                refusal = PlainTextResponse("hotline: request too large", status_code=413)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _refusal(self, method: str, path: str) -> Response | None:
        if FETCH.search(path):
            return PlainTextResponse("hotline: this page fetches no addresses", status_code=403)
        if method == "POST" and path.rstrip("/").endswith(UPLOAD) and path != self.upload_route:
            return PlainTextResponse("hotline: the chat takes no files", status_code=403)
        if method == "POST" and path.rstrip("/").endswith("/login"):
            login = self.logins.get(path.rstrip("/").removesuffix("/login"))
            if login is not None and (wait := login.throttle.wait(login.key())) > 0:
                seconds = int(wait) + 1
                headers = {"Retry-After": str(seconds)}
                return JSONResponse(
                    {"detail": self.wait_text.format(seconds=seconds)}, status_code=429, headers=headers
                )
        return None


async def _body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None once it passes ``limit`` bytes."""
    parts, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        parts.append(message.get("body", b""))
        size += len(parts[-1])
        if size > limit:
            return None
        more = message.get("more_body", False)
    return b"".join(parts)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app a body already read, then what the server's own gives (a
    disconnect)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def checks_paths(blocks: Any) -> None:
    """Gradio checks that a file an event's data names was uploaded (and that a file a handler returns
    lies in the working or temporary directory) only for an app it launched itself: a mounted one takes
    any server path as a file, and the knowledge base published ``/etc/…``-style files that way. Its flag
    for "launched" is what turns the checks on; the upload handler checks the folder itself as well."""
    blocks.has_launched = True
