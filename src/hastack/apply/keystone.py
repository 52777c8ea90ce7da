"""Keystone: its database, schema, shared keys, bootstrap by the leader, then every unit.

Order: the database and user on Galera; ``db_sync`` on the leader when the schema is empty;
fernet and credential keys made once and copied to every unit; ``bootstrap`` on the leader
(admin, region, catalog on the VIPs) only when the catalog is not what the plan says; then
each unit's Apache instance. Every step checks first, so a re-run changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from ..errors import DeployError
from ..hosts import Connector
from ..plan import Plan
from ..render import keystone as render_keystone
from ..secrets import SecretStore
from . import apache, daemons, galera, keystone_keys
from .galera import native_password_hash, sql
from .keystone_keys import manage
from .report import Report

INSTANCE = apache.Instance("keystone", render_keystone.APACHE_CONF, "/etc/keystone")
ADMIN = "admin"


def database_member(plan: Plan, app: str, hosts: Mapping[str, Connector]) -> Connector:
    galera = render_keystone.related(plan, app, "galera")[0]
    for unit in sorted(plan.units_of(galera), key=lambda u: u.number):
        if daemons.running(hosts[unit.host], "mariadbd"):
            return hosts[unit.host]
    raise DeployError(f"{app}: no member of {galera} runs mariadbd; deploy {galera} first")


def _ensure_database(plan: Plan, db: Connector, secrets: SecretStore, report: Report) -> None:
    pattern = galera.management_hosts(plan)
    found = sql(
        db,
        "SELECT (SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name='keystone')"
        f" + (SELECT COUNT(*) FROM mysql.user WHERE user='keystone' AND host='{pattern}')",
    )
    if found == [["2"]]:
        report.add(db.name, "keystone-db", False, "database keystone and its user exist")
        return
    hashed = native_password_hash(secrets.get("keystone-db-password").reveal())
    db.check(
        ["mariadb"],
        stdin=(  # the hash, not the password: mariadb echoes a failing statement
            "CREATE DATABASE IF NOT EXISTS keystone;\n"
            f"CREATE USER IF NOT EXISTS 'keystone'@'{pattern}' IDENTIFIED BY PASSWORD "
            f"'{hashed}';\n"
            f"GRANT ALL PRIVILEGES ON keystone.* TO 'keystone'@'{pattern}';\n"
        ),
        timeout=60,
    )
    report.add(db.name, "keystone-db", True, f"created database keystone, user keystone@{pattern}")


def _ensure_schema(db: Connector, leader: Connector, report: Report) -> None:
    tables = sql(
        db, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='keystone'"
    )
    if tables and tables[0][0] != "0":
        report.add(
            leader.name, "keystone-schema", False, f"schema present ({tables[0][0]} tables)"
        )
        return
    started = time.monotonic()
    manage(leader, "db_sync")
    took = time.monotonic() - started
    report.add(leader.name, "keystone-schema", True, "created the schema (db_sync)", took)


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
    region = render_keystone.region(plan, app)
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


def unit_urls(plan: Plan, app: str) -> dict[str, str]:
    port = render_keystone.unit_port()
    return {u.host: f"http://{plan.host(u.host).address()}:{port}/v3" for u in plan.units_of(app)}


def ensure(
    plan: Plan, app: str, hosts: dict[str, Connector], secrets: SecretStore, report: Report
) -> None:
    members = {u.host: hosts[u.host] for u in plan.units_of(app)}
    leader = members[plan.leader(app).host]
    db = database_member(plan, app, hosts)
    _ensure_database(plan, db, secrets, report)
    _ensure_schema(db, leader, report)
    keystone_keys.ensure_shared(members, leader.name, report)
    _ensure_bootstrap(plan, app, db, leader, secrets, report)
    apache.ensure_started(members, INSTANCE, unit_urls(plan, app), report)
    apache.wait_haproxy_up(plan, app, hosts, report)
