"""``hastack status``: gather facts from every host, judge them, one report.

The cluster layer is judged here; each application by its kind (``Service.health``). Every
cluster and application is gathered in parallel (each ``rabbitmqctl`` boots an Erlang VM, so
RabbitMQ is the slowest part). Applications hastack does not deploy yet are left out of the
judgement and listed as such.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor

from .. import kinds
from ..health import gather
from ..health.fencing import evaluate_fence_guards
from ..health.haproxy import evaluate_haproxy
from ..health.pacemaker import ExpectedResource, evaluate_pacemaker
from ..health.report import HealthReport
from ..health.status import CheckResult
from ..health.vip import ExpectedVip, evaluate_vips
from ..hosts import Connector
from ..kinds import deployable
from ..plan import Cluster, Plan


def _subset(connectors: Mapping[str, Connector], hosts: list[str]) -> dict[str, Connector]:
    return {h: connectors[h] for h in hosts if h in connectors}


def collect(plan: Plan, connectors: Mapping[str, Connector]) -> HealthReport:
    """Every cluster's and every deployed application's checks, gathered in parallel."""
    jobs: dict[str, Callable[[], list[CheckResult]]] = {}
    for cluster in plan.clusters:
        jobs[f"cluster:{cluster.name}"] = functools.partial(_cluster, plan, cluster, connectors)
    for app, kind in sorted(plan.kinds.items()):
        check = kinds.service(kind).health
        if check is not None:
            members = _subset(connectors, [u.host for u in plan.units_of(app)])
            jobs[f"app:{app}"] = functools.partial(check, plan, app, members)
    with ThreadPoolExecutor(max_workers=max(1, len(jobs))) as pool:
        futures = [pool.submit(job) for job in jobs.values()]
        return HealthReport([result for future in futures for result in future.result()])


def _cluster(
    plan: Plan, cluster: Cluster, connectors: Mapping[str, Connector]
) -> list[CheckResult]:
    """The cluster layer: membership and resources, VIPs, HAProxy's view of the backends."""
    members = _subset(connectors, list(cluster.hosts))
    expected = [ExpectedResource(v.resource_id) for v in cluster.vips]
    expected.append(ExpectedResource("haproxy-clone", len(cluster.hosts)))
    devices = gather.fence_devices(members)
    guarded = {d.target: d.guard for d in devices or () if d.guarded}
    results = evaluate_pacemaker(gather.pacemaker(members), cluster.hosts, expected, guarded)
    results += evaluate_fence_guards(devices)
    addresses = gather.addresses(members)
    reachable = {h: a for h, a in addresses.items() if a is not None}
    vips = [ExpectedVip(v.resource_id, str(v.address)) for v in cluster.vips]
    unreachable = [h for h, a in addresses.items() if a is None]
    results += evaluate_vips(reachable, vips, unreachable)
    deployed = {f.name for f in cluster.frontends if deployable(f.kind)}
    stats = {
        host: None if rows is None else [r for r in rows if r.proxy in deployed]
        for host, rows in gather.haproxy(members).items()
    }
    writers = [f.name for f in cluster.frontends if f.single_writer]
    return results + evaluate_haproxy(stats, writers)


def not_deployed(plan: Plan) -> list[str]:
    return sorted(a for a, k in plan.kinds.items() if not deployable(k))
