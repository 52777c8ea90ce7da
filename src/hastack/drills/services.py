"""Drills that take one service away: a Keystone or Glance unit, HAProxy, Galera, RabbitMQ.

A killed process cannot be un-killed: those drills are *momentary* and restore nothing;
the process's supervisor (systemd, Pacemaker, Apache) must start it again by itself.
"""

from __future__ import annotations

from .. import kinds
from ..errors import DrillAborted
from ..facts.galera import WSREP_STATUS
from ..facts.rabbitmq import QUORUM_QUEUES
from ..kinds import deployable
from ..plan import Plan
from . import checks
from .base import Drill, Expectation, Step
from .nodes import FAILOVER_S, FENCE_S
from .target import Target

RABBIT_PORTS = (4369, 5672, 25672)  # epmd, AMQP, Erlang distribution


def _apps_of(plan: Plan, kind: str) -> list[str]:
    return list(plan.applications_of_kind(kind))


class _ApiUnitKilled(Drill):
    """SIGKILL one unit of a stateless API (the one on a VIP holder, if any): HAProxy must
    route around it and its supervisor start it again."""

    kind = ""  # the API's kind, set by each subclass
    budget = "backend-power-off"
    primary = "http"
    momentary = True

    def __init__(self) -> None:
        self.victim = ""
        self.frontend = ""

    def preconditions(self, plan: Plan, target: Target) -> list[str]:
        if not _apps_of(plan, self.kind):
            return [f"the bundle has no {self.kind} application, so there is no unit to kill"]
        if not deployable(self.kind):
            return [
                f"{self.kind} is not deployed on this lab (hastack cannot deploy {self.kind} "
                "yet), so there is no unit to kill"
            ]
        return []

    def prepare(self, target: Target) -> str:
        app = _apps_of(target.plan, self.kind)[0]
        holders = {h for hs in target.vip_holders().values() for h in hs}
        units = [u.host for u in target.plan.units_of(app)]
        self.victim = next((h for h in units if h in holders), units[0])
        frontends = [f for c in target.plan.clusters for f in c.frontends]
        self.frontend = next((f.name for f in frontends if f.application == app), "")
        return f"the {self.kind} unit on {self.victim}"

    def budget_subject(self) -> str:
        return f"HAProxy backend of {self.frontend}" if self.frontend else ""

    def inject(self, target: Target) -> str:
        process = kinds.service(self.kind).unit_process
        if process is None:
            raise DrillAborted(f"the {self.kind} kind names no unit process for a drill to kill")
        return target.kill_matching(self.victim, process.pattern, process.label)

    def expectations(self, target: Target) -> list[Step]:
        return [
            Expectation(
                "every HTTP frontend answers through every VIP",
                checks.working_again(target, "http"),
                FAILOVER_S,
            )
        ]


class KeystoneUnitKilled(_ApiUnitKilled):
    name = "keystone-unit-killed"
    description = "SIGKILL one Keystone unit; HAProxy must route around it."
    kind = "keystone"


class GlanceUnitKilled(_ApiUnitKilled):
    name = "glance-unit-killed"
    description = (
        "SIGKILL one Glance unit under image downloads; HAProxy must route around it and "
        "systemd start it again."
    )
    kind = "glance"


class HaproxyKilledOnVipHolder(Drill):
    name = "haproxy-killed-on-vip-holder"
    description = "SIGKILL HAProxy on the VIP holder; Pacemaker must restart it or move the VIP."
    budget = "haproxy-killed-on-vip-holder"
    primary = "tcp"
    momentary = True

    def __init__(self) -> None:
        self.victim = ""
        self.vip = ""

    def prepare(self, target: Target) -> str:
        self.vip = target.vip_addresses()[0]
        self.victim = target.holder(self.vip) or ""
        return f"{self.victim} holds VIP {self.vip}"

    def inject(self, target: Target) -> str:
        return target.kill(self.victim, "haproxy")

    def expectations(self, target: Target) -> list[Step]:
        def served() -> tuple[bool, str]:
            holder = target.holder(self.vip)
            if holder is None:
                return False, f"VIP {self.vip} has no single holder"
            running = target.run(holder, ["pgrep", "-x", "haproxy"]) is not None
            return running, f"VIP on {holder}, haproxy {'runs' if running else 'not running'}"

        return [Expectation(f"VIP {self.vip} served by a running HAProxy", served, FAILOVER_S)]


def _writer(plan: Plan) -> str:
    """The host HAProxy sends database writes to: the single-writer frontend's active server."""
    for cluster in plan.clusters:
        for frontend in cluster.frontends:
            if frontend.single_writer:
                return next(b.host for b in frontend.backends if not b.backup)
    return plan.units_of(_apps_of(plan, "galera")[0])[0].host


class GaleraMemberLoss(Drill):
    name = "galera-member-loss"
    description = (
        "SIGKILL mariadbd on the member taking the writes; writes must continue on the others "
        "with no acknowledged write lost."
    )
    budget = "galera-member-loss"
    primary = "sql"
    momentary = True

    def __init__(self) -> None:
        self.victim = ""

    def preconditions(self, plan: Plan, target: Target) -> list[str]:
        return [] if _apps_of(plan, "galera") else ["the bundle has no Galera application"]

    def prepare(self, target: Target) -> str:
        self.victim = _writer(target.plan)
        return f"{self.victim} is HAProxy's active database server"

    def avoid(self) -> tuple[str, ...]:
        return (self.victim,)

    def inject(self, target: Target) -> str:
        return target.kill(self.victim, "mariadbd")

    def expectations(self, target: Target) -> list[Step]:
        survivors = [h for h in target.hosts if h != self.victim]

        def primary_view() -> tuple[bool, str]:
            status = target.fact(survivors[0], WSREP_STATUS)
            if status is None:
                return False, f"no wsrep status from {survivors[0]}"
            seen = f"{survivors[0]}: {status.cluster_status}, size {status.cluster_size}"
            return status.primary and status.cluster_size == len(survivors), seen

        return [
            Expectation("the survivors form a primary component", primary_view, FAILOVER_S),
            Expectation(
                "writes through the DB VIP succeed again",
                checks.working_again(target, "sql"),
                FAILOVER_S,
            ),
        ]


class RabbitmqMemberLoss(Drill):
    name = "rabbitmq-member-loss"
    description = (
        "Cut the drill queue's leader off the RabbitMQ cluster (its ports dropped, the node "
        "alive); a new leader must take over with no confirmed message lost."
    )
    budget = "rabbitmq-leader-link-loss"
    primary = "amqp"
    checks_clients = True

    def __init__(self) -> None:
        self.victim = ""

    def preconditions(self, plan: Plan, target: Target) -> list[str]:
        return [] if _apps_of(plan, "rabbitmq") else ["the bundle has no RabbitMQ application"]

    def prepare(self, target: Target) -> str:
        app = _apps_of(target.plan, "rabbitmq")[0]
        hosts = [u.host for u in target.plan.units_of(app)]
        for host in hosts:
            queues = target.fact(host, QUORUM_QUEUES, timeout=60.0)
            if queues is None:
                continue
            leader = next((q.leader for q in queues if q.name == target.queue), None)
            if leader:
                self.victim = leader.split("@", 1)[-1]
                return f"{self.victim} leads the drill queue {target.queue}"
        self.victim = hosts[0]
        return f"the leader of {target.queue} was not found; cutting {self.victim}"

    def avoid(self) -> tuple[str, ...]:
        return (self.victim,)

    def inject(self, target: Target) -> str:
        return target.drop_ports(self.victim, RABBIT_PORTS)

    def expectations(self, target: Target) -> list[Step]:
        return [
            Expectation(
                "publishes are confirmed again (a new queue leader)",
                checks.working_again(target, "amqp"),
                FENCE_S,
            )
        ]
