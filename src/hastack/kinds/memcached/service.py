"""What hastack does with memcached: its config, ``memcached.service`` enabled and started on
every unit (Debian's unit restarts it after a crash), restarted on change, each unit asked
for its stats."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

from ...apply import units
from ...apply.report import Report
from ...health import gather
from ...health.status import CheckResult
from ...hosts import Connector
from ...plan import Plan
from ...secrets import SecretStore
from ..base import Service
from . import KIND, health, render

UNIT = units.Unit("memcached.service")  # the package's unit: Restart=always


def deploy(
    plan: Plan, app: str, hosts: Mapping[str, Connector], secrets: SecretStore, report: Report
) -> None:
    def one(host: str) -> None:
        outcome = units.ensure_running(hosts[host], UNIT, timeout=30)
        report.add(host, "memcached", outcome.changed, outcome.message)

    with ThreadPoolExecutor(max_workers=len(plan.units_of(app))) as pool:
        list(pool.map(one, [u.host for u in plan.units_of(app)]))


def reload(conn: Connector, changed: Sequence[str], report: Report) -> None:
    if render.PATH in changed and units.is_active(conn, UNIT.name):
        units.restart(conn, UNIT.name, timeout=30)
        report.add(conn.name, "memcached", True, "restarted memcached (config changed)")


def check(plan: Plan, app: str, hosts: Mapping[str, Connector]) -> list[CheckResult]:
    members = {u.host: hosts[u.host] for u in plan.units_of(app) if u.host in hosts}
    listen = {h: str(plan.host(h).address()) for h in members}
    return health.evaluate_memcached(gather.memcached(members, listen))


SERVICE = Service(KIND, render=render.render, deploy=deploy, reload=reload, health=check)
