"""What hastack does with hacluster, the cluster layer on every cluster member: corosync,
the CIB (VIPs, the HAProxy clone, fencing), HAProxy and keepalived. The deployer starts the
stack itself before any application (``apply.pacemaker``); here are its files and reloads:
``systemctl reload`` for HAProxy (Pacemaker's ``systemd:haproxy``) and keepalived,
``corosync-cfgtool -R`` for corosync."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ...apply import pacemaker as cluster_layer
from ...apply import units
from ...apply.report import Report
from ...hosts import Connector
from ...plan.model import FenceDevice, Plan
from ...render import corosync, haproxy, keepalived, pacemaker
from ...render.base import RenderedFile
from ...secrets import SecretStore
from ..base import Service
from . import KIND


def render(
    plan: Plan, host: str, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> list[RenderedFile]:
    return [
        rendered
        for part in (corosync.render, pacemaker.render, haproxy.render, keepalived.render)
        for rendered in part(plan, host, secrets, fencing)
    ]


def reload(conn: Connector, changed: Sequence[str], report: Report) -> None:
    if haproxy.PATH in changed and units.is_active(conn, cluster_layer.HAPROXY):
        units.reload(conn, cluster_layer.HAPROXY)
        report.add(conn.name, "haproxy", True, "reloaded haproxy (haproxy.cfg changed)")
    if keepalived.PATH in changed and units.is_active(conn, cluster_layer.KEEPALIVED.name):
        units.reload(conn, cluster_layer.KEEPALIVED.name)
        report.add(conn.name, "keepalived", True, "reloaded keepalived (keepalived.conf changed)")
    if corosync.CONF in changed and units.is_active(conn, cluster_layer.COROSYNC.name):
        conn.run(["corosync-cfgtool", "-R"], timeout=30)
        report.add(conn.name, "corosync", True, "reloaded corosync.conf")


SERVICE = Service(KIND, render=render, reload=reload)
