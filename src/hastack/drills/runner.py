"""The drill runner owns the safety rails.

1. Refuse a target that is not a lab unless the operator said ``--yes``.
2. Health gate: every check of ``hastack status`` ok, or refuse with the failing checks.
3. The drill's own preconditions.
4. Ledgers set up, the victim chosen, load started, a short baseline.
5. Inject, then the drill's steps with deadlines.
6. ``restore()`` in a ``finally`` - always. It only undoes the injection (power on what the
   drill powered off, heal the link, unmute the BMC); nothing here runs the deployer or a
   recovery command. The fault ends there (or at the injection, for a momentary fault).
7. Wait for full redundancy - every check of ``hastack status`` ok - and measure the time
   from the end of the fault: "healed in N s" beside the drill's target, or "did not heal
   within M s" with what stayed red, which fails the drill.
8. For drills that break what clients hold connections to, every kind's real client work
   must succeed again; then stop the load, verify the ledgers, and measure.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import time
from collections.abc import Callable

from .. import errors, kinds
from ..health.status import Status
from ..wait import SYSTEM_CLOCK, Clock, WaitTimeout, wait_until
from . import measure, traffic
from .base import Drill, StepResult
from .ledger import AmqpVerdict, SqlVerdict
from .probes import Probe
from .result import DrillResult, Predicted, ProbeResult
from .steps import run_steps
from .target import Target

log = logging.getLogger(__name__)

BASELINE_S = 3.0
TAIL_S = 3.0
HEAL_POLL_S = 3.0  # each look runs crm_mon and rabbitmqctl on every node: CPU the heal needs
MAX_S = 1800.0  # probes stop by themselves after this, whatever happens

Progress = Callable[[str], None]


def gate(target: Target, drill: Drill) -> None:
    reasons = drill.preconditions(target.plan, target)
    if reasons:
        raise errors.DrillAborted(f"drill {drill.name} cannot run here: " + "; ".join(reasons))
    report = target.health()
    bad = [r for r in report.results if r.status is not Status.OK]
    if bad:
        lines = "\n".join(f"  - {r.check} ({r.subject}): {r.message}" for r in bad)
        raise errors.DrillAborted(
            f"refusing to run drill {drill.name}: the deployment is not all green, and a "
            f"drill on a degraded cluster proves nothing. Failing checks:\n{lines}\n"
            "Fix them (see `hastack status`) and run the drill again."
        )


def refuse_non_lab(target: Target, yes: bool) -> None:
    if not target.is_lab and not yes:
        raise errors.DrillAborted(
            "this target is not a lab: a drill powers off nodes and kills services on "
            "purpose; pass --yes if you really mean to drill this deployment"
        )


@dataclasses.dataclass
class _Run:
    drill: Drill
    target: Target
    say: Progress
    clock: Clock = SYSTEM_CLOCK
    chosen: str = ""
    injected: str = ""
    steps: tuple[StepResult, ...] = ()
    restored: tuple[str, ...] = ()
    t_inject: float = 0.0
    t_injected: float | None = None  # when inject() returned: the fault is complete
    t_heal: float = 0.0  # restore() began
    t_fault_end: float | None = None  # the fault is over: restore() done, or the injection
    t_green: float | None = None
    not_green: tuple[str, ...] = ()
    turned_ok: dict[str, float | None] = dataclasses.field(default_factory=dict)
    error: str = ""


def run_drill(
    drill: Drill, target: Target, *, yes: bool = False, say: Progress = log.info
) -> DrillResult:
    refuse_non_lab(target, yes)
    gate(target, drill)
    started_at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    run_id, db, rabbit = traffic.prepare_ledgers(target)
    run = _Run(drill, target, say)
    try:
        run.chosen = drill.prepare(target)
        load = traffic.build(target, run_id, db, rabbit, drill.avoid(), MAX_S)
        load.prepare()
    except Exception:
        traffic.discard_ledgers(target, run_id, db, rabbit)
        raise
    say(f"{drill.name}: {run.chosen or 'ready'}; starting the load")
    load.start()
    try:
        time.sleep(BASELINE_S)
        _inject_and_expect(run)
    finally:
        restore(run)
        await_full_redundancy(run)
        _clients_recovered(run)
        time.sleep(TAIL_S)
        load.stop_load()
    say(f"{drill.name}: verifying the ledgers")
    sql, amqp = traffic.verify(load)
    return _result(run, load, started_at, sql, amqp)


def _inject_and_expect(run: _Run) -> None:
    run.target.cut_at = None
    run.t_inject = run.clock.monotonic()
    try:
        run.injected = run.drill.inject(run.target)
        run.t_injected = run.clock.monotonic()
        run.say(f"{run.drill.name}: injected: {run.injected}")
        results = run_steps(
            run.drill.expectations(run.target),
            on_result=lambda r: run.say(f"{run.drill.name}: {r.sentence}"),
        )
        run.steps = tuple(results)
    except errors.HastackError as exc:
        run.error = str(exc)
        run.say(f"{run.drill.name}: {exc}")


def restore(run: _Run) -> None:
    """Undo the injection - the drill's own restore, then anything the target still holds
    (a partial inject) - and nothing more; mark when the fault ended."""
    run.t_heal = run.clock.monotonic()
    said: list[str] = []
    for attempt in (run.drill.restore, lambda t: t.undo()):
        try:
            said += attempt(run.target)
        except Exception as exc:
            said.append(f"restore step failed: {exc}")
            run.error = run.error or f"restore failed: {exc}"
    run.restored = tuple(s for s in said if s)
    for line in run.restored:
        run.say(f"{run.drill.name}: restore: {line}")
    if run.drill.momentary and run.t_injected is not None:
        run.t_fault_end = run.t_injected
    else:
        run.t_fault_end = run.clock.monotonic()


def await_full_redundancy(run: _Run) -> None:
    """Poll ``hastack status`` until every check is ok, at most the drill's deadline after
    the fault ended; what stays red is kept for the verdict."""
    drill = run.drill
    ended = run.clock.monotonic() if run.t_fault_end is None else run.t_fault_end
    left = max(0.0, drill.heal_deadline_s - (run.clock.monotonic() - ended))
    run.say(
        f"{drill.name}: waiting for full redundancy with no deploy (target "
        f"{drill.heal_target_s:g} s, deadline {drill.heal_deadline_s:g} s)"
    )

    def probe() -> tuple[bool | None, str]:
        results = run.target.health().results
        seen_at = round(run.clock.monotonic() - ended, 3)
        for r in results:  # when each check that was red turned ok for good
            name = f"{r.check} ({r.subject})"
            if r.status is not Status.OK:
                run.turned_ok[name] = None
            elif name in run.turned_ok and run.turned_ok[name] is None:
                run.turned_ok[name] = seen_at
        bad = [r for r in results if r.status is not Status.OK]
        run.not_green = tuple(f"{r.check} ({r.subject}): {r.message}" for r in bad)
        return (True if not bad else None), "; ".join(run.not_green[:3])

    try:
        wait_until(probe, what="all green", timeout=left, interval=HEAL_POLL_S, clock=run.clock)
        run.t_green = run.clock.monotonic()
        run.not_green = ()
        run.say(f"{drill.name}: healed in {run.t_green - ended:.1f} s")
    except WaitTimeout:
        run.t_green = None
        run.say(f"{drill.name}: did not heal within {drill.heal_deadline_s:g} s")


def _clients_recovered(run: _Run) -> None:
    """Servers green is not clients working: for drills that break what clients hold
    connections to, every kind's real client work must succeed again."""
    if not run.drill.checks_clients or run.t_green is None:
        return
    target = run.target
    found = []
    for app, kind in sorted(target.plan.kinds.items()):
        check = kinds.service(kind).clients_recovered
        if check is None:
            continue
        started = run.clock.monotonic()
        try:
            seen, ok = check(target.plan, app, target.connectors, target.secrets), True
        except errors.HastackError as exc:
            seen, ok = str(exc), False
        took = run.clock.monotonic() - started
        step = StepResult("expect", f"clients of {app} work again", ok, took, None, seen)
        run.say(f"{run.drill.name}: {step.sentence}")
        found.append(step)
    run.steps += tuple(found)


def _result(
    run: _Run,
    load: traffic.Traffic,
    started_at: str,
    sql: SqlVerdict | None,
    amqp: AmqpVerdict | None,
) -> DrillResult:
    t0 = run.t_inject
    cut = run.target.cut_at
    cut_at = cut - t0 if cut is not None and cut >= t0 else None
    probes = tuple(_probe_result(p, t0, cut_at) for p in load.probes)
    samples = load.sampler.samples
    budget = measure.predicted(run.target.plan.budgets, run.drill.budget, _hint(run))
    return DrillResult(
        drill=run.drill.name,
        description=run.drill.description,
        profile=run.target.plan.profile.name.value,
        started_at=started_at,
        chosen=run.chosen,
        injected=run.injected,
        injected_in=None if run.t_injected is None else round(run.t_injected - t0, 3),
        steps=run.steps,
        restored=run.restored,
        heal_at=round(run.t_heal - t0, 3),
        fault_end_at=None if run.t_fault_end is None else round(run.t_fault_end - t0, 3),
        green_at=None if run.t_green is None else round(run.t_green - t0, 3),
        heal_target_s=run.drill.heal_target_s,
        heal_deadline_s=run.drill.heal_deadline_s,
        probes=probes,
        max_holders=measure.max_holders(samples),
        split_brain=tuple(
            (round(t - t0, 3), v, h) for t, v, h in measure.split_brain_samples(samples)
        ),
        sql=sql,
        amqp=amqp,
        primary=run.drill.primary,
        predicted=None
        if budget is None
        else Predicted(
            budget.scenario,
            budget.subject,
            budget.seconds,
            tuple((i.label, i.seconds) for i in budget.items),
            budget.note,
        ),
        not_green=run.not_green,
        healed=tuple(
            sorted(
                ((name, at) for name, at in run.turned_ok.items() if at is not None),
                key=lambda item: (-item[1], item[0]),
            )
        ),
        error=run.error,
        moved_vips=run.drill.moved_vips(),
    )


def _probe_result(probe: Probe, t0: float, cut_at: float | None = None) -> ProbeResult:
    """*probe*'s attempts on the drill's clock (0: the injection began), measured; a
    power-off cut the links at *cut_at*."""
    attempts = [dataclasses.replace(a, t=round(a.t - t0, 3)) for a in probe.attempts]
    return ProbeResult(
        probe.probe_name,
        probe.kind,
        probe.target,
        probe.rate,
        measure.measure_probe(attempts, cut_at=cut_at),
        tuple(measure.segments(attempts)),
        measure.error_counts(attempts),
    )


def _hint(run: _Run) -> str:
    if run.drill.primary == "sql":
        return "mysql"
    vips = run.target.vip_addresses()
    return run.drill.budget_subject() or (vips[0] if vips else "")
