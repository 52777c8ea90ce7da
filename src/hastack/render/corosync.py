"""corosync.conf (knet, encrypted, votequorum) and the shared authkey."""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Mapping

from ..plan import queries
from ..plan.model import FenceDevice, Plan
from ..secrets import SecretStore
from . import jinja, placement
from .base import RenderedFile

CONF = "/etc/corosync/corosync.conf"
AUTHKEY = "/etc/corosync/authkey"


@dataclasses.dataclass(frozen=True)
class Node:
    name: str
    nodeid: int  # 1..n in the plan's host order; Pacemaker's node ids match
    address: ipaddress.IPv4Address


def nodes(plan: Plan, cluster_hosts: tuple[str, ...]) -> tuple[Node, ...]:
    hosts = queries.ordered(plan, cluster_hosts)
    return tuple(
        Node(host.name, index, placement.management(host))
        for index, host in enumerate(hosts, start=1)
    )


def render(
    plan: Plan, host: str, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> list[RenderedFile]:
    cluster = plan.cluster_of(host)
    if cluster is None:
        return []
    profile = plan.profile
    text = jinja.render(
        "corosync.conf.j2",
        cluster_name=cluster.name,
        keyfile=AUTHKEY,
        token=profile.token_ms,
        token_coefficient=profile.token_coefficient_ms,
        consensus=profile.consensus_ms,
        nodes=nodes(plan, cluster.hosts),
    )
    # corosync reads the key file's raw bytes: no header, no newline
    key = secrets.get("corosync-authkey").reveal()
    return [
        RenderedFile(AUTHKEY, key, mode=0o400, owner="root", secret=True),
        RenderedFile(CONF, text, mode=0o644, owner="root"),
    ]
