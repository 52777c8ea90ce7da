"""An API service's units as clients and HAProxy see them: their own URLs, their health,
and the Apache instance that serves them (restarted gracefully when its files change)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .. import catalog
from ..apply import apache
from ..apply.report import Report
from ..health import gather
from ..health.api import evaluate_api
from ..health.status import CheckResult
from ..hosts import Connector
from ..kinds.base import Reloader
from ..plan import Plan


def unit_urls(plan: Plan, app: str, path: str | None = None) -> dict[str, str]:
    """Each unit's own URL by host: its management address, the unit port, *path* (the
    health path of the kind's first API port when not given)."""
    port = catalog.by_name(plan.kinds[app]).api_ports[0]
    where = path if path is not None else (port.health_path or "/")
    return {
        u.host: f"http://{plan.host(u.host).address()}:{port.unit_port}{where}"
        for u in plan.units_of(app)
    }


def check_units(plan: Plan, app: str, hosts: Mapping[str, Connector]) -> list[CheckResult]:
    """``api.units``: every unit answers its health URL on its own address."""
    urls = unit_urls(plan, app)
    targets = [(u.name, u.host, urls[u.host]) for u in plan.units_of(app) if u.host in hosts]
    members = {host: hosts[host] for _unit, host, _url in targets}
    return evaluate_api(app, gather.api(members, targets))


def reload_instance(instance: apache.Instance) -> Reloader:
    """A running instance whose files changed restarts gracefully to read them."""

    def reload(conn: Connector, changed: Sequence[str], report: Report) -> None:
        apache.reload_changed(conn, list(changed), (instance,), report)

    return reload
