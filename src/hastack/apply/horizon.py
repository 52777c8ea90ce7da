"""Horizon: its Apache instance on every unit; the settings are rendered files.

Nothing to bootstrap: Horizon keeps no state of its own (sessions live in memcached, users
in Keystone), so every unit is started the same way and must show its login page.
"""

from __future__ import annotations

from ..hosts import Connector
from ..plan import Plan
from ..render import horizon as render_horizon
from ..secrets import SecretStore
from . import apache
from .report import Report

INSTANCE = apache.Instance("horizon", render_horizon.APACHE_CONF, "/etc/openstack-dashboard")
LOGIN = "/auth/login/"


def unit_urls(plan: Plan, app: str) -> dict[str, str]:
    port = render_horizon.unit_port()
    return {
        u.host: f"http://{plan.host(u.host).address()}:{port}{LOGIN}" for u in plan.units_of(app)
    }


def ensure(
    plan: Plan, app: str, hosts: dict[str, Connector], secrets: SecretStore, report: Report
) -> None:
    members = {u.host: hosts[u.host] for u in plan.units_of(app)}
    apache.ensure_started(members, INSTANCE, unit_urls(plan, app), report, timeout=120)
    apache.wait_haproxy_up(plan, app, hosts, report)
