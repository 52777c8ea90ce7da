"""A drill target on a fake lab: power, links and BMCs in memory, health scripted.

``FakeLab`` keeps the Lab API a drill target uses and records every call in order, so a
test can say what a drill did and, as important, what it did not do (run a deployer, power
on a node the cluster fenced).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from hastack import plan
from hastack.drills.target import Target
from hastack.health.report import HealthReport
from hastack.health.status import CheckResult, Status
from hastack.hosts.fake import FakeHost
from hastack.lab.lab import NodeStatus
from hastack.topology.load import load

BUNDLE = Path(__file__).resolve().parents[3] / "examples" / "lab-core.yaml"


@functools.cache
def core_plan() -> plan.Plan:
    return plan.build(load(BUNDLE))


class FakeLab:
    def __init__(self, names: Iterable[str]) -> None:
        self.names = list(names)
        self.on = {n: True for n in self.names}
        self.boots = {n: 100 * (i + 1) for i, n in enumerate(self.names)}
        self.links = {n: True for n in self.names}
        self.muted: set[str] = set()
        self.calls: list[str] = []

    def connector(self, name: str) -> FakeHost:
        return FakeHost(name)

    def power(self, name: str, action: str) -> str:
        if action == "status":
            return f"{name} is {'on' if self.on[name] else 'off'}"
        self.calls.append(f"power {action} {name}")
        if action in ("off", "soft"):
            was = self.on[name]
            self.on[name], self.links[name] = False, False
            return f"powered off {name} in 0.10 s" if was else f"{name} is already off"
        if action == "on":
            if self.on[name]:
                return f"{name} is already on"
            self.on[name], self.links[name] = True, True
            self.boots[name] += 1
            return f"powered on {name} in 0.50 s"
        raise AssertionError(f"unexpected power action {action}")

    def fence(self, name: str, action: str) -> None:
        """What the node's BMC does when Pacemaker fences it."""
        self.calls.append(f"fence {action} {name}")
        self.on[name] = False
        if action == "reboot":
            self.on[name], self.links[name] = True, True
            self.boots[name] += 1

    def status(self) -> list[NodeStatus]:
        return [
            NodeStatus(
                n,
                self.on[n],
                self.boots[n] if self.on[n] else None,
                "",
                True,
                self.links[n],
                False,
            )
            for n in self.names
        ]

    def cut_links(self, name: str, *, persistent: bool = False) -> str:
        self.calls.append(f"cut links {name}")
        self.links[name] = False
        return f"cut the links of {name}"

    def restore_links(self, name: str) -> str:
        self.calls.append(f"restore links {name}")
        self.links[name] = True
        return f"restored the links of {name}"

    def mute_bmc(self, name: str) -> str:
        self.calls.append(f"mute bmc {name}")
        self.muted.add(name)
        return f"muted the BMC of {name}"

    def unmute_bmc(self, name: str) -> str:
        self.calls.append(f"unmute bmc {name}")
        self.muted.discard(name)
        return f"the BMC of {name} answers again"


RED = CheckResult("galera.cluster", "ctl-2", Status.DOWN, "galera on ctl-2 does not answer")
GREEN = CheckResult("galera.cluster", "ctl-2", Status.OK, "Synced")


class FakeTarget(Target):
    """A Target on a FakeLab whose health answers from a script (its last answer repeats)."""

    def __init__(self, lab: FakeLab, health: list[list[CheckResult]] | None = None) -> None:
        super().__init__(core_plan(), lab, None)  # type: ignore[arg-type]
        self.fake_lab = lab
        self.script = list(health or [[GREEN]])
        self.health_calls = 0

    def health(self) -> HealthReport:
        self.health_calls += 1
        answer = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        return HealthReport(answer)


def make_fake_target(health: list[list[CheckResult]] | None = None) -> FakeTarget:
    """A FakeTarget on ctl-1..ctl-3 (lab-core), health answering from *health*."""
    return FakeTarget(FakeLab(h.name for h in core_plan().hosts), health)
