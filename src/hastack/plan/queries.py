"""Questions renderers, deploy steps and operations ask of a plan: who is related to whom,
where a service is reached, what its catalog URLs are. Pure functions of the plan."""

from __future__ import annotations

import ipaddress

from .. import catalog
from ..errors import RenderError
from ..topology import NetworkRole
from .model import Host, Plan

DEFAULT_REGION = "RegionOne"


def related(plan: Plan, application: str, kind: str) -> tuple[str, ...]:
    """The applications of *kind* related to *application*, in the bundle's order."""
    return tuple(a for a in plan.topology.related(application) if plan.kinds.get(a) == kind)


def one_related(plan: Plan, application: str, kind: str, needed_for: str) -> str:
    """The application of *kind* that *application* relies on *needed_for*; a RenderError
    saying which relation to add when there is none."""
    found = related(plan, application, kind)
    if not found:
        raise RenderError(
            f"{application} needs {needed_for} but is related to no {kind} application; "
            f"relate it to one (e.g. [{application}, {kind}])"
        )
    return found[0]


def vip_address(plan: Plan, application: str, role: NetworkRole) -> ipaddress.IPv4Address | None:
    """The VIP *application* has on the *role* network, if any."""
    for cluster in plan.clusters:
        for vip in cluster.vips:
            if vip.application == application and vip.role is role:
                return vip.address
    return None


def service_address(plan: Plan, application: str, role: NetworkRole) -> ipaddress.IPv4Address:
    """Where clients reach *application* on *role*: its VIP, else its leader's address there
    (the management address when the leader has none on *role*) - a bundle without hacluster
    still works."""
    address = vip_address(plan, application, role)
    if address is not None:
        return address
    leader = plan.host(plan.leader(application).host)
    try:
        return leader.address(role)
    except KeyError:
        return leader.address(NetworkRole.MANAGEMENT)


def database_host(plan: Plan, application: str) -> ipaddress.IPv4Address:
    """The management address of the Galera application *application* keeps its data in."""
    galera = one_related(plan, application, "galera", "a database")
    return service_address(plan, galera, NetworkRole.MANAGEMENT)


def endpoints(plan: Plan, application: str, path: str = "") -> dict[str, str]:
    """Catalog URLs of an API application: public on the external VIP, internal and admin
    on the management VIP, at the port its first API port publishes, then *path*."""
    port = catalog.by_name(plan.kinds[application]).api_ports[0].port

    def url(role: NetworkRole) -> str:
        return f"http://{service_address(plan, application, role)}:{port}{path}"

    internal = url(NetworkRole.MANAGEMENT)
    return {"public": url(NetworkRole.EXTERNAL), "internal": internal, "admin": internal}


def unit_addresses(plan: Plan, application: str, kind: str) -> list[str]:
    """``address:port`` of every unit of the related *kind* applications (all of that kind
    when none is related), on the management network at the kind's client port."""
    apps = related(plan, application, kind) or plan.applications_of_kind(kind)
    port = catalog.by_name(kind).client_port
    hosts = {u.host for a in apps for u in plan.units_of(a)}
    return [f"{h.address(NetworkRole.MANAGEMENT)}:{port}" for h in ordered(plan, hosts)]


def region(plan: Plan, application: str) -> str:
    """The region the Keystone application *application* puts its catalog in."""
    return plan.topology.applications[application].option_str("region") or DEFAULT_REGION


def ordered(plan: Plan, names: tuple[str, ...] | list[str] | set[str]) -> tuple[Host, ...]:
    """The named hosts in the plan's order (machine order: ctl-1, ctl-2, ..., ctl-10)."""
    wanted = set(names)
    return tuple(host for host in plan.hosts if host.name in wanted)
