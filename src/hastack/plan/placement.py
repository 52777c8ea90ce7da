"""Placement: which host every unit runs on, and the hosts' addresses.

``to:`` directives are honoured first; remaining units spread so that no two units of one
application share a machine (then a zone) while another machine is free. Without a
``machines:`` section the bundle is "converged": as many machines as the largest
application has units, every application spread over them (the lab's shape).
"""

from __future__ import annotations

import collections
import dataclasses
import ipaddress

from .. import catalog
from ..catalog import HaModel
from ..errors import Finding
from ..topology import Machine, Placement, Topology
from .model import INTERFACES, Host, HostAddress, Unit

ADDRESS_OFFSET = 10  # first host gets .11 (network address + 10 + 1)


@dataclasses.dataclass(frozen=True)
class Placed:
    hosts: tuple[Host, ...]
    units: tuple[Unit, ...]
    findings: tuple[Finding, ...]


def machine_order(machine_id: str) -> tuple[int, str]:
    return (int(machine_id), "") if machine_id.isdigit() else (1 << 30, machine_id)


def machines_of(topo: Topology) -> dict[str, Machine]:
    """The bundle's machines, or generated ones for a bundle without ``machines:``."""
    if topo.machines:
        return dict(topo.machines)
    counts = [
        app.num_units
        for app in topo.applications.values()
        if (kind := catalog.by_charm(app.charm)) is not None
        and kind.ha_model is not HaModel.SUBORDINATE
    ]
    return {str(i): Machine(name=str(i)) for i in range(max(counts, default=0))}


def place(topo: Topology) -> Placed:
    machines = machines_of(topo)
    order = sorted(machines, key=machine_order)
    prefix = topo.settings.machine_prefix
    machine_host = {m: f"{prefix}{i + 1}" for i, m in enumerate(order)}
    containers: dict[str, int] = collections.Counter()
    host_machine: dict[str, str] = {machine_host[m]: m for m in order}
    host_container: dict[str, str | None] = dict.fromkeys(host_machine)
    units: list[Unit] = []
    per_machine: collections.Counter[str] = collections.Counter()

    for app in sorted(topo.applications.values(), key=lambda a: a.name):
        kind = catalog.by_charm(app.charm)
        if kind is None or kind.ha_model is HaModel.SUBORDINATE:
            continue
        used: collections.Counter[str] = collections.Counter()
        for number in range(app.num_units):
            directive = app.to[number] if number < len(app.to) else None
            if directive is not None and directive.machine in machines:
                host = _host_for(directive, machine_host, containers, host_machine, host_container)
                machine = directive.machine
            else:
                machine = _least_loaded(order, machines, used, per_machine)
                host = machine_host[machine]
            used[machine] += 1
            per_machine[machine] += 1
            units.append(Unit(app.name, kind.name, number, host))

    hosts, findings = _addressed_hosts(topo, machines, host_machine, host_container)
    return Placed(hosts, tuple(units), findings)


def _host_for(
    directive: Placement,
    machine_host: dict[str, str],
    containers: collections.Counter[str] | dict[str, int],
    host_machine: dict[str, str],
    host_container: dict[str, str | None],
) -> str:
    base = machine_host[directive.machine]
    if directive.container is None:
        return base
    number = containers.get(directive.machine, 0)
    containers[directive.machine] = number + 1
    name = f"{base}-{directive.container}-{number}"
    host_machine[name] = directive.machine
    host_container[name] = directive.container
    return name


def _least_loaded(
    order: list[str],
    machines: dict[str, Machine],
    used: collections.Counter[str],
    per_machine: collections.Counter[str],
) -> str:
    zone_use: collections.Counter[str | None] = collections.Counter()
    for machine, count in used.items():
        zone_use[machines[machine].zone] += count

    def cost(machine: str) -> tuple[int, int, int, tuple[int, str]]:
        zone = machines[machine].zone
        return (
            used[machine],
            zone_use[zone] if zone is not None else 0,
            per_machine[machine],
            machine_order(machine),
        )

    return min(order, key=cost)


def _addressed_hosts(
    topo: Topology,
    machines: dict[str, Machine],
    host_machine: dict[str, str],
    host_container: dict[str, str | None],
) -> tuple[tuple[Host, ...], tuple[Finding, ...]]:
    names = sorted(
        host_machine,
        key=lambda h: (host_container[h] is not None, machine_order(host_machine[h]), h),
    )
    findings: list[Finding] = []
    hosts: list[Host] = []
    for index, name in enumerate(names, start=1):
        addresses: list[HostAddress] = []
        for role, network in sorted(
            topo.settings.networks.items(), key=lambda i: INTERFACES[i[0]]
        ):
            offset = ADDRESS_OFFSET + index
            if offset >= network.cidr.num_addresses - 2:
                findings.append(_too_small(role.value, network.cidr, len(names)))
                continue
            addresses.append(
                HostAddress(
                    role,
                    ipaddress.IPv4Address(int(network.cidr.network_address) + offset),
                    network.cidr,
                    INTERFACES[role],
                )
            )
        machine = host_machine[name]
        hosts.append(
            Host(name, machine, machines[machine].zone, tuple(addresses), host_container[name])
        )
    unique = tuple(dict.fromkeys(findings))
    return tuple(hosts), unique


def _too_small(role: str, cidr: ipaddress.IPv4Network, count: int) -> Finding:
    return Finding(
        path=f"hastack.networks.{role}.cidr",
        message=(
            f"network {cidr} is too small for {count} hosts (hosts take addresses from "
            f".{ADDRESS_OFFSET + 1} on); use a larger prefix, e.g. /{_prefix_for(count)}"
        ),
    )


def _prefix_for(count: int) -> int:
    prefix = 30
    while (1 << (32 - prefix)) - 2 < count + ADDRESS_OFFSET + 2:
        prefix -= 1
    return prefix
