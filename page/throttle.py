"""Slowing down password guessing: each client may fail a login a few times, then waits longer each time.

Gradio's login answers every attempt at once, so a script can try hundreds of passwords a second. The
page puts this in front of every ``…/login`` (the chat's, if it has one, and the knowledge base's): after
``free`` failures from one client, each further failure locks that client out for twice as long as the
last (1 s, 2 s, 4 s … up to ``longest``); a success, or ``forget`` seconds without a failure, clears it.
A client is its address as the server sees it; behind a reverse proxy that is the proxy's, so all users
share one counter (the README says so): slower for everyone, never faster for a guesser.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Record:
    failures: int = 0
    locked_until: float = 0.0
    last_failure: float = 0.0


class LoginThrottle:
    def __init__(
        self,
        free: int = 5,
        longest: float = 300.0,
        forget: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free, self.longest, self.forget, self.clock = free, longest, forget, clock
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Seconds ``client`` must still wait before its next attempt is heard (0: now)."""
        with self._lock:
            record = self._fresh(client)
            return max(0.0, record.locked_until - self.clock()) if record else 0.0

    def failed(self, client: str) -> None:
        with self._lock:
            now = self.clock()
            record = self._fresh(client) or self._records.setdefault(client, _Record())
            record.failures += 1
            record.last_failure = now
            beyond = record.failures - self.free
            if beyond > 0:
                record.locked_until = now + min(self.longest, 2.0 ** (beyond - 1))
            if len(self._records) > 10_000:  # a flood of addresses must not grow memory for ever
                self._records = {c: r for c, r in self._records.items() if now - r.last_failure < self.forget}

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._records.pop(client, None)

    def _fresh(self, client: str) -> _Record | None:
        record = self._records.get(client)
        if record is not None and self.clock() - record.last_failure >= self.forget:
            del self._records[client]
            return None
        return record
