"""Topologies built in code, so planner tests do not depend on the YAML loader."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from hastack import plan
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


def app(
    name: str, charm: str, units: int = 3, to: Iterable[str] = (), **options: str
) -> Application:
    placements = tuple(
        Placement(t.split(":")[1], t.split(":")[0]) if ":" in t else Placement(t) for t in to
    )
    return Application(name, charm, units, dict(options), placements)


def endpoint(text: str) -> Endpoint:
    """ "keystone" or "keystone:shared-db"."""
    app, _, name = text.partition(":")
    return Endpoint(app, name or None)


def topology(
    apps: Iterable[Application],
    relations: Iterable[tuple[str, str]] = (),
    machines: int = 3,
    profile: ProfileName = ProfileName.FAST,
    provider: VipProvider = VipProvider.PACEMAKER,
    networks: dict[NetworkRole, Network] | None = None,
) -> Topology:
    return Topology(
        name="test",
        file="test.yaml",
        applications={a.name: a for a in apps},
        machines={str(i): Machine(str(i), zone=f"z{i}") for i in range(machines)},
        relations=tuple(
            Relation(endpoint(a), endpoint(b), path=f"relations[{i}]")
            for i, (a, b) in enumerate(relations)
        ),
        settings=Settings(provider, profile, networks or NETWORKS),
    )


def core(**overrides: object) -> Topology:
    """The lab-core shape: galera, rabbitmq, memcached, keystone on 3 machines."""
    apps = [
        app("mysql", "percona-cluster", 3, ("0", "1", "2"), vip="198.18.0.100"),
        app("mysql-hacluster", "hacluster", 0),
        app("rabbitmq-server", "rabbitmq-server", 3, ("0", "1", "2")),
        app("memcached", "memcached", 3, ("0", "1", "2")),
        app("keystone", "keystone", 3, ("0", "1", "2"), vip="198.18.0.101 198.18.1.101"),
        app("keystone-hacluster", "hacluster", 0),
    ]
    relations = [
        ("mysql", "mysql-hacluster"),
        ("keystone", "keystone-hacluster"),
        ("keystone", "mysql"),
        ("keystone", "memcached"),
    ]
    return topology(apps, relations, **overrides)  # type: ignore[arg-type]


def messages(result: plan.Plan) -> list[str]:
    """Every finding as "severity: path: message", the way tests assert them."""
    return [f"{f.severity}: {f.path}: {f.message}" for f in result.findings]
