"""Run a drill's steps in order with deadlines; the clock is injected so tests run instantly."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..apply.wait import SYSTEM_CLOCK, Clock
from .base import Action, Expectation, Hold, Predicate, Step, StepResult


def _ask(predicate: Predicate) -> tuple[bool, str]:
    try:
        return predicate()
    except Exception as exc:
        return False, f"could not check: {exc}"


def expect(step: Expectation, clock: Clock) -> StepResult:
    started = clock.monotonic()
    while True:
        ok, seen = _ask(step.predicate)
        elapsed = clock.monotonic() - started
        if ok or elapsed >= step.within_s:
            return StepResult("expect", step.description, ok, elapsed, step.within_s, seen)
        clock.sleep(step.interval_s)


def hold(step: Hold, clock: Clock) -> StepResult:
    started = clock.monotonic()
    while True:
        ok, seen = _ask(step.predicate)
        elapsed = clock.monotonic() - started
        if not ok or elapsed >= step.for_s:
            return StepResult("hold", step.description, ok, elapsed, step.for_s, seen)
        clock.sleep(step.interval_s)


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
