"""Run a Plan: files on every host, the cluster layer, then the services phase by phase.

Hosts work in parallel within a step; phases run in order. Every step checks before it acts,
so a re-run on a healthy deployment changes nothing and says so.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor

from .. import catalog, render
from ..hosts import Connector
from ..plan import FenceDevice, Plan
from ..secrets import SecretStore
from . import apache, daemons, files, galera, horizon, keystone, pacemaker, rabbitmq
from .report import Report

log = logging.getLogger(__name__)

Deployer = Callable[[Plan, str, dict[str, Connector], SecretStore, Report], None]

# kind -> how hastack brings it up; kinds not listed are not deployable yet.
DEPLOYERS: dict[str, Deployer] = {}


def deployable(kind: str) -> bool:
    return kind in DEPLOYERS or kind == "hacluster"


def deployable_renderers() -> set[str]:
    """Renderers of the kinds hastack deploys; files of other kinds are not written."""
    kinds = [catalog.by_name(k) for k in (*DEPLOYERS, "hacluster")]
    return {name for kind in kinds for name in kind.renderers}


def deploy(
    plan: Plan,
    hosts: Mapping[str, Connector],
    secrets: SecretStore,
    fencing: Mapping[str, FenceDevice],
    report: Report,
) -> Report:
    conns = dict(hosts)
    _sync_all_files(plan, conns, secrets, fencing, report)
    for cluster in plan.clusters:
        started = time.monotonic()
        pacemaker.start_stack(plan, cluster, conns, report)
        dc = pacemaker.wait_quorate(cluster, conns, timeout=90)
        report.add(
            "cluster",
            "quorum",
            False,
            f"cluster {cluster.name} quorate, DC {dc}",
            time.monotonic() - started,
        )
        pacemaker.apply_cib(cluster, conns, dc, report)
    for phase in plan.phases:
        for app in phase.applications:
            kind = plan.kinds[app]
            step = DEPLOYERS.get(kind)
            if step is None:
                report.add(
                    "plan", kind, False, f"{app}: hastack cannot deploy {kind} yet; skipped"
                )
                continue
            started = time.monotonic()
            step(plan, app, conns, secrets, report)
            log.info("%s ready in %.1f s", app, time.monotonic() - started)
    for cluster in plan.clusters:
        pacemaker.wait_resources(cluster, conns, timeout=120)
        report.add(
            "cluster",
            "resources",
            False,
            f"cluster {cluster.name}: VIPs, HAProxy and fence devices started",
        )
    return report


def _sync_all_files(
    plan: Plan,
    conns: dict[str, Connector],
    secrets: SecretStore,
    fencing: Mapping[str, FenceDevice],
    report: Report,
) -> None:
    def one(host: str) -> None:
        rendered = render.render_host(plan, host, secrets, fencing, only=deployable_renderers())
        changed = files.sync_files(conns[host], rendered)
        if changed:
            report.add(
                host, "files", True, f"wrote {len(changed)} file(s): " + ", ".join(sorted(changed))
            )
            _reload_changed(conns[host], changed, report)
        else:
            report.add(host, "files", False, f"{len(rendered)} files up to date")

    with ThreadPoolExecutor(max_workers=max(1, len(plan.hosts))) as pool:
        list(pool.map(one, [h.name for h in plan.hosts]))


def _reload_changed(conn: Connector, changed: list[str], report: Report) -> None:
    """Running daemons whose config changed pick it up; stopped ones read it at start."""
    if "/etc/haproxy/haproxy.cfg" in changed and daemons.running(conn, "haproxy"):
        conn.check(["/etc/init.d/haproxy", "reload"], timeout=30)
        report.add(conn.name, "haproxy", True, "reloaded haproxy (haproxy.cfg changed)")
    if "/etc/corosync/corosync.conf" in changed and daemons.running(conn, "corosync"):
        conn.run(["corosync-cfgtool", "-R"], timeout=30)
        report.add(conn.name, "corosync", True, "reloaded corosync.conf")
    if "/etc/memcached.conf" in changed and daemons.running(conn, "memcached"):
        conn.check(["/etc/init.d/memcached", "restart"], timeout=30)
        report.add(conn.name, "memcached", True, "restarted memcached (config changed)")
    apache.reload_changed(conn, changed, (keystone.INSTANCE, horizon.INSTANCE), report)


def _memcached(
    plan: Plan, app: str, conns: dict[str, Connector], secrets: SecretStore, report: Report
) -> None:
    def one(host: str) -> None:
        conn = conns[host]
        if daemons.running(conn, "memcached"):
            report.add(host, "memcached", False, "memcached already running")
            return
        conn.check(["/etc/init.d/memcached", "start"], timeout=30)
        report.add(host, "memcached", True, "started memcached")

    with ThreadPoolExecutor(max_workers=len(plan.units_of(app))) as pool:
        list(pool.map(one, [u.host for u in plan.units_of(app)]))


DEPLOYERS.update({"galera": galera.ensure, "rabbitmq": rabbitmq.ensure, "memcached": _memcached})
DEPLOYERS["keystone"] = keystone.ensure
DEPLOYERS["openstack-dashboard"] = horizon.ensure
