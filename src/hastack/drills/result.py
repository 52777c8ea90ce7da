"""What one drill run found: data only, with the verdict and its reasons as sentences.

Times are seconds relative to the injection (negative: before it).

Healing is judged from the end of the fault (``fault_end_at``: restore done, or the
injection for a momentary fault) to full redundancy (``green_at``: every check of
``hastack status`` ok), with no deploy in between: "healed in N s" beside the drill's target,
or "did not heal within M s" with what stayed red - which fails the drill. The target is
shown, not enforced: timings belong in benchmarks.

A prediction is a claim too: when the plan's budget says a failure costs no outage (a dead
HAProxy backend: "failed connections are retried on another server"), every request through
an HAProxy frontend (the TCP and HTTP probes) must have succeeded, or the drill reports
the miss. The SQL and AMQP ledgers answer to Galera's and RabbitMQ's own budgets.
"""

from __future__ import annotations

import dataclasses
import urllib.parse
from typing import Any

from .base import StepResult
from .ledger import AmqpVerdict, SqlVerdict
from .measure import ProbeMeasure, Segment

FRONTEND_KINDS = ("tcp", "http")  # probes that only pass through HAProxy


@dataclasses.dataclass(frozen=True)
class ProbeResult:
    name: str
    kind: str
    target: str
    rate: float
    measure: ProbeMeasure
    timeline: tuple[Segment, ...]  # runs of ok / slow / failed attempts
    errors: tuple[tuple[str, int], ...] = ()  # what the client saw when it failed, counted


@dataclasses.dataclass(frozen=True)
class Predicted:
    scenario: str
    subject: str
    seconds: float
    items: tuple[tuple[str, float], ...]
    note: str = ""


@dataclasses.dataclass(frozen=True)
class DrillResult:
    drill: str
    description: str
    profile: str
    started_at: str  # wall clock, ISO 8601
    chosen: str  # what prepare() picked
    injected: str
    injected_in: float | None  # seconds the injection took: requests that started before
    # it ended may have been in flight on the victim when it died
    steps: tuple[StepResult, ...]
    restored: tuple[str, ...]
    heal_at: float  # when restore started
    fault_end_at: float | None  # when the fault was over (None: restore never ran)
    green_at: float | None  # all checks ok again (None: not within the deadline)
    probes: tuple[ProbeResult, ...]
    max_holders: int
    split_brain: tuple[tuple[float, str, tuple[str, ...]], ...]
    sql: SqlVerdict | None
    amqp: AmqpVerdict | None
    primary: str  # probe kind compared with the prediction
    predicted: Predicted | None
    not_green: tuple[str, ...] = ()  # the checks still failing when the wait gave up
    healed: tuple[tuple[str, float], ...] = ()  # checks red after the fault, with the time
    # (after its end) from which each stayed ok: the last to heal first
    error: str = ""  # why the drill could not finish, if it could not
    moved_vips: tuple[str, ...] = ()  # VIPs the fault moved outside the budget's subject
    heal_target_s: float = 90.0  # the aim for the time to full redundancy, shown
    heal_deadline_s: float = 300.0  # not all green by then: the drill failed

    @property
    def healed_in_s(self) -> float | None:
        """Seconds from the end of the fault to full redundancy (None: it did not heal)."""
        if self.green_at is None or self.fault_end_at is None:
            return None
        return round(max(0.0, self.green_at - self.fault_end_at), 3)

    @property
    def heal_sentence(self) -> str:
        healed = self.healed_in_s
        if healed is None:
            red = "; ".join(self.not_green[:5]) or "the health checks never all answered ok"
            return (
                f"did not heal within {self.heal_deadline_s:g} s of the end of the fault, "
                f"with no deploy: {red}"
            )
        over = healed > self.heal_target_s
        return f"healed in {healed:.1f} s" + (
            f", over the {self.heal_target_s:g} s target"
            if over
            else f" (target {self.heal_target_s:g} s)"
        )

    @property
    def last_to_heal(self) -> str:
        """The checks that turned ok last, which set the time to full redundancy."""
        return ", ".join(f"{name} at +{at:.0f} s" for name, at in self.healed[:3])

    def measured_probes(self) -> list[ProbeResult]:
        """The probes the outage is measured on: those of the primary kind through the
        budget's VIP; when none of that kind goes through it (a VIP of HTTP frontends only,
        as a DC's may be), every probe through it; without either, every primary probe."""
        mine = [p for p in self.probes if p.kind == self.primary]
        if self.predicted is None:
            return mine
        vip = self.predicted.subject.split()  # "VIP 198.18.0.100 (mysql)"
        through = [p for p in self.probes if _address(p.target) in vip]
        return [p for p in through if p.kind == self.primary] or through or mine

    @property
    def measured_kind(self) -> str:
        return "/".join(sorted({p.kind for p in self.measured_probes()})) or self.primary

    @property
    def measured_outage_s(self) -> float | None:
        mine = [p.measure.outage_s for p in self.measured_probes()]
        return max(mine) if mine else None

    @property
    def failed_requests(self) -> int:
        return sum(p.measure.failed for p in self.probes)

    @property
    def requests(self) -> int:
        return sum(p.measure.attempts for p in self.probes)

    def failures(self) -> list[str]:
        """Every invariant that did not hold, as a sentence; empty = the drill passed."""
        found = [f"step failed: {s.sentence}" for s in self.steps if not s.ok]
        if self.error:
            found.append(f"the drill did not finish: {self.error}")
        if self.healed_in_s is None:
            found.append(self.heal_sentence)
        if self.max_holders > 1:
            found.append(f"a VIP had {self.max_holders} holders at once (split brain)")
        if self.sql is not None and (self.sql.lost or self.sql.unreadable):
            found.append(f"database ledger: {self.sql.sentence}")
        if self.amqp is not None and self.amqp.lost:
            found.append(f"message ledger: {self.amqp.sentence}")
        found += [
            f"{p.name} never succeeded again" for p in self.probes if not p.measure.recovered
        ]
        return found + self.budget_misses()

    def budget_misses(self) -> list[str]:
        """Sentences for every request the plan said could not fail and that failed."""
        if self.predicted is None or self.predicted.seconds > 0:
            return []
        return [
            f"budget missed: the plan predicts no outage for {self.predicted.subject} "
            f"({self.predicted.note or 'no failed request'}), but "
            f"{p.measure.failed - p.measure.in_flight} of {p.measure.attempts} requests of "
            f"{p.name} sent after the fault failed" + (f" ({p.errors[0][0]})" if p.errors else "")
            for p in self.probes
            if p.kind in FRONTEND_KINDS
            and p.measure.failed > p.measure.in_flight
            and _address(p.target) not in self.moved_vips
        ]

    @property
    def passed(self) -> bool:
        return not self.failures()

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["steps"] = [{**dataclasses.asdict(s), "sentence": s.sentence} for s in self.steps]
        for probe in data["probes"]:
            probe["measure"]["failed_ratio"] = round(
                probe["measure"]["failed"] / max(1, probe["measure"]["attempts"]), 4
            )
        if self.sql is not None:
            data["sql"] = {
                **dataclasses.asdict(self.sql),
                "lost": self.sql.lost,
                "sentence": self.sql.sentence,
            }
        if self.amqp is not None:
            data["amqp"] = {**dataclasses.asdict(self.amqp), "sentence": self.amqp.sentence}
        data["healed_in_s"] = self.healed_in_s
        data["heal_sentence"] = self.heal_sentence
        data["measured_outage_s"] = self.measured_outage_s
        data["measured_kind"] = self.measured_kind
        data["failed_requests"] = self.failed_requests
        data["requests"] = self.requests
        data["failures"] = self.failures()
        data["passed"] = self.passed
        return data


def _address(target: str) -> str:
    """The host part of a probe's target: ``198.18.0.100:3306``, ``http://198.18.0.104:8004/``."""
    return urllib.parse.urlsplit(target if "//" in target else f"//{target}").hostname or ""
