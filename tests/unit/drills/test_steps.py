"""Drill steps with an injected clock: deadlines, holds and actions, instantly."""

from __future__ import annotations

from hastack.drills.base import Action, Expectation, Hold
from hastack.drills.steps import run_steps
from hastack.wait import ManualClock


def after(clock: ManualClock, seconds: float, seen: str = "VIP on dr-2"):  # type: ignore[no-untyped-def]
    start = clock.now
    return lambda: (clock.now - start >= seconds, seen)


def test_an_expectation_reports_when_it_was_met() -> None:
    clock = ManualClock(now=100.0)
    step = Expectation("VIP held by a survivor", after(clock, 4.0), within_s=60, interval_s=0.5)
    [result] = run_steps([step], clock)
    assert result.ok
    assert result.after_s == 4.0
    assert result.sentence == "VIP held by a survivor: after 4.0 s (limit 60 s); VIP on dr-2"


def test_an_expectation_gives_up_at_its_deadline_and_later_steps_do_not_run() -> None:
    clock = ManualClock(now=100.0)
    ran: list[str] = []
    steps = [
        Expectation("never", lambda: (False, "nobody"), within_s=10, interval_s=1.0),
        Action("next", lambda: ran.append("next") or "done"),
    ]
    results = run_steps(steps, clock)
    assert [r.ok for r in results] == [False]
    assert results[0].after_s == 10.0
    assert results[0].sentence == "never: NOT reached (limit 10 s); nobody"
    assert ran == []


def test_a_hold_fails_at_the_first_miss() -> None:
    clock = ManualClock(now=100.0)
    step = Hold("no second holder", lambda: (clock.now < 103, "held by dr-1"), for_s=20)
    [result] = run_steps([step], clock)
    assert not result.ok
    assert result.after_s == 3.0
    assert result.sentence.startswith("no second holder: broke after 3.0 s (limit 20 s)")


def test_a_hold_that_holds_lasts_its_time_then_the_next_step_runs() -> None:
    clock = ManualClock(now=100.0)
    steps = [
        Hold("stays", lambda: (True, "ok"), for_s=5, interval_s=1.0),
        Action("unmute", lambda: "the BMC answers again"),
    ]
    results = run_steps(steps, clock)
    assert [r.ok for r in results] == [True, True]
    assert results[0].after_s == 5.0
    assert results[1].sentence == "unmute: the BMC answers again (0.0 s)"


def test_a_predicate_that_raises_has_not_seen_it_yet() -> None:
    clock = ManualClock(now=100.0)

    def broken() -> tuple[bool, str]:
        raise OSError("node is off")

    [result] = run_steps([Expectation("x", broken, within_s=1, interval_s=0.5)], clock)
    assert not result.ok
    assert result.seen == "could not check: node is off"


def test_a_failing_action_stops_the_drill() -> None:
    def fail() -> str:
        raise RuntimeError("no running node")

    [result] = run_steps([Action("standby", fail)], ManualClock(now=100.0))
    assert not result.ok
    assert result.seen == "failed: no running node"
