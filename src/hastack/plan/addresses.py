"""Every address the plan hands out, and the rule that no VIP may take one of them.

The planner gives each host (a machine or a container) an address on every network
(``placement``), each lab node a BMC on the management network (``fencing``), and the lab
host an address of its own on each lab bridge: the last usable address of the network.
A VIP equal to any of these would have two holders answering ARP for it.
"""

from __future__ import annotations

import collections
import ipaddress
import itertools

from ..errors import Finding
from ..topology import NetworkRole, Topology
from .fencing import BMC_OFFSET, lab_bmc_address
from .findings import finding_at, names
from .ha import ha_applications
from .model import Host, Unit

SUGGEST_FROM = 100  # a free VIP is suggested from .100 of the network on


def lab_host_address(network: ipaddress.IPv4Network) -> ipaddress.IPv4Address:
    """The lab host's own address on the bridge of *network* (.254 of a /24)."""
    return network.broadcast_address - 1


def assigned(
    topo: Topology, hosts: tuple[Host, ...], units: tuple[Unit, ...]
) -> dict[ipaddress.IPv4Address, str]:
    """Every address the plan assigns -> what holds it, in words."""
    owners: dict[ipaddress.IPv4Address, str] = {}
    running: dict[str, list[str]] = collections.defaultdict(list)
    for unit in units:
        running[unit.host].append(unit.name)
    for host in hosts:
        for item in host.addresses:
            owners[item.address] = (
                f"the {item.role.value} address the planner gives "
                f"{_describe(host, running[host.name])}"
            )
    management = topo.settings.networks.get(NetworkRole.MANAGEMENT)
    if management is not None:
        for index, host in enumerate(hosts, start=1):
            owners.setdefault(
                lab_bmc_address(management.cidr, index),
                f"the address the lab gives the BMC of {host.name} (.{BMC_OFFSET} + its node "
                "number)",
            )
    for role, network in topo.settings.networks.items():
        owners.setdefault(
            lab_host_address(network.cidr),
            f"the lab host's own address on the {role.value} bridge (the network's last "
            "usable address)",
        )
    return owners


def check_vip_addresses(
    topo: Topology, hosts: tuple[Host, ...], units: tuple[Unit, ...]
) -> list[Finding]:
    """No VIP may be an address the plan already gives a host, a BMC or the lab host."""
    owners = assigned(topo, hosts, units)
    vips = {address for app in topo.applications.values() for address in app.vips()}
    out = []
    for name in ha_applications(topo):
        app = topo.applications[name]
        for address in app.vips():
            owner = owners.get(address)
            if owner is None:
                continue
            network = next(
                (n.cidr for n in topo.settings.networks.values() if address in n.cidr), None
            )
            if network is None:
                continue  # outside every network: reported by the HA layout
            free = _free(network, set(owners) | vips)
            such_as = f", such as {free}" if free is not None else ""
            message = (
                f"VIP {address} is {owner}; two holders would answer ARP for it, so clients "
                f"would reach either at random; pick a free address in {network}{such_as}"
            )
            out.append(finding_at(app, f"applications.{name}.options.vip", message))
    return out


def _describe(host: Host, running: list[str]) -> str:
    where = (
        f"a container on machine {host.machine}" if host.container else f"machine {host.machine}"
    )
    runs = f", where {names(running)} run{'s' if len(running) == 1 else ''}" if running else ""
    return f"{host.name} ({where}{runs})"


def _free(
    network: ipaddress.IPv4Network, taken: set[ipaddress.IPv4Address]
) -> ipaddress.IPv4Address | None:
    """The first address of *network* from .100 on (then from .1) that nothing takes."""
    first, last = int(network.network_address) + 1, int(network.broadcast_address) - 1
    start = min(int(network.network_address) + SUGGEST_FROM, last + 1)
    for number in itertools.chain(range(start, last + 1), range(first, start)):
        if ipaddress.IPv4Address(number) not in taken:
            return ipaddress.IPv4Address(number)
    return None
