"""Fence devices: how each host is powered off when the cluster loses sight of it.

In the lab every node has a virtual BMC on the management network at ``.200 + n`` (node n is
the n-th host); real hosts name their BMCs in the inventory.
"""

from __future__ import annotations

import ipaddress

from ..topology import NetworkRole
from .model import FenceDevice, Plan

BMC_OFFSET = 200
BMC_USER = "hastack"
BMC_SECRET = "bmc-password"


def lab_bmc_address(network: ipaddress.IPv4Network, index: int) -> ipaddress.IPv4Address:
    """The BMC address of the *index*-th (1-based) lab node."""
    return ipaddress.IPv4Address(int(network.network_address) + BMC_OFFSET + index)


def lab_fencing(plan: Plan) -> dict[str, FenceDevice]:
    network = plan.topology.settings.networks[NetworkRole.MANAGEMENT].cidr
    return {
        host.name: FenceDevice(host.name, lab_bmc_address(network, index), BMC_USER, BMC_SECRET)
        for index, host in enumerate(plan.hosts, start=1)
    }
