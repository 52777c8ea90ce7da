"""Horizon: its Apache instance on every unit; the settings are rendered files.

Nothing to bootstrap: Horizon keeps no state of its own (sessions live in memcached, users
in Keystone), so every unit is started the same way and must show its login page.
"""

from __future__ import annotations

from collections.abc import Mapping

from ...apply import apache
from ...apply.report import Report
from ...hosts import Connector
from ...openstack import api
from ...plan import Plan
from ...secrets import SecretStore
from . import render as render_horizon

INSTANCE = apache.Instance(render_horizon.INSTANCE, render_horizon.CONFIG_DIR)
LOGIN = "/auth/login/"


def ensure(
    plan: Plan, app: str, hosts: Mapping[str, Connector], secrets: SecretStore, report: Report
) -> None:
    members = {u.host: hosts[u.host] for u in plan.units_of(app)}
    apache.ensure_started(members, INSTANCE, api.unit_urls(plan, app), report, timeout=120)
    apache.wait_haproxy_up(plan, app, hosts, report)
