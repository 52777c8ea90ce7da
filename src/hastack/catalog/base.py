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
    check_timeout_ms: int | None = None  # a check slower than the profile allows (a page)
    backend_port: int | None = None
    # POST paths that change nothing when sent twice (Keystone's token request): HAProxy
    # may resend these to another server after the first dropped or did not answer them
    resendable_posts: tuple[str, ...] = ()

    @property
    def unit_port(self) -> int:
        return self.backend_port if self.backend_port is not None else self.port - 10


@dataclasses.dataclass(frozen=True)
class QuorumRule:
    """Members needed to keep a majority: odd and >= ``minimum``, or an arbitrator."""

    minimum: int = 3
    arbitrator: str | None = None  # kind that can vote without data ("garbd")


@dataclasses.dataclass(frozen=True)
class RelationEndpoint:
    """One end a charm offers for relations, as its ``metadata.yaml`` declares it.

    Two applications can be related when one *provides* an interface the other *requires*.
    """

    name: str  # "shared-db"
    interface: str  # "mysql-shared"
    provides: bool  # True: the charm provides the interface; False: it requires it


def provides(name: str, interface: str) -> RelationEndpoint:
    return RelationEndpoint(name, interface, True)


def requires(name: str, interface: str) -> RelationEndpoint:
    return RelationEndpoint(name, interface, False)


# Ends many kinds share (the OpenStack API building block, and hacluster's principal end).
HA = requires("ha", "hacluster")
SHARED_DB = requires("shared-db", "mysql-shared")
AMQP = requires("amqp", "rabbitmq")
IDENTITY = requires("identity-service", "keystone")
IMAGES = requires("image-service", "glance")
CEPH_CLIENT = requires("ceph", "ceph-client")
CACHE = requires("cache", "memcache")
API_SERVICE = (SHARED_DB, AMQP, IDENTITY, HA)  # what every OpenStack API service relates to


@dataclasses.dataclass(frozen=True)
class ReplicatedData:
    """A kind whose data is kept as copies on the hosts of related *holders*.

    Clients need enough copies, not every holder. A write needs a quorum of copies: half of
    them rounded up (Swift 2.30's write quorum for a replicated policy, Ceph's default
    ``min_size``); a read needs one copy, or the quorum where ``reads_need_quorum`` (Ceph
    blocks all I/O to a placement group below ``min_size``). Copies go to distinct hosts,
    spread over the holders' zones where they name one.
    """

    holders: str  # the kind whose related applications hold the copies ("swift-storage")
    noun: str  # what a copy is of, plural, for reasons: "objects", "placement groups"
    quorum_name: str  # what the store calls the copies a write needs: "min_size"
    copies: int = 3  # copies of each object (Swift ring replicas, Ceph pool size)
    copies_option: str | None = None  # the owner's option that sets ``copies`` ("replicas")
    reads_need_quorum: bool = False  # True: I/O stops below it (Ceph); False: one copy reads
    handoffs: bool = False  # True: a write lands on another live holder when one is lost (Swift)
    zone_option: str | None = None  # the holders' option naming their failure domain ("zone")
    holding_charms: tuple[str, ...] = ()  # owner charms whose own units hold copies too


@dataclasses.dataclass(frozen=True)
class SubDir:
    """A directory created inside a per-node tree; the host's owner and mode win if it has it."""

    path: str  # relative: "cib", "mysqld"
    owner: str = "root:root"
    mode: int = 0o755


@dataclasses.dataclass(frozen=True)
class LabPaths:
    """Directories a lab node makes for a kind at boot (systemd-tmpfiles), under /var/log
    and /run, for its daemons that do not make their own."""

    log_dirs: tuple[SubDir, ...] = ()
    run_dirs: tuple[SubDir, ...] = ()


def served_by_apache(paths: LabPaths) -> LabPaths:
    """*paths* plus what an Apache instance of an API kind needs on a lab node."""
    return LabPaths(
        log_dirs=(*paths.log_dirs, SubDir("apache2", "root:adm", 0o750)),
        run_dirs=(*paths.run_dirs, SubDir("apache2")),
    )


@dataclasses.dataclass(frozen=True)
class ServiceKind:
    """One service kind, as data; ``KIND`` in the package ``kinds/<kind>/`` is one."""

    name: str  # canonical: "galera", "keystone"
    charms: tuple[str, ...]  # charm names that mean this kind
    ha_model: HaModel
    summary: str
    packages: tuple[str, ...] = ()  # Debian packages
    api_ports: tuple[ApiPort, ...] = ()
    quorum: QuorumRule | None = None
    starts_after: tuple[str, ...] = ()  # kinds that must start first when related
    needs: tuple[str, ...] = ()  # kinds it cannot serve without, when related (runtime)
    # kinds of which one relation is enough (glance keeps images in ceph or in swift-proxy)
    either: tuple[tuple[str, ...], ...] = ()
    data: ReplicatedData | None = None  # where its data lives, when copies on holders
    endpoints: tuple[RelationEndpoint, ...] = ()  # the relations it can take part in
    min_units: int = 1  # for HA; stateless APIs need 2
    client_port: int | None = None  # where clients reach each unit directly, without HAProxy
    option_names: frozenset[str] = frozenset()  # charm options hastack understands
    secrets: tuple[tuple[str, str], ...] = ()  # (name, how to generate it) it needs
    lab: LabPaths = LabPaths()  # the paths a lab node gives it
