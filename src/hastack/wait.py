"""Bounded polls: every wait has a deadline and says what it waited for.

``wait_until`` is hastack's one wait loop: the deployer's, the lab's and the drills'. Its
timeout is a ``DeployError`` (a ``HastackError``), so a wait that does not converge ends in
one paragraph and exit 1, never in "internal error". A caller for whom the deadline is an
answer rather than a failure (a drill step, a process that may be killed next) catches
``WaitTimeout``; the clock is injected so tests of those waits take no time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol, TypeVar

from .errors import DeployError

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


class ManualClock:
    """A clock that moves only when slept on, so a wait in a test takes no time."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


# What an operator does when a deploy step does not converge, unless the caller knows better.
NEXT_STEP = "see which check fails with `hastack status`, fix it, then run the command again"


class WaitTimeout(DeployError):
    """A wait ran out of time: what was awaited, for how long, what was last seen, what next."""

    def __init__(self, what: str, timeout: float, last: str, next_step: str = NEXT_STEP) -> None:
        self.what = what
        self.timeout = timeout
        self.last = last
        super().__init__(
            f"{what}: not reached after {timeout:g} s (last seen: {last}); {next_step}"
        )


def wait_until(
    probe: Callable[[], tuple[T | None, str]],
    *,
    what: str,
    timeout: float,
    interval: float = 1.0,
    clock: Clock = SYSTEM_CLOCK,
    next_step: str = NEXT_STEP,
) -> T:
    """Call *probe* until it returns a value; it returns (value or None, what it saw).

    Past *timeout* raise ``WaitTimeout`` naming *what*, the last thing seen and *next_step*.
    """
    deadline = clock.monotonic() + timeout
    last = "nothing yet"
    while True:
        value, last = probe()
        if value is not None:
            return value
        if clock.monotonic() >= deadline:
            raise WaitTimeout(what, timeout, last, next_step)
        clock.sleep(interval)
