"""The Pacemaker configuration of one cluster as data; ``cib_xml`` and ``crm_text`` print it.

Fencing: one ``stonith:fence_ipmilan`` per host, never run on the host it fences; its BMC
password is a ``cibsecret`` reference (``lrm://``): the CIB, its history and Pacemaker's logs
never hold the value, which each node keeps in Pacemaker's secrets directory. VIPs
(when Pacemaker holds them): one ``ocf:heartbeat:IPaddr2`` each, colocated with and
started after the ``haproxy-clone``. Host-order and ids are stable, so the output is too.

Fencing reboots a lost node unless the bundle says ``off`` (``stonith-action``). When it
reboots, an alert agent on every node (``fence_guard``) watches the fencing events and
leaves a node that is fenced again and again powered off.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from ..errors import RenderError
from ..plan import fencing as fence_plan
from ..plan.model import Cluster, FenceDevice, Plan, Vip
from ..topology import VipProvider
from . import corosync, fence_guard, placement

HAPROXY = "haproxy"
HAPROXY_CLONE = "haproxy-clone"
RECHECK_INTERVAL = "5min"
# A failed monitor or start (HAProxy killed, a fence device whose BMC did not answer) is
# forgotten after this, so the failure is retried and `hastack status` turns green again by
# itself; Pacemaker rechecks when the timeout expires, not only every RECHECK_INTERVAL.
FAILURE_TIMEOUT = "30s"
NEVER = "-INFINITY"
SECRET_REFERENCE = "lrm://"  # cibsecret's marker: "read the value from the node's secrets"
SECRET_PARAMS = ("password",)  # the fence_ipmilan parameters kept out of the CIB
ALWAYS = "INFINITY"


@dataclasses.dataclass(frozen=True)
class Op:
    name: str
    interval: str
    timeout: str | None = None
    role: str | None = None  # "Promoted" / "Unpromoted": a promotable clone's monitors


@dataclasses.dataclass(frozen=True)
class Primitive:
    id: str
    standard: str  # "stonith", "ocf", "systemd"
    type: str
    provider: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    ops: tuple[Op, ...] = ()
    host: str = ""  # the fenced host, for a stonith device

    @property
    def agent(self) -> str:
        parts = (self.standard, self.provider, self.type)
        return ":".join(p for p in parts if p)


@dataclasses.dataclass(frozen=True)
class Clone:
    id: str
    child: str
    meta: tuple[tuple[str, str], ...] = ()  # "promotable", "promoted-max", ...


@dataclasses.dataclass(frozen=True)
class Location:
    id: str
    rsc: str
    node: str
    score: str  # "-INFINITY"


@dataclasses.dataclass(frozen=True)
class Colocation:
    id: str
    rsc: str
    with_rsc: str
    score: str


@dataclasses.dataclass(frozen=True)
class Order:
    id: str
    first: str
    then: str
    kind: str = "Mandatory"


@dataclasses.dataclass(frozen=True)
class Resources:
    """What one application adds to its cluster's CIB (``Service.cluster_resources``)."""

    primitives: tuple[Primitive, ...] = ()
    clones: tuple[Clone, ...] = ()
    locations: tuple[Location, ...] = ()
    colocations: tuple[Colocation, ...] = ()
    orders: tuple[Order, ...] = ()


@dataclasses.dataclass(frozen=True)
class Alert:
    """A Pacemaker alert agent run on every node for the events selected (``fencing``)."""

    id: str
    path: str
    select: tuple[str, ...]  # "fencing", "nodes", "resources", "attributes"
    attributes: tuple[tuple[str, str], ...] = ()  # passed to the agent as its environment
    meta: tuple[tuple[str, str], ...] = ()  # "timeout", "timestamp-format"


@dataclasses.dataclass(frozen=True)
class Cib:
    cluster: str
    properties: tuple[tuple[str, str], ...]
    nodes: tuple[corosync.Node, ...]
    primitives: tuple[Primitive, ...]
    clones: tuple[Clone, ...]
    locations: tuple[Location, ...]
    colocations: tuple[Colocation, ...]
    orders: tuple[Order, ...]
    rsc_defaults: tuple[tuple[str, str], ...]
    op_defaults: tuple[tuple[str, str], ...]
    alerts: tuple[Alert, ...] = ()


def build(plan: Plan, cluster: Cluster, fencing: Mapping[str, FenceDevice]) -> Cib:
    profile = plan.profile
    nodes = corosync.nodes(plan, cluster.hosts)
    fences = tuple(_fence(plan, node.name, fencing) for node in nodes)
    vips = cluster.vips if cluster.vip_provider is VipProvider.PACEMAKER else ()
    own = _applications_resources(plan, cluster)
    haproxy = Primitive(
        HAPROXY, "systemd", "haproxy", ops=(Op("monitor", f"{profile.haproxy_monitor_s}s"),)
    )
    return Cib(
        cluster=cluster.name,
        properties=(
            ("cluster-name", cluster.name),
            ("stonith-enabled", "true"),
            ("stonith-action", fence_plan.action(plan).value),
            ("no-quorum-policy", "stop"),
            ("dc-deadtime", f"{profile.dc_deadtime_s}s"),
            ("cluster-recheck-interval", RECHECK_INTERVAL),
        ),
        nodes=nodes,
        primitives=(*fences, haproxy, *(_vip(plan, vip) for vip in vips), *own.primitives),
        clones=(Clone(HAPROXY_CLONE, HAPROXY), *own.clones),
        locations=(
            *(Location(f"loc-{f.id}", f.id, f.host, NEVER) for f in fences),
            *(loc for vip in vips for loc in _vip_locations(plan, cluster, vip)),
            *own.locations,
        ),
        colocations=(
            *(
                Colocation(
                    f"col-{v.resource_id}-with-haproxy", v.resource_id, HAPROXY_CLONE, ALWAYS
                )
                for v in vips
            ),
            *own.colocations,
        ),
        orders=(
            *(
                Order(f"ord-haproxy-before-{v.resource_id}", HAPROXY_CLONE, v.resource_id)
                for v in vips
            ),
            *own.orders,
        ),
        rsc_defaults=(("resource-stickiness", "100"), ("failure-timeout", FAILURE_TIMEOUT)),
        op_defaults=(("timeout", "20s"),),
        alerts=_alerts(plan),
    )


def _applications_resources(plan: Plan, cluster: Cluster) -> Resources:
    """What the cluster's applications add (their kinds' ``cluster_resources``), in order."""
    from .. import kinds  # the registry imports the renderers: import it when used

    parts = [
        hook(plan, cluster, app)
        for app in cluster.applications
        if (hook := kinds.service(plan.kinds[app]).cluster_resources) is not None
    ]
    return Resources(
        primitives=tuple(p for part in parts for p in part.primitives),
        clones=tuple(c for part in parts for c in part.clones),
        locations=tuple(loc for part in parts for loc in part.locations),
        colocations=tuple(c for part in parts for c in part.colocations),
        orders=tuple(o for part in parts for o in part.orders),
    )


def _alerts(plan: Plan) -> tuple[Alert, ...]:
    guard = fence_plan.loop_guard(plan)
    if guard is None:
        return ()
    attributes = (
        ("fencings", str(guard.fencings)),
        ("window_s", str(guard.minutes * 60)),
        ("device_prefix", fence_id("")),
    )
    meta = (("timeout", f"{fence_guard.ALERT_TIMEOUT_S}s"),)
    return (Alert(fence_guard.ALERT_ID, fence_guard.AGENT, ("fencing",), attributes, meta),)


def fence_id(host: str) -> str:
    return f"fence-{host}"


def _fence(plan: Plan, host: str, fencing: Mapping[str, FenceDevice]) -> Primitive:
    device = fencing.get(host)
    if device is None:
        raise RenderError(
            f"host {host} has no fence device; STONITH is always on, so every cluster host "
            "needs a BMC (address, username, password secret) before its CIB can be rendered"
        )
    params = (
        ("ip", str(device.address)),
        ("username", device.username),
        ("password", SECRET_REFERENCE),
        ("lanplus", "1" if device.lanplus else "0"),
        ("pcmk_host_list", host),
        ("power_wait", str(plan.profile.fence_power_wait_s)),
    )
    monitor = Op("monitor", "60s")
    return Primitive(fence_id(host), "stonith", "fence_ipmilan", None, params, (monitor,), host)


def _vip(plan: Plan, vip: Vip) -> Primitive:
    params = (
        ("ip", str(vip.address)),
        ("cidr_netmask", str(vip.network.prefixlen)),
        ("nic", vip.interface),
    )
    monitor = Op("monitor", f"{plan.profile.vip_monitor_s}s", "20s")
    return Primitive(vip.resource_id, "ocf", "IPaddr2", "heartbeat", params, (monitor,))


def _vip_locations(plan: Plan, cluster: Cluster, vip: Vip) -> tuple[Location, ...]:
    """Keep a VIP off cluster hosts that do not run its application."""
    own = {host.name for host in placement.application_hosts(plan, vip.application)}
    return tuple(
        Location(f"loc-{vip.resource_id}-avoid-{host.name}", vip.resource_id, host.name, NEVER)
        for host in placement.cluster_hosts(plan, cluster)
        if host.name not in own
    )
