"""An API service's units as clients and HAProxy see them: their own URLs, their health,
and the Apache instance that serves them (restarted gracefully when its files change)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .. import catalog
from ..apply import apache
from ..apply.report import Report
from ..catalog.base import ApiPort
from ..health import gather
from ..health.api import evaluate_api
from ..health.status import CheckResult
from ..hosts import Connector
from ..kinds.base import Reloader
from ..plan import Plan


def unit_urls(
    plan: Plan, app: str, path: str | None = None, port: ApiPort | None = None
) -> dict[str, str]:
    """Each unit's own URL by host: its management address, the unit port of *port* (the
    kind's first API port when not given), *path* (that port's health path when not given)."""
    port = port if port is not None else catalog.by_name(plan.kinds[app]).api_ports[0]
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


def check_apis(
    plan: Plan, app: str, hosts: Mapping[str, Connector], apis: Sequence[tuple[str, ApiPort]]
) -> list[CheckResult]:
    """``api.units`` for a unit serving several APIs: each (label, port) on every unit, the
    label in the subject ("heat/0 heat-api-cfn on ctl-1")."""
    results = []
    for label, port in apis:
        urls = unit_urls(plan, app, port=port)
        units = [u for u in plan.units_of(app) if u.host in hosts]
        targets = [(f"{u.name} {label}", u.host, urls[u.host]) for u in units]
        members = {u.host: hosts[u.host] for u in units}
        results += evaluate_api(app, gather.api(members, targets))
    return results


def reload_instance(instance: apache.Instance) -> Reloader:
    """A running instance whose files changed restarts gracefully to read them."""

    def reload(conn: Connector, changed: Sequence[str], report: Report) -> None:
        apache.reload_changed(conn, list(changed), (instance,), report)

    return reload
