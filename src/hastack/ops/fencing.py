"""``hastack recover fencing NODE``: clear the fence-loop guard and bring the node back.

Everything goes through a cluster peer, with Pacemaker's own tools: the guard's marks come
off the node's fence device (``crm_resource``), the node's fencing history is cleaned so
the count starts again (``stonith_admin --history NODE --cleanup``), and a node that is off
is powered on through its fence device (``stonith_admin --unfence``, the "on" action), as
on real hardware. The node then boots and rejoins by itself; the command waits for that.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..apply.report import Report
from ..errors import DeployError
from ..facts.fencing import FENCE_DEVICES, GUARD, REBOOT_ACTION
from ..facts.pacemaker import CRM_MON
from ..hosts import Connector
from ..plan import Plan
from ..render.cib import fence_id
from ..wait import SYSTEM_CLOCK, Clock, wait_until

ONLINE_TIMEOUT_S = 180.0
UNFENCE_TIMEOUT_S = 60


def recover_fencing(
    plan: Plan,
    connectors: Mapping[str, Connector],
    node: str,
    report: Report,
    *,
    online_timeout: float = ONLINE_TIMEOUT_S,
    clock: Clock = SYSTEM_CLOCK,
) -> Report:
    cluster = plan.cluster_of(node)
    if cluster is None:
        members = ", ".join(h for c in plan.clusters for h in c.hosts) or "none"
        raise DeployError(
            f"{node} is not a member of any cluster of this deployment (members: {members});"
            " name one of them"
        )
    peer = _peer(connectors, [h for h in cluster.hosts if h != node], node)
    device = fence_id(node)
    _clear_guard(peer, device, node, report)
    peer.check(["stonith_admin", "--history", node, "--cleanup"], timeout=30)
    report.add(
        node,
        "fence-history",
        True,
        f"cleaned the fencing history of {node} (the count starts again)",
    )
    _bring_online(peer, node, report, online_timeout, clock)
    return report


def _peer(connectors: Mapping[str, Connector], peers: list[str], node: str) -> Connector:
    """The first peer whose Pacemaker answers."""
    for name in peers:
        status, _why = CRM_MON.try_read(connectors[name], timeout=20)
        if status is not None and status.have_quorum:
            return connectors[name]
    raise DeployError(
        f"no peer of {node} ({', '.join(peers)}) answers `crm_mon` with quorum; the guard can"
        " only be cleared through a running cluster: bring a majority of its nodes up first"
    )


def _clear_guard(peer: Connector, device: str, node: str, report: Report) -> None:
    devices = FENCE_DEVICES.require(peer)
    state = next((d for d in devices if d.id == device), None)
    if state is None:
        raise DeployError(
            f"the CIB has no fence device {device} for {node}; re-run the deployer"
            " (`hastack lab up`) to load the cluster's configuration"
        )
    if not state.guarded and not state.reboot_action:
        report.add(node, "fence-guard", False, f"{device} holds no fence-loop guard on {node}")
        return
    for group, name in (((), REBOOT_ACTION), (("--meta",), GUARD)):
        argv = ["crm_resource", "--resource", device, *group, "--delete-parameter", name]
        peer.check(argv, timeout=30)
    why = f" ({state.guard})" if state.guarded else ""
    report.add(
        node,
        "fence-guard",
        True,
        f"cleared the fence-loop guard on {device}{why}: fencing reboots {node} again",
    )


def _bring_online(
    peer: Connector, node: str, report: Report, timeout: float, clock: Clock
) -> None:
    started = clock.monotonic()
    status = CRM_MON.require(peer)
    seen = status.node(node)
    if seen is not None and seen.online:
        report.add(node, "online", False, f"{node} is online in the cluster")
        return
    peer.check(
        ["stonith_admin", "--unfence", node, "--timeout", str(UNFENCE_TIMEOUT_S)],
        timeout=UNFENCE_TIMEOUT_S + 15,
    )
    report.add(node, "power", True, f"powered {node} on through its fence device (unfence)")

    def joined() -> tuple[bool | None, str]:
        now, _why = CRM_MON.try_read(peer, timeout=20)
        member = now.node(node) if now is not None else None
        if member is not None and member.online:
            return True, f"{node} online"
        return None, f"{node} is {'not a member yet' if member is None else 'offline'}"

    wait_until(
        joined,
        what=f"{node} back in the cluster",
        timeout=timeout,
        interval=2.0,
        clock=clock,
        next_step=f"see why {node} does not boot or join: `hastack lab exec {node} -- journalctl"
        " -b -u corosync -u pacemaker` on the lab, its console on real hardware",
    )
    took = clock.monotonic() - started
    report.add(node, "online", True, f"{node} booted and rejoined the cluster", took)
