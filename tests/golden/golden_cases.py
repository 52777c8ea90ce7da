"""The bundles the golden files are rendered from, with fixed secrets and fence devices."""

from __future__ import annotations

import ipaddress

from hastack import plan
from hastack.plan.model import FenceDevice, Plan
from hastack.render import RenderedFile, render_host
from hastack.secrets import SecretStore
from hastack.topology import (
    Application,
    Endpoint,
    Machine,
    Network,
    NetworkRole,
    Placement,
    ProfileName,
    Relation,
    Settings,
    Topology,
    VipProvider,
)

NETWORKS = {
    NetworkRole.MANAGEMENT: Network(
        NetworkRole.MANAGEMENT, ipaddress.IPv4Network("198.18.0.0/24")
    ),
    NetworkRole.EXTERNAL: Network(NetworkRole.EXTERNAL, ipaddress.IPv4Network("198.18.1.0/24")),
}

SECRETS = {
    "corosync-authkey": "0123456789abcdef" * 16,
    "erlang-cookie": "GOLDENCOOKIEGOLDENCO",
    "haproxy-stats-password": "StatsPassword0000000000a",
    "mysql-root-password": "RootPassword000000000000",
    "mysql-hastack-password": "HastackPassword000000000",
    "rabbitmq-password": "RabbitPassword0000000000",
    "keystone-db-password": "KeystoneDbPassword000000",
    "keystone-admin-password": "KeystoneAdminPassword000",
    "horizon-secret-key": "HorizonSecretKey" + "0" * 32,
    "placement-db-password": "PlacementDbPassword00000",
    "placement-password": "PlacementPassword0000000",
    "heat-db-password": "HeatDbPassword0000000000",
    "heat-password": "HeatPassword000000000000",
    "bmc-password": "BmcPassword00000",
    "swift-password": "SwiftPassword00000000000",
    "swift-hash-path-suffix": "SwiftHashPathSuffix0000000000000",
    "swift-hash-path-prefix": "SwiftHashPathPrefix0000000000000",
    "glance-db-password": "GlanceDbPassword00000000",
    "glance-password": "GlancePassword0000000000",
}

# lab-cloud: the core plus Swift (a proxy on every controller, one zone per controller) and
# Glance on it, as examples/lab-cloud.yaml
CLOUD_APPS = {
    "swift-proxy": Application(
        "swift-proxy", "swift-proxy", 3, {"vip": "198.18.0.105 198.18.1.105", "replicas": 3}
    ),
    "swift-proxy-hacluster": Application("swift-proxy-hacluster", "hacluster", 0),
    **{
        f"swift-storage-z{z}": Application(
            f"swift-storage-z{z}", "swift-storage", 1, {"zone": z}, (Placement(str(z - 1)),)
        )
        for z in (1, 2, 3)
    },
    "glance": Application("glance", "glance", 3, {"vip": "198.18.0.106 198.18.1.106"}),
    "glance-hacluster": Application("glance-hacluster", "hacluster", 0),
}
CLOUD_RELATIONS = [
    ("swift-proxy", "swift-proxy-hacluster"),
    ("swift-proxy", "keystone"),
    ("swift-proxy", "memcached"),
    *(("swift-proxy", f"swift-storage-z{z}") for z in (1, 2, 3)),
    ("glance", "glance-hacluster"),
    ("glance", "mysql"),
    ("glance", "keystone"),
    ("glance", "memcached"),
    ("glance", "swift-proxy"),
]


def _to(*machines: str) -> tuple[Placement, ...]:
    return tuple(Placement(m) for m in machines)


def _topology(
    name: str,
    machines: int,
    placement: dict[str, tuple[str, ...]],
    profile: ProfileName,
    provider: VipProvider = VipProvider.PACEMAKER,
    cloud: bool = False,
) -> Topology:
    apps = {
        "mysql": Application("mysql", "percona-cluster", 3, {"vip": "198.18.0.100"}),
        "mysql-hacluster": Application("mysql-hacluster", "hacluster", 0),
        "rabbitmq-server": Application("rabbitmq-server", "rabbitmq-server", 3),
        "memcached": Application("memcached", "memcached", 3),
        "keystone": Application("keystone", "keystone", 3, {"vip": "198.18.0.101 198.18.1.101"}),
        "keystone-hacluster": Application("keystone-hacluster", "hacluster", 0),
        "openstack-dashboard": Application(
            "openstack-dashboard", "openstack-dashboard", 3, {"vip": "198.18.0.102 198.18.1.102"}
        ),
        "openstack-dashboard-hacluster": Application(
            "openstack-dashboard-hacluster", "hacluster", 0
        ),
        "placement": Application(
            "placement", "placement", 3, {"vip": "198.18.0.103 198.18.1.103"}
        ),
        "placement-hacluster": Application("placement-hacluster", "hacluster", 0),
        "heat": Application("heat", "heat", 3, {"vip": "198.18.0.104 198.18.1.104"}),
        "heat-hacluster": Application("heat-hacluster", "hacluster", 0),
    }
    if cloud:
        apps.update(CLOUD_APPS)
    for app, where in placement.items():
        old = apps[app]
        apps[app] = Application(old.name, old.charm, len(where), old.options, _to(*where))
    pairs = [
        ("mysql", "mysql-hacluster"),
        ("keystone", "keystone-hacluster"),
        ("keystone", "mysql"),
        ("keystone", "memcached"),
        ("openstack-dashboard", "openstack-dashboard-hacluster"),
        ("openstack-dashboard", "keystone"),
        ("openstack-dashboard", "memcached"),
        ("placement", "placement-hacluster"),
        ("placement", "mysql"),
        ("placement", "keystone"),
        ("placement", "memcached"),
        ("heat", "heat-hacluster"),
        ("heat", "mysql"),
        ("heat", "keystone"),
        ("heat", "rabbitmq-server"),
        ("heat", "memcached"),
        *(CLOUD_RELATIONS if cloud else ()),
    ]
    relations = tuple(Relation(Endpoint(a), Endpoint(b)) for a, b in pairs)
    settings = Settings(vip_provider=provider, profile=profile, networks=NETWORKS)
    machine_map = {str(i): Machine(str(i)) for i in range(machines)}
    return Topology(name, None, apps, machine_map, relations, settings)


CORE = {
    app: ("0", "1", "2")
    for app in (
        "mysql",
        "rabbitmq-server",
        "memcached",
        "keystone",
        "openstack-dashboard",
        "placement",
        "heat",
    )
}
FIVE = {
    "mysql": ("0", "1", "2"),
    "rabbitmq-server": ("0", "1", "2"),
    "memcached": ("2", "3", "4"),
    "keystone": ("2", "3", "4"),
    "openstack-dashboard": ("2", "3", "4"),
    "placement": ("0", "1", "2"),
    "heat": ("2", "3", "4"),  # the brokers are on 0-2: heat lists them, not its own hosts
}

CASES: dict[str, Topology] = {
    "lab-core-fast": _topology("lab-core", 3, CORE, ProfileName.FAST),
    "lab-core-reference": _topology("lab-core", 3, CORE, ProfileName.REFERENCE),
    "lab-core-keepalived": _topology(
        "lab-core", 3, CORE, ProfileName.FAST, VipProvider.KEEPALIVED
    ),
    "five-machines": _topology("five", 5, FIVE, ProfileName.FAST),
    "lab-cloud": _topology(
        "lab-cloud",
        3,
        {**CORE, "swift-proxy": ("0", "1", "2"), "glance": ("0", "1", "2")},
        ProfileName.FAST,
        cloud=True,
    ),
}


def build(case: str) -> Plan:
    result = plan.build(CASES[case])
    assert not result.errors, result.errors
    return result


def secrets() -> SecretStore:
    return SecretStore.from_values(SECRETS)


def fencing(built: Plan) -> dict[str, FenceDevice]:
    """One lab BMC per host at 198.18.0.201, .202, ..."""
    return {
        host.name: FenceDevice(
            host.name, ipaddress.IPv4Address(f"198.18.0.{201 + i}"), "admin", "bmc-password"
        )
        for i, host in enumerate(built.hosts)
    }


def render_case(case: str) -> dict[str, list[RenderedFile]]:
    """Every host's files for *case*, keyed by host name."""
    built = build(case)
    store, devices = secrets(), fencing(built)
    return {host.name: render_host(built, host.name, store, devices) for host in built.hosts}


def manifest(rendered: dict[str, list[RenderedFile]]) -> str:
    """One line per file: host, path, mode, owner, and whether it holds a secret."""
    lines = [
        f"{host} {f.path} {f.mode:04o} {f.owner}{' secret' if f.secret else ''}"
        for host, files in sorted(rendered.items())
        for f in files
    ]
    return "\n".join(lines) + "\n"
