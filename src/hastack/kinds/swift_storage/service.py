"""What hastack does with a Swift storage zone: a device directory per unit, the rings from
the related swift-proxy's builder, rsync and Debian's own units for the account, container
and object servers and their replicators, auditors, updaters and reaper, enabled and started
on every unit (each package unit restarts on failure); status asks every server and unit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

from ...apply import units
from ...apply.report import Report
from ...hosts import Connector
from ...openstack import daemon
from ...plan import Plan, queries
from ...secrets import SecretStore
from ..base import Service
from ..swift_proxy import KIND as PROXY_KIND
from ..swift_proxy import builder, rings
from . import KIND, health, render
from .render import RSYNCD_CONF, SERVERS

START_TIMEOUT_S = 60


def _device(plan: Plan, app: str, conn: Connector, report: Report) -> None:
    path = f"{rings.DEVICES}/{app}"
    if conn.run(["test", "-d", path]).ok:
        report.add(conn.name, f"{app}-device", False, f"device directory {path} present")
        return
    for directory in (rings.DEVICES, path):
        conn.check(["install", "-d", "-o", "swift", "-g", "swift", "-m", "0755", directory])
    report.add(conn.name, f"{app}-device", True, f"made the device directory {path}")


def _start(conn: Connector, app: str, report: Report) -> None:
    for name in (health.RSYNC, *(u for s in SERVERS for u in s.units)):
        outcome = units.ensure_running(conn, units.Unit(name), timeout=START_TIMEOUT_S)
        if outcome.changed:
            report.add(conn.name, name.removesuffix(".service"), True, outcome.message)
    report.add(conn.name, app, False, f"{len(health.ALL_UNITS)} units enabled, active")


def deploy(
    plan: Plan, app: str, hosts: Mapping[str, Connector], secrets: SecretStore, report: Report
) -> None:
    members = {u.host: hosts[u.host] for u in plan.units_of(app)}
    for proxy in queries.related(plan, app, PROXY_KIND.name):  # the servers need the rings
        builder.ensure_rings(plan, proxy, hosts, report)

    def one(host: str) -> None:
        _device(plan, app, members[host], report)
        _start(members[host], app, report)
        for label, _host, url in (t for t in health.targets(plan, app) if t[1] == host):
            logs = "`journalctl -u 'swift-*'` (Swift logs to syslog)"
            daemon.wait_url(members[host], label, url, START_TIMEOUT_S, logs)

    with ThreadPoolExecutor(max_workers=max(1, len(members))) as pool:
        list(pool.map(one, sorted(members)))


def reload(conn: Connector, changed: Sequence[str], report: Report) -> None:
    """A server whose config changed restarts with its daemons; swift.conf restarts them all;
    a changed rsyncd.conf restarts rsync. Rings reload by themselves."""
    every = any(path.endswith("/swift.conf") for path in changed)
    todo = [u for s in SERVERS if every or s.conf in changed for u in s.units]
    if RSYNCD_CONF in changed:
        todo.append(health.RSYNC)
    for name in todo:
        if units.is_active(conn, name):
            units.restart(conn, name, timeout=START_TIMEOUT_S)
            report.add(conn.name, name.removesuffix(".service"), True, f"restarted {name}")


SERVICE = Service(KIND, render=render.render, deploy=deploy, reload=reload, health=health.check)
