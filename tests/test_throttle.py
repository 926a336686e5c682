"""The login throttle's rules, on a hand-driven clock (pure logic; the page's use of it is in test_app)."""

from __future__ import annotations

from page.throttle import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_few_failures_are_free_then_each_waits_twice_as_long() -> None:
    clock = Clock()
    throttle = LoginThrottle(free=3, longest=60, clock=clock)
    for _ in range(3):
        throttle.failed("10.0.0.1")
        assert throttle.wait("10.0.0.1") == 0
    waits = []
    for _ in range(8):
        throttle.failed("10.0.0.1")
        waits.append(throttle.wait("10.0.0.1"))
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60]
    assert throttle.wait("10.0.0.2") == 0  # another client is not slowed
    clock.now += 60
    assert throttle.wait("10.0.0.1") == 0


def test_a_success_or_a_quiet_spell_clears_the_count() -> None:
    clock = Clock()
    throttle = LoginThrottle(free=1, forget=900, clock=clock)
    throttle.failed("a")
    throttle.failed("a")
    assert throttle.wait("a") == 1
    throttle.succeeded("a")
    assert throttle.wait("a") == 0
    throttle.failed("b")
    throttle.failed("b")
    clock.now += 901
    throttle.failed("b")
    assert throttle.wait("b") == 0  # the earlier failures were forgotten
