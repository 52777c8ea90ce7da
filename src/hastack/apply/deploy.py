"""Run a Plan: files on every host, the cluster layer, then the services phase by phase.

Hosts work in parallel within a step; phases run in order. Every step checks before it acts,
so a re-run on a healthy deployment changes nothing and says so.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

from .. import kinds, render
from ..hosts import Connector
from ..plan import FenceDevice, Plan
from ..secrets import SecretStore
from ..topology import VipProvider
from . import files, pacemaker
from .report import Report

log = logging.getLogger(__name__)


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
        if cluster.vip_provider is VipProvider.KEEPALIVED:
            pacemaker.start_keepalived(cluster, conns, report)
    for phase in plan.phases:
        for app in phase.applications:
            kind = plan.kinds[app]
            step = kinds.service(kind).deploy
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
        rendered = render.render_host(plan, host, secrets, fencing)
        changed = files.sync_files(conns[host], rendered)
        if changed:
            report.add(
                host, "files", True, f"wrote {len(changed)} file(s): " + ", ".join(sorted(changed))
            )
            for kind in render.kinds_on(plan, host):  # running daemons read their new files
                if (reload := kinds.service(kind).reload) is not None:
                    reload(conns[host], changed, report)
        else:
            report.add(host, "files", False, f"{len(rendered)} files up to date")

    with ThreadPoolExecutor(max_workers=max(1, len(plan.hosts))) as pool:
        list(pool.map(one, [h.name for h in plan.hosts]))
