"""What hastack does with memcached: its config, start it on every unit, restart on change,
ask each unit for its stats."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

from ...apply import daemons
from ...apply.report import Report
from ...health import gather
from ...health.status import CheckResult
from ...hosts import Connector
from ...plan import Plan
from ...secrets import SecretStore
from ..base import Service
from . import KIND, health, render

INIT = "/etc/init.d/memcached"


def deploy(
    plan: Plan, app: str, hosts: Mapping[str, Connector], secrets: SecretStore, report: Report
) -> None:
    def one(host: str) -> None:
        conn = hosts[host]
        if daemons.running(conn, "memcached"):
            report.add(host, "memcached", False, "memcached already running")
            return
        conn.check([INIT, "start"], timeout=30)
        report.add(host, "memcached", True, "started memcached")

    with ThreadPoolExecutor(max_workers=len(plan.units_of(app))) as pool:
        list(pool.map(one, [u.host for u in plan.units_of(app)]))


def reload(conn: Connector, changed: Sequence[str], report: Report) -> None:
    if render.PATH in changed and daemons.running(conn, "memcached"):
        conn.check([INIT, "restart"], timeout=30)
        report.add(conn.name, "memcached", True, "restarted memcached (config changed)")


def check(plan: Plan, app: str, hosts: Mapping[str, Connector]) -> list[CheckResult]:
    members = {u.host: hosts[u.host] for u in plan.units_of(app) if u.host in hosts}
    listen = {h: str(plan.host(h).address()) for h in members}
    return health.evaluate_memcached(gather.memcached(members, listen))


SERVICE = Service(KIND, render=render.render, deploy=deploy, reload=reload, health=check)
