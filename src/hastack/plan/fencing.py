"""Fence devices: how each host is power-cycled (or powered off) when the cluster loses
sight of it, and the fence-loop guard's limits.

In the lab every node has a virtual BMC on the management network at ``.200 + n`` (node n is
the n-th host); real hosts name their BMCs in the inventory.
"""

from __future__ import annotations

import ipaddress

from ..topology import FenceLoopGuard, FencingAction, NetworkRole
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


def action(plan: Plan) -> FencingAction:
    """What fencing does to a lost node: the bundle's ``hastack.fencing.action``."""
    return plan.topology.settings.fencing.action


def loop_guard(plan: Plan) -> FenceLoopGuard | None:
    """The fence-loop guard's limits (the bundle's, else the timer profile's); None when
    fencing leaves nodes off anyway, so no loop can form."""
    if action(plan) is FencingAction.OFF:
        return None
    given = plan.topology.settings.fencing.loop_guard
    if given is not None:
        return given
    return FenceLoopGuard(plan.profile.fence_loop_fencings, plan.profile.fence_loop_minutes)
