"""Bounded polls: every wait has a deadline and says what it waited for."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol, TypeVar

T = TypeVar("T")


class Clock(Protocol):
    def monotonic(self) -> float: ...
    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


SYSTEM_CLOCK = SystemClock()


class WaitTimeout(Exception):
    def __init__(self, what: str, timeout: float, last: str) -> None:
        self.what = what
        self.timeout = timeout
        self.last = last
        super().__init__(f"{what}: not reached after {timeout:g} s (last seen: {last})")


def wait_until(
    probe: Callable[[], tuple[T | None, str]],
    *,
    what: str,
    timeout: float,
    interval: float = 1.0,
    clock: Clock = SYSTEM_CLOCK,
) -> T:
    """Call *probe* until it returns a value; it returns (value or None, what it saw)."""
    deadline = clock.monotonic() + timeout
    last = "nothing yet"
    while True:
        value, last = probe()
        if value is not None:
            return value
        if clock.monotonic() >= deadline:
            raise WaitTimeout(what, timeout, last)
        clock.sleep(interval)
