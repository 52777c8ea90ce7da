"""Run a drill's steps in order with deadlines; the clock is injected so tests run instantly."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..wait import SYSTEM_CLOCK, Clock, WaitTimeout, wait_until
from .base import Action, Expectation, Hold, Predicate, Step, StepResult


def _ask(predicate: Predicate) -> tuple[bool, str]:
    try:
        return predicate()
    except Exception as exc:
        return False, f"could not check: {exc}"


def _poll(
    predicate: Predicate, stop_at: bool, what: str, limit: float, interval: float, clock: Clock
) -> tuple[bool, str]:
    """Ask *predicate* until it answers *stop_at* or *limit* seconds pass: (last answer, seen)."""

    def probe() -> tuple[str | None, str]:
        ok, seen = _ask(predicate)
        return (seen if bool(ok) is stop_at else None), seen

    try:
        return stop_at, wait_until(probe, what=what, timeout=limit, interval=interval, clock=clock)
    except WaitTimeout as timeout:
        return not stop_at, timeout.last


def expect(step: Expectation, clock: Clock) -> StepResult:
    started = clock.monotonic()
    ok, seen = _poll(step.predicate, True, step.description, step.within_s, step.interval_s, clock)
    elapsed = clock.monotonic() - started
    return StepResult("expect", step.description, ok, elapsed, step.within_s, seen)


def hold(step: Hold, clock: Clock) -> StepResult:
    started = clock.monotonic()
    ok, seen = _poll(step.predicate, False, step.description, step.for_s, step.interval_s, clock)
    elapsed = clock.monotonic() - started
    return StepResult("hold", step.description, ok, elapsed, step.for_s, seen)


def act(step: Action, clock: Clock) -> StepResult:
    started = clock.monotonic()
    try:
        said, ok = step.run(), True
    except Exception as exc:
        said, ok = f"failed: {exc}", False
    return StepResult("action", step.description, ok, clock.monotonic() - started, None, said)


def run_steps(
    steps: Sequence[Step],
    clock: Clock = SYSTEM_CLOCK,
    on_result: Callable[[StepResult], None] | None = None,
) -> list[StepResult]:
    """Every step in order; stop at the first one that fails (the later ones build on it)."""
    results: list[StepResult] = []
    for step in steps:
        if isinstance(step, Expectation):
            result = expect(step, clock)
        elif isinstance(step, Hold):
            result = hold(step, clock)
        else:
            result = act(step, clock)
        results.append(result)
        if on_result is not None:
            on_result(result)
        if not result.ok:
            break
    return results
