"""keepalived.conf: one VRRP instance per VIP, unicast to the peers, tracking HAProxy.

Only for clusters whose VIP provider is keepalived. Every instance starts BACKUP; the
first host (plan order) has the highest priority and preempts back when it returns.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Mapping

from ..plan.model import FenceDevice, Host, Plan, Vip
from ..secrets import SecretStore
from ..topology import VipProvider
from . import jinja, placement
from .base import RenderedFile

PATH = "/etc/keepalived/keepalived.conf"
TOP_PRIORITY = 200
PRIORITY_STEP = 10


@dataclasses.dataclass(frozen=True)
class Instance:
    name: str
    interface: str
    router_id: int
    priority: int
    source: ipaddress.IPv4Address
    peers: tuple[ipaddress.IPv4Address, ...]
    address: ipaddress.IPv4Address
    prefix: int


def priority(index: int) -> int:
    return max(1, TOP_PRIORITY - PRIORITY_STEP * index)


def _instance(plan: Plan, host: Host, vip: Vip) -> Instance | None:
    holders = placement.application_hosts(plan, vip.application)
    names = [h.name for h in holders]
    if host.name not in names:
        return None
    own = next(a for a in host.addresses if a.role is vip.role)
    peers = tuple(
        a.address
        for h in holders
        if h.name != host.name
        for a in h.addresses
        if a.role is vip.role
    )
    return Instance(
        name=vip.resource_id,
        interface=vip.interface,
        router_id=vip.vrrp_router_id,
        priority=priority(names.index(host.name)),
        source=own.address,
        peers=tuple(sorted(peers)),
        address=vip.address,
        prefix=vip.network.prefixlen,
    )


def advert(seconds: float) -> str:
    """VRRPv2 wants whole seconds; VRRPv3 takes centiseconds ("0.1")."""
    return str(int(seconds)) if float(seconds).is_integer() else f"{seconds:g}"


def render(
    plan: Plan, host: str, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> list[RenderedFile]:
    cluster = plan.cluster_of(host)
    if cluster is None or cluster.vip_provider is not VipProvider.KEEPALIVED:
        return []
    me = plan.host(host)
    candidates = (_instance(plan, me, vip) for vip in cluster.vips)
    instances = sorted((i for i in candidates if i is not None), key=lambda i: i.router_id)
    text = jinja.render(
        "keepalived.conf.j2",
        router_id=host,
        vrrp_version=plan.profile.vrrp_version,
        advert_int=advert(plan.profile.vrrp_advert_s),
        instances=instances,
    )
    return [RenderedFile(PATH, text, mode=0o644, owner="root")]
