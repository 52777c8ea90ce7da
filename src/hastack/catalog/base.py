"""What a service kind is: the role a Juju charm plays, as data the planner reads."""

from __future__ import annotations

import dataclasses
import enum


class HaModel(enum.StrEnum):
    STATELESS_API = "stateless-api"  # active/active behind HAProxy and a VIP
    NATIVE_CLUSTER = "native-cluster"  # the service's own replication (Galera, RabbitMQ)
    ACTIVE_PASSIVE = "active-passive"  # one Pacemaker primitive that migrates
    PER_HOST = "per-host"  # not HA itself (compute, storage zones)
    SUBORDINATE = "subordinate"  # rides on a principal (hacluster)


@dataclasses.dataclass(frozen=True)
class ApiPort:
    """A port clients reach through HAProxy on the VIP.

    The unit itself listens on ``port - 10`` (the seed's stateless-API model) unless
    ``backend_port`` says otherwise.
    """

    name: str  # "public", "admin", "mysql"
    port: int
    health_path: str | None = None  # HTTP check path; None = TCP check
    backend_port: int | None = None

    @property
    def unit_port(self) -> int:
        return self.backend_port if self.backend_port is not None else self.port - 10


@dataclasses.dataclass(frozen=True)
class QuorumRule:
    """Members needed to keep a majority: odd and >= ``minimum``, or an arbitrator."""

    minimum: int = 3
    arbitrator: str | None = None  # kind that can vote without data ("garbd")


@dataclasses.dataclass(frozen=True)
class ServiceKind:
    """One service kind; one module in ``catalog/`` defines one of these."""

    name: str  # canonical: "galera", "keystone"
    charms: tuple[str, ...]  # charm names that mean this kind
    ha_model: HaModel
    summary: str
    packages: tuple[str, ...] = ()  # Debian packages
    api_ports: tuple[ApiPort, ...] = ()
    quorum: QuorumRule | None = None
    depends_on: tuple[str, ...] = ()  # kinds that must start first when related
    min_units: int = 1  # for HA; stateless APIs need 2
    cluster_port: int | None = None  # the service's own replication port, for info
    health_checks: tuple[str, ...] = ()  # names in health.CHECKS
    renderers: tuple[str, ...] = ()  # names in render.RENDERERS
    lab_supported: bool = False  # hastack lab up can run it today
    option_names: frozenset[str] = frozenset()  # charm options hastack understands
