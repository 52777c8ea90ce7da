"""Keystone: its database, schema, shared keys, bootstrap by the leader, then every unit.

Order: the database and user on Galera; ``db_sync`` on the leader when the schema is empty;
fernet and credential keys made once and copied to every unit; ``bootstrap`` on the leader
(admin, region, catalog on the VIPs) only when the catalog is not what the plan says; then
each unit's Apache instance. Every step checks first, so a re-run changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from ...apply import apache
from ...apply.report import Report
from ...hosts import Connector
from ...openstack import api
from ...openstack.database import ensure_database, ensure_schema
from ...plan import Plan, queries
from ...secrets import SecretStore
from ..galera.sql import live_member, sql
from . import keys
from . import render as render_keystone
from .keys import manage

INSTANCE = apache.Instance(render_keystone.INSTANCE, "/etc/keystone")
ADMIN = "admin"


def _catalog_rows(db: Connector) -> set[tuple[str, ...]]:
    rows = sql(
        db,
        "SELECT e.interface, e.url, e.region_id FROM keystone.endpoint e JOIN keystone.service"
        " s ON e.service_id = s.id WHERE s.type = 'identity' AND e.enabled = 1;\n"
        f"SELECT 'user', name, '-' FROM keystone.local_user WHERE name = '{ADMIN}';",
    )
    return {tuple(row) for row in rows}


def _ensure_bootstrap(
    plan: Plan, app: str, db: Connector, leader: Connector, secrets: SecretStore, report: Report
) -> None:
    """``bootstrap`` once: it runs again only when an endpoint or the admin user is missing."""
    urls = render_keystone.endpoints(plan, app)
    region = queries.region(plan, app)
    wanted = {(i, u, region) for i, u in urls.items()} | {("user", ADMIN, "-")}
    if _catalog_rows(db) == wanted:
        report.add(
            leader.name, "keystone-bootstrap", False, f"admin and catalog in {region} exist"
        )
        return
    env = {
        "OS_BOOTSTRAP_PASSWORD": secrets.get("keystone-admin-password").reveal(),
        "OS_BOOTSTRAP_USERNAME": ADMIN,
        "OS_BOOTSTRAP_PROJECT_NAME": ADMIN,
        "OS_BOOTSTRAP_REGION_ID": region,
        "OS_BOOTSTRAP_PUBLIC_URL": urls["public"],
        "OS_BOOTSTRAP_INTERNAL_URL": urls["internal"],
        "OS_BOOTSTRAP_ADMIN_URL": urls["admin"],
    }
    started = time.monotonic()
    manage(leader, "bootstrap", env=env)
    took = time.monotonic() - started
    report.add(
        leader.name,
        "keystone-bootstrap",
        True,
        f"bootstrapped admin, region {region}, endpoints public {urls['public']}, "
        f"internal/admin {urls['internal']}",
        took,
    )


def ensure(
    plan: Plan, app: str, hosts: Mapping[str, Connector], secrets: SecretStore, report: Report
) -> None:
    members = {u.host: hosts[u.host] for u in plan.units_of(app)}
    leader = members[plan.leader(app).host]
    db = live_member(plan, app, hosts)
    database = render_keystone.DATABASE
    ensure_database(plan, db, database.name, database.secret, secrets, report)
    ensure_schema(db, leader, database, "keystone", report)
    keys.ensure_shared(members, leader.name, report)
    _ensure_bootstrap(plan, app, db, leader, secrets, report)
    apache.ensure_started(members, INSTANCE, api.unit_urls(plan, app), report)
    apache.wait_haproxy_up(plan, app, hosts, report)
