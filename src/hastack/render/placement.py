"""Which hosts a renderer talks about, in a stable order, and at which address."""

from __future__ import annotations

import ipaddress

from ..plan.model import Cluster, Host, Plan
from ..plan.queries import ordered
from ..topology import NetworkRole


def cluster_hosts(plan: Plan, cluster: Cluster) -> tuple[Host, ...]:
    return ordered(plan, cluster.hosts)


def application_hosts(plan: Plan, application: str) -> tuple[Host, ...]:
    return ordered(plan, {unit.host for unit in plan.units_of(application)})


def kind_hosts(plan: Plan, kind: str, host: str) -> tuple[Host, ...]:
    """Hosts running the *kind* application that also runs on *host*."""
    apps = {u.application for u in plan.units_on(host) if u.kind == kind}
    return ordered(plan, {u.host for u in plan.units if u.application in apps})


def management(host: Host) -> ipaddress.IPv4Address:
    return host.address(NetworkRole.MANAGEMENT)


def runs(plan: Plan, host: str, kind: str) -> bool:
    return any(unit.kind == kind for unit in plan.units_on(host))
