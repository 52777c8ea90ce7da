"""What the planner produces: placement, HA layout, findings, failure analysis, phases.

Everything here is frozen data; renderers and the deployer read it, nothing writes it.
"""

from __future__ import annotations

import dataclasses
import enum
import ipaddress
from collections.abc import Mapping

from ..errors import Finding
from ..topology import NetworkRole, Topology, VipProvider
from .profiles import TimerProfile

INTERFACES: dict[NetworkRole, str] = {
    NetworkRole.MANAGEMENT: "eth0",
    NetworkRole.EXTERNAL: "eth1",
    NetworkRole.STORAGE: "eth2",
}


VIP_SUFFIX: dict[NetworkRole, str] = {
    NetworkRole.MANAGEMENT: "int",  # internal endpoints
    NetworkRole.EXTERNAL: "pub",  # public endpoints
    NetworkRole.STORAGE: "stor",
}


@dataclasses.dataclass(frozen=True)
class HostAddress:
    role: NetworkRole
    address: ipaddress.IPv4Address
    network: ipaddress.IPv4Network
    interface: str


@dataclasses.dataclass(frozen=True)
class Host:
    """A place units run: a machine, or a container on one (``machine`` is the domain)."""

    name: str  # hostname: "ctl-1", "ctl-1-lxd-0"
    machine: str  # Juju machine id, the failure domain ("0")
    zone: str | None
    addresses: tuple[HostAddress, ...]
    container: str | None = None

    def address(self, role: NetworkRole = NetworkRole.MANAGEMENT) -> ipaddress.IPv4Address:
        for item in self.addresses:
            if item.role is role:
                return item.address
        raise KeyError(f"{self.name} has no {role} address")


@dataclasses.dataclass(frozen=True)
class Unit:
    application: str
    kind: str
    number: int  # 0-based, as Juju numbers units; unit 0 is the oldest (the leader)
    host: str

    @property
    def name(self) -> str:
        return f"{self.application}/{self.number}"


@dataclasses.dataclass(frozen=True)
class Vip:
    application: str
    address: ipaddress.IPv4Address
    role: NetworkRole
    network: ipaddress.IPv4Network
    interface: str
    vrrp_router_id: int  # used when the provider is keepalived

    @property
    def resource_id(self) -> str:
        return f"vip-{self.application}-{VIP_SUFFIX[self.role]}"


@dataclasses.dataclass(frozen=True)
class Backend:
    host: str
    address: ipaddress.IPv4Address
    port: int
    backup: bool = False


@dataclasses.dataclass(frozen=True)
class Frontend:
    """An HAProxy frontend/backend pair: clients reach ``vips:port``, units serve."""

    name: str  # "keystone-public", "mysql"
    application: str
    kind: str
    port: int
    mode: str  # "http" or "tcp"
    health_path: str | None
    vips: tuple[ipaddress.IPv4Address, ...]
    backends: tuple[Backend, ...]
    single_writer: bool = False  # Galera: one active server, the others backup
    check_timeout_ms: int | None = None  # the kind's own health check timeout, if longer
    resendable_posts: tuple[str, ...] = ()  # POST paths safe to resend (catalog.ApiPort)


@dataclasses.dataclass(frozen=True)
class Cluster:
    """One Corosync/Pacemaker cluster: the hosts of the HA applications that share them."""

    name: str
    hosts: tuple[str, ...]
    applications: tuple[str, ...]
    vips: tuple[Vip, ...]
    frontends: tuple[Frontend, ...]
    vip_provider: VipProvider


class Outcome(enum.StrEnum):
    """How a service fares after a failure, best first."""

    OK = "ok"
    DEGRADED = "degraded"  # serves everything, with less to spare
    READ_ONLY = "read-only"  # reads succeed, writes fail (a store short of its write quorum)
    DOWN = "down"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {outcome: rank for rank, outcome in enumerate(Outcome)}


@dataclasses.dataclass(frozen=True)
class ServiceOutcome:
    application: str
    outcome: Outcome
    reason: str  # one sentence: why, naming lost hosts (containers by their own name)
    lost: tuple[str, ...] = ()  # hosts of its units that failed: "ctl-1-lxd-2"
    because: tuple[str, ...] = ()  # applications it needs that are down, when that is why


@dataclasses.dataclass(frozen=True)
class FailureCase:
    """What happens when these machines fail together; only non-ok services are listed."""

    machines: tuple[str, ...]
    hosts: tuple[str, ...]  # every host on those machines, containers included
    affected: tuple[ServiceOutcome, ...]
    why: str = ""  # one sentence for the whole case: what goes down, and why

    def worst(self) -> Outcome:
        return max((o.outcome for o in self.affected), key=lambda o: o.rank, default=Outcome.OK)

    def outcome_of(self, application: str) -> ServiceOutcome | None:
        for item in self.affected:
            if item.application == application:
                return item
        return None


@dataclasses.dataclass(frozen=True)
class BudgetItem:
    label: str
    seconds: float


@dataclasses.dataclass(frozen=True)
class FailoverBudget:
    """A predicted outage for one failure, as a sum of named timer contributions."""

    scenario: str  # "vip-holder-power-off", "galera-member-loss", ...
    subject: str  # what is measured: "VIP 198.18.0.100 (mysql)"
    items: tuple[BudgetItem, ...]
    note: str = ""

    @property
    def seconds(self) -> float:
        return round(sum(item.seconds for item in self.items), 2)


@dataclasses.dataclass(frozen=True)
class Phase:
    number: int  # 1-based
    applications: tuple[str, ...]
    reason: str  # "after mysql (keystone needs galera)"


@dataclasses.dataclass(frozen=True)
class FenceDevice:
    """How Pacemaker powers a host off: an IPMI BMC reached with fence_ipmilan."""

    host: str
    address: ipaddress.IPv4Address
    username: str
    password_secret: str  # the name of the secret in the deployment's SecretStore
    lanplus: bool = True


@dataclasses.dataclass(frozen=True)
class Plan:
    topology: Topology
    profile: TimerProfile
    hosts: tuple[Host, ...]
    units: tuple[Unit, ...]
    clusters: tuple[Cluster, ...]
    phases: tuple[Phase, ...]
    findings: tuple[Finding, ...]
    single_failures: tuple[FailureCase, ...]
    double_failures: tuple[FailureCase, ...]
    double_failures_sampled: bool
    budgets: tuple[FailoverBudget, ...]
    kinds: Mapping[str, str]  # application -> catalog kind name

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity != "error")

    def host(self, name: str) -> Host:
        for host in self.hosts:
            if host.name == name:
                return host
        raise KeyError(name)

    def units_of(self, application: str) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.application == application)

    def units_on(self, host: str) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.host == host)

    def applications_of_kind(self, kind: str) -> tuple[str, ...]:
        return tuple(sorted(app for app, k in self.kinds.items() if k == kind))

    def cluster_of(self, host: str) -> Cluster | None:
        for cluster in self.clusters:
            if host in cluster.hosts:
                return cluster
        return None

    def leader(self, application: str) -> Unit:
        """The oldest unit leads bootstrap work (the seed's leadership rule)."""
        return min(self.units_of(application), key=lambda u: u.number)
