"""``hastack status``: gather facts from every host, judge them, one report.

Gathering runs in parallel (each ``rabbitmqctl`` boots an Erlang VM, so it is the slowest
part); judging is the pure ``health`` package. Applications hastack does not deploy yet are
left out of the judgement and listed as such.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .. import catalog
from ..apply.deploy import deployable
from ..health import gather
from ..health.api import evaluate_api
from ..health.galera import evaluate_galera
from ..health.haproxy import evaluate_haproxy
from ..health.memcached import evaluate_memcached
from ..health.pacemaker import ExpectedResource, evaluate_pacemaker
from ..health.rabbitmq import evaluate_rabbitmq
from ..health.report import HealthReport
from ..health.status import CheckResult
from ..health.vip import ExpectedVip, evaluate_vips
from ..hosts import Connector
from ..plan import Plan


def _subset(connectors: Mapping[str, Connector], hosts: list[str]) -> dict[str, Connector]:
    return {h: connectors[h] for h in hosts if h in connectors}


def collect(plan: Plan, connectors: Mapping[str, Connector]) -> HealthReport:
    jobs: dict[str, Callable[[], Any]] = {}
    for cluster in plan.clusters:
        members = _subset(connectors, list(cluster.hosts))
        jobs[f"pcmk:{cluster.name}"] = functools.partial(gather.pacemaker, members)
        jobs[f"addr:{cluster.name}"] = functools.partial(gather.addresses, members)
        jobs[f"haproxy:{cluster.name}"] = functools.partial(gather.haproxy, members)
    for app, kind in sorted(plan.kinds.items()):
        hosts = [u.host for u in plan.units_of(app)]
        members = _subset(connectors, hosts)
        if kind == "galera":
            jobs[f"galera:{app}"] = functools.partial(gather.galera, members)
        elif kind == "rabbitmq":
            jobs[f"rabbit:{app}"] = functools.partial(gather.rabbitmq, members)
            jobs[f"queues:{app}"] = functools.partial(gather.quorum_queues, members)
        elif kind == "memcached":
            listen = {h: str(plan.host(h).address()) for h in hosts}
            jobs[f"memcached:{app}"] = functools.partial(gather.memcached, members, listen)
        elif api_targets(plan, app):
            jobs[f"api:{app}"] = functools.partial(gather.api, members, api_targets(plan, app))
    with ThreadPoolExecutor(max_workers=max(1, len(jobs))) as pool:
        futures = {key: pool.submit(job) for key, job in jobs.items()}
        facts = {key: future.result() for key, future in futures.items()}
    return HealthReport(_judge(plan, facts))


def _judge(plan: Plan, facts: dict[str, Any]) -> list[CheckResult]:
    results: list[CheckResult] = []
    for cluster in plan.clusters:
        expected = [ExpectedResource(v.resource_id) for v in cluster.vips]
        expected.append(ExpectedResource("haproxy-clone", len(cluster.hosts)))
        results += evaluate_pacemaker(facts[f"pcmk:{cluster.name}"], cluster.hosts, expected)
        addresses = facts[f"addr:{cluster.name}"]
        reachable = {h: a for h, a in addresses.items() if a is not None}
        vips = [ExpectedVip(v.resource_id, str(v.address)) for v in cluster.vips]
        unreachable = [h for h, a in addresses.items() if a is None]
        results += evaluate_vips(reachable, vips, unreachable)
        deployed = {f.name for f in cluster.frontends if deployable(f.kind)}
        stats = {
            host: None if rows is None else [r for r in rows if r.proxy in deployed]
            for host, rows in facts[f"haproxy:{cluster.name}"].items()
        }
        writers = [f.name for f in cluster.frontends if f.single_writer]
        results += evaluate_haproxy(stats, writers)
    for app, kind in sorted(plan.kinds.items()):
        units = plan.units_of(app)
        if kind == "galera":
            results += evaluate_galera(facts[f"galera:{app}"], len(units))
        elif kind == "rabbitmq":
            nodes = [f"rabbit@{u.host}" for u in units]
            results += evaluate_rabbitmq(facts[f"rabbit:{app}"], nodes, facts[f"queues:{app}"])
        elif kind == "memcached":
            results += evaluate_memcached(facts[f"memcached:{app}"])
        elif f"api:{app}" in facts:
            results += evaluate_api(app, facts[f"api:{app}"])
    return results


def api_targets(plan: Plan, app: str) -> list[tuple[str, str, str]]:
    """(unit, host, url) of each unit's own API health URL, for deployed stateless APIs."""
    kind = plan.kinds[app]
    ports = catalog.by_name(kind).api_ports
    if not deployable(kind) or not ports or ports[0].health_path is None:
        return []
    port = ports[0]
    return [
        (
            u.name,
            u.host,
            f"http://{plan.host(u.host).address()}:{port.unit_port}{port.health_path}",
        )
        for u in plan.units_of(app)
    ]


def not_deployed(plan: Plan) -> list[str]:
    return sorted(a for a, k in plan.kinds.items() if not deployable(k))
