"""The HA layout: Pacemaker clusters, their VIPs, and the HAProxy frontends behind them.

An application becomes HA when it is related to a ``hacluster`` subordinate (as in the Juju
bundles): its VIPs float under Pacemaker (or keepalived), HAProxy on every host of its
cluster listens on the VIPs, and balances to the units. Applications whose hosts overlap
share one Corosync cluster, since a host runs exactly one.
"""

from __future__ import annotations

import dataclasses
import ipaddress

from .. import catalog
from ..catalog import HaModel
from ..errors import Finding
from ..topology import Application, Network, NetworkRole, Topology
from .findings import finding_at as _finding
from .model import INTERFACES, VIP_SUFFIX, Backend, Cluster, Frontend, Host, Unit, Vip


@dataclasses.dataclass(frozen=True)
class Layout:
    clusters: tuple[Cluster, ...]
    findings: tuple[Finding, ...]


def ha_applications(topo: Topology) -> tuple[str, ...]:
    """Principals related to a hacluster subordinate, sorted."""
    subordinates = {
        name
        for name, app in topo.applications.items()
        if (kind := catalog.by_charm(app.charm)) is not None
        and kind.ha_model is HaModel.SUBORDINATE
    }
    out = {other for sub in subordinates for other in topo.related(sub)}
    return tuple(sorted(out - subordinates))


def layout(topo: Topology, hosts: tuple[Host, ...], units: tuple[Unit, ...]) -> Layout:
    findings: list[Finding] = []
    ha_apps = ha_applications(topo)
    findings += _vip_without_hacluster(topo, ha_apps)
    by_host = {h.name: h for h in hosts}
    app_hosts = {app: tuple(u.host for u in units if u.application == app) for app in ha_apps}
    vips, vip_findings = _vips(topo, ha_apps)
    findings += vip_findings
    clusters: list[Cluster] = []
    groups = _groups(app_hosts)
    for index, (group_hosts, apps) in enumerate(groups, start=1):
        name = "hastack" if len(groups) == 1 else f"hastack-{index}"
        cluster_vips = tuple(v for v in vips if v.application in apps)
        frontends = tuple(
            fe
            for app in apps
            for fe in _frontends(topo.applications[app], units, by_host, cluster_vips)
        )
        clusters.append(
            Cluster(
                name,
                group_hosts,
                apps,
                cluster_vips,
                frontends,
                topo.settings.vip_provider,
            )
        )
        findings += _cluster_findings(topo, group_hosts, apps)
    return Layout(tuple(clusters), tuple(findings))


def _groups(
    app_hosts: dict[str, tuple[str, ...]],
) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Merge applications whose hosts overlap; each group becomes one cluster."""
    groups: list[tuple[set[str], set[str]]] = []
    for app, app_host_names in sorted(app_hosts.items()):
        merged_hosts, merged_apps = set(app_host_names), {app}
        rest = []
        for group_hosts, group_apps in groups:
            if group_hosts & merged_hosts:
                merged_hosts |= group_hosts
                merged_apps |= group_apps
            else:
                rest.append((group_hosts, group_apps))
        groups = [*rest, (merged_hosts, merged_apps)]
    ordered = sorted(groups, key=lambda g: sorted(g[0]))
    return [(tuple(sorted(h)), tuple(sorted(a))) for h, a in ordered]


def _vips(topo: Topology, ha_apps: tuple[str, ...]) -> tuple[tuple[Vip, ...], list[Finding]]:
    findings: list[Finding] = []
    vips: list[Vip] = []
    seen: dict[ipaddress.IPv4Address, str] = {}
    for app_name in ha_apps:
        app = topo.applications[app_name]
        held: dict[NetworkRole, ipaddress.IPv4Address] = {}
        for address in app.vips():
            path = f"applications.{app_name}.options.vip"
            if address in seen:
                findings.append(_finding(app, path, _duplicate(address, seen[address], app_name)))
                continue
            seen[address] = app_name
            network = next((n for n in topo.settings.networks.values() if address in n.cidr), None)
            if network is None:
                findings.append(_finding(app, path, _outside(address, topo)))
                continue
            if network.role in held:
                findings.append(
                    _finding(
                        app, path, _same_network(app_name, network, held[network.role], address)
                    )
                )
                continue
            held[network.role] = address
            if address in (network.cidr.network_address, network.cidr.broadcast_address):
                findings.append(
                    _finding(
                        app,
                        path,
                        f"VIP {address} is the network or broadcast "
                        f"address of {network.cidr}; pick a host address",
                    )
                )
                continue
            vips.append(
                Vip(app_name, address, network.role, network.cidr, INTERFACES[network.role], 0)
            )
    numbered = tuple(
        dataclasses.replace(v, vrrp_router_id=i)
        for i, v in enumerate(sorted(vips, key=lambda v: v.address), start=1)
    )
    if topo.settings.vip_provider.value == "keepalived" and len(numbered) > 255:
        findings.append(
            Finding(
                "hastack.vip_provider",
                f"{len(numbered)} VIPs need more than the 255 "
                "VRRP router ids one network allows; use pacemaker as the VIP provider",
            )
        )
    return numbered, findings


def _frontends(
    app: Application, units: tuple[Unit, ...], hosts: dict[str, Host], vips: tuple[Vip, ...]
) -> tuple[Frontend, ...]:
    kind = catalog.by_charm(app.charm)
    if kind is None or not kind.api_ports:
        return ()
    app_vips = tuple(v.address for v in vips if v.application == app.name)
    if not app_vips:
        return ()
    app_units = sorted((u for u in units if u.application == app.name), key=lambda u: u.number)
    single_writer = kind.ha_model is HaModel.NATIVE_CLUSTER
    out = []
    for port in kind.api_ports:
        backends = tuple(
            Backend(u.host, hosts[u.host].address(), port.unit_port, single_writer and i > 0)
            for i, u in enumerate(app_units)
        )
        name = app.name if len(kind.api_ports) == 1 else f"{app.name}-{port.name}"
        mode = "http" if port.health_path else "tcp"
        out.append(
            Frontend(
                name,
                app.name,
                kind.name,
                port.port,
                mode,
                port.health_path,
                app_vips,
                backends,
                single_writer,
                port.check_timeout_ms,
                port.resendable_posts,
            )
        )
    return tuple(out)


def _vip_without_hacluster(topo: Topology, ha_apps: tuple[str, ...]) -> list[Finding]:
    out = []
    for name, app in sorted(topo.applications.items()):
        kind = catalog.by_charm(app.charm)
        if kind is None or not app.vips():
            continue
        if kind.client_port is not None and not kind.api_ports:
            out.append(
                _finding(
                    app,
                    f"applications.{name}.options.vip",
                    f"{kind.name} is not load-balanced (its clients list every unit), so "
                    "this VIP is not used; remove it",
                    "warning",
                )
            )
        elif name not in ha_apps:
            out.append(
                _finding(
                    app,
                    f"applications.{name}.options.vip",
                    f"{name} has a VIP but no hacluster relation, so nothing would "
                    f"hold it; add a hacluster application and relate it to {name}",
                )
            )
    return out


def _cluster_findings(
    topo: Topology, hosts: tuple[str, ...], apps: tuple[str, ...]
) -> list[Finding]:
    out = []
    for name in apps:
        app = topo.applications[name]
        if app.num_units == 1:
            out.append(
                _finding(
                    app,
                    f"applications.{name}.num_units",
                    f"{name} has a VIP but only 1 unit: the VIP has nowhere to move "
                    "when it fails; use 3 units",
                )
            )
    if len(hosts) < 3:
        app = topo.applications[apps[0]]
        out.append(
            _finding(
                app,
                f"applications.{apps[0]}.num_units",
                f"the Pacemaker cluster of {', '.join(apps)} has {len(hosts)} "
                "host(s) and loses quorum when one fails; use 3 units on 3 machines",
            )
        )
    elif len(hosts) % 2 == 0:
        app = topo.applications[apps[0]]
        out.append(
            _finding(
                app,
                f"applications.{apps[0]}.num_units",
                f"the Pacemaker cluster of {', '.join(apps)} has {len(hosts)} hosts; "
                f"an even count tolerates no more failures than {len(hosts) - 1}",
                "warning",
            )
        )
    return out


def _duplicate(address: ipaddress.IPv4Address, owner: str, app: str) -> str:
    if owner == app:
        return f"VIP {address} is listed twice in the vip of {app}; list each address once"
    return f"VIP {address} is already used by {owner}; give every application its own VIP"


def _same_network(
    app: str, network: Network, first: ipaddress.IPv4Address, second: ipaddress.IPv4Address
) -> str:
    return (
        f"{app} has two VIPs on the {network.role.value} network {network.cidr} ({first} and "
        f"{second}), but hastack names a VIP after its application and network "
        f"(vip-{app}-{VIP_SUFFIX[network.role]}), so the two would clash; keep one VIP per "
        "network (internal on management, public on external)"
    )


def _outside(address: ipaddress.IPv4Address, topo: Topology) -> str:
    nets = ", ".join(f"{n.role.value} {n.cidr}" for n in topo.settings.networks.values())
    return (
        f"VIP {address} lies outside every network ({nets}); "
        "pick an address inside one of them or add its network under hastack.networks"
    )
