"""The declarative model of a deployment: frozen, typed, and free of YAML.

Vocabulary follows Juju: a *bundle* has *applications* (a charm deployed as N *units*),
*machines* the units are placed *to*, and *relations* between applications. hastack's own
settings (networks, VIP provider, timer profile) live under the bundle's ``hastack:`` key.
"""

from __future__ import annotations

import dataclasses
import enum
import ipaddress
from collections.abc import Mapping

from ..errors import Finding

OptionValue = str | int | float | bool | None


class VipProvider(enum.StrEnum):
    PACEMAKER = "pacemaker"  # ocf:heartbeat:IPaddr2 under Pacemaker
    KEEPALIVED = "keepalived"  # VRRP with a track script


class ProfileName(enum.StrEnum):
    REFERENCE = "reference"
    FAST = "fast"


class FencingAction(enum.StrEnum):
    """What fencing does to a node the cluster lost (Pacemaker's ``stonith-action``)."""

    REBOOT = "reboot"  # power-cycle it: it boots and rejoins by itself (Pacemaker's default)
    OFF = "off"  # leave it powered off until an operator powers it on


class NetworkRole(enum.StrEnum):
    MANAGEMENT = "management"  # internal API endpoints, cluster traffic
    EXTERNAL = "external"  # public API endpoints
    STORAGE = "storage"  # Ceph / Swift replication


@dataclasses.dataclass(frozen=True)
class Source:
    """Where a value came from, for error messages."""

    file: str | None
    line: int | None  # 1-based
    column: int | None = None  # 1-based


@dataclasses.dataclass(frozen=True)
class Network:
    role: NetworkRole
    cidr: ipaddress.IPv4Network


DEFAULT_NETWORKS: Mapping[NetworkRole, Network] = {
    NetworkRole.MANAGEMENT: Network(
        NetworkRole.MANAGEMENT, ipaddress.IPv4Network("198.18.0.0/24")
    ),
    NetworkRole.EXTERNAL: Network(NetworkRole.EXTERNAL, ipaddress.IPv4Network("198.18.1.0/24")),
}
"""The networks a bundle gets when its ``hastack:`` key names none (RFC 2544 test space)."""


@dataclasses.dataclass(frozen=True)
class Machine:
    """A machine (host) units are placed on; ``zone`` is its failure domain."""

    name: str  # Juju machine id: "0", "1", ...
    zone: str | None = None
    source: Source | None = None


@dataclasses.dataclass(frozen=True)
class Placement:
    """One ``to:`` directive: a machine, or a container on a machine (``lxd:1``)."""

    machine: str  # a Juju machine id, or "new": a machine of its own, made by the planner
    container: str | None = None  # "lxc" or "lxd"

    def __str__(self) -> str:
        return f"{self.container}:{self.machine}" if self.container else self.machine


@dataclasses.dataclass(frozen=True)
class Application:
    name: str
    charm: str  # the charm name as written ("cs:trusty/keystone-12" -> "keystone")
    num_units: int  # 0 for subordinates
    options: Mapping[str, OptionValue] = dataclasses.field(default_factory=dict)
    to: tuple[Placement, ...] = ()
    source: Source | None = None  # where the bundle names the application
    sources: Mapping[str, Source] = dataclasses.field(default_factory=dict)
    """Where each value was written, by its path below the application: "num_units",
    "to", "options.vip"."""

    def option_str(self, key: str) -> str:
        value = self.options.get(key)
        return "" if value is None else str(value)

    def vips(self) -> tuple[ipaddress.IPv4Address, ...]:
        """The charms' ``vip`` option: space-separated addresses, empty means none."""
        return tuple(ipaddress.IPv4Address(v) for v in self.option_str("vip").split())


@dataclasses.dataclass(frozen=True)
class Endpoint:
    application: str
    name: str | None = None  # the relation endpoint ("shared-db"), if given

    def __str__(self) -> str:
        return f"{self.application}:{self.name}" if self.name else self.application


@dataclasses.dataclass(frozen=True)
class Relation:
    a: Endpoint
    b: Endpoint
    source: Source | None = None
    path: str = "relations"  # where the bundle lists it: "relations[3]"

    def applications(self) -> tuple[str, str]:
        return (self.a.application, self.b.application)

    def __str__(self) -> str:
        return f"{self.a} <-> {self.b}"


@dataclasses.dataclass(frozen=True)
class FenceLoopGuard:
    """A node fenced ``fencings`` times within ``minutes`` is left off after the last one."""

    fencings: int
    minutes: int


@dataclasses.dataclass(frozen=True)
class Fencing:
    """The bundle's ``hastack.fencing``: the action, and the fence-loop guard's limits
    (None: the timer profile's)."""

    action: FencingAction = FencingAction.REBOOT
    loop_guard: FenceLoopGuard | None = None


@dataclasses.dataclass(frozen=True)
class Settings:
    """hastack's own settings, from the bundle's ``hastack:`` key (defaults otherwise)."""

    vip_provider: VipProvider = VipProvider.PACEMAKER
    profile: ProfileName = ProfileName.REFERENCE
    networks: Mapping[NetworkRole, Network] = dataclasses.field(default_factory=dict)
    machine_prefix: str = "ctl-"  # hostnames: ctl-1, ctl-2, ... (machine "0" -> ctl-1)
    fencing: Fencing = Fencing()


@dataclasses.dataclass(frozen=True)
class Topology:
    """A loaded and structurally valid bundle. Semantics are checked by the planner."""

    name: str
    file: str | None
    applications: Mapping[str, Application]
    machines: Mapping[str, Machine]
    relations: tuple[Relation, ...]
    settings: Settings = dataclasses.field(default_factory=Settings)
    format: str = "hastack"  # "hastack", "juju-bundle" or "juju-deployer"
    warnings: tuple[Finding, ...] = ()  # severity "warning" findings from loading

    def related(self, app: str) -> tuple[str, ...]:
        """Names of the applications related to *app*, sorted."""
        out = {r.b.application for r in self.relations if r.a.application == app}
        out |= {r.a.application for r in self.relations if r.b.application == app}
        return tuple(sorted(out))
