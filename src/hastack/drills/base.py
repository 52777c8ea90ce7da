"""The Drill seam: one failure scenario = preconditions, inject, expectations, restore.

A drill asks the ``Target`` for effects ("power off dr-2", "cut its links", "mute its BMC")
and never runs lab commands itself, so the runner keeps the safety rails: the health gate,
``restore()`` in a ``finally``, the wait for full health, and the ledgers.

``restore()`` only undoes the injection (power on what the drill powered off, heal the link,
unmute the BMC); it never runs the deployer or a recovery command. What comes back after
that comes back by itself, and the runner measures how long it takes: from the end of the
fault to full redundancy (every check of ``hastack status`` ok), against ``heal_target_s``.

Expectations are steps run in order: a bounded poll ("the VIP answers from a survivor
within 60 s"), a hold ("for 20 s nobody else holds the VIP"), or an action between them
("unmute the BMC"). Every one says what it saw, which becomes the report's sentence.
"""

from __future__ import annotations

import abc
import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from ..plan import Plan

if TYPE_CHECKING:
    from .target import Target

# A predicate returns (True when met, what it saw); the sentence goes into the report.
Predicate = Callable[[], tuple[bool, str]]


@dataclasses.dataclass(frozen=True)
class Expectation:
    """Poll *predicate* until it holds, for at most *within_s* seconds."""

    description: str  # "VIP 198.18.6.100 held by a surviving node"
    predicate: Predicate
    within_s: float
    interval_s: float = 0.5


@dataclasses.dataclass(frozen=True)
class Hold:
    """*predicate* must hold at every poll for *for_s* seconds (fails at the first miss)."""

    description: str
    predicate: Predicate
    for_s: float
    interval_s: float = 0.5


@dataclasses.dataclass(frozen=True)
class Action:
    """Something the drill does between checks (restore a BMC, power a node back on)."""

    description: str
    run: Callable[[], str]


Step = Expectation | Hold | Action


@dataclasses.dataclass(frozen=True)
class StepResult:
    kind: str  # "expect", "hold", "action"
    description: str
    ok: bool
    after_s: float  # seconds from the start of the step
    limit_s: float | None
    seen: str  # the last thing seen, or what the action said

    @property
    def sentence(self) -> str:
        if self.kind == "action":
            return f"{self.description}: {self.seen} ({self.after_s:.1f} s)"
        limit = f" (limit {self.limit_s:g} s)" if self.limit_s is not None else ""
        if self.kind == "hold":
            verdict = "held" if self.ok else f"broke after {self.after_s:.1f} s"
            return f"{self.description}: {verdict}{limit}; {self.seen}"
        verdict = f"after {self.after_s:.1f} s" if self.ok else "NOT reached"
        return f"{self.description}: {verdict}{limit}; {self.seen}"


class Drill(abc.ABC):
    """One failure scenario; a fresh instance per run (it keeps what it injected)."""

    name: ClassVar[str]  # "vip-holder-power-off"
    description: ClassVar[str]  # one sentence for `hastack drill list`
    budget: str | None = None  # plan.budgets scenario predicting the outage (may be per run)
    primary: ClassVar[str] = "tcp"  # the probe kind whose outage is set beside the budget
    destructive: ClassVar[bool] = True
    # after all green: every kind's clients must work again (``Service.clients_recovered``)
    checks_clients: ClassVar[bool] = False
    # the fault is over once injected (a SIGKILLed process that its supervisor restarts):
    # the time to full redundancy counts from the injection, not from restore()
    momentary: ClassVar[bool] = False
    # False for outages no failover can bridge (a lost majority, every node off): the probes
    # see a long outage by design; such a drill is judged on healing and data only
    judged_on_failover: ClassVar[bool] = True
    heal_target_s: ClassVar[float] = 90.0  # shown beside the measured time to full redundancy
    heal_deadline_s: ClassVar[float] = 300.0  # not all green by then: the drill failed

    def preconditions(self, plan: Plan, target: Target) -> list[str]:
        """Reasons this drill must not run now (empty = go). Runs after the health gate."""
        return []

    def prepare(self, target: Target) -> str:
        """Choose what to break (called before the probes start); say what was chosen."""
        return ""

    def avoid(self) -> tuple[str, ...]:
        """Hosts the probes should not prefer as their entry point (the victims)."""
        return ()

    def budget_subject(self) -> str:
        """What the budget is about (a VIP address), when the drill chose one."""
        return ""

    def moved_vips(self) -> tuple[str, ...]:
        """VIPs the fault moves besides what the budget is about (a powered-off backend's
        own VIPs): requests through them answer to a VIP holder's failover, not to the
        budget's promise of no failed request."""
        return ()

    @abc.abstractmethod
    def inject(self, target: Target) -> str:
        """Cause the failure; return what was done."""

    @abc.abstractmethod
    def expectations(self, target: Target) -> list[Step]: ...

    def restore(self, target: Target) -> list[str]:
        """Undo ``inject`` and nothing more; safe to call twice and after a partial inject."""
        return target.undo()
