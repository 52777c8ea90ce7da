"""A service's database and user on Galera, created from a password hash, checked first."""

from __future__ import annotations

import time

from ..apply.report import Report
from ..errors import DeployError
from ..hosts import Connector
from ..kinds.galera.sql import management_hosts, native_password_hash, sql
from ..plan import Plan
from ..secrets import SecretStore
from .config import Database


def ensure_database(
    plan: Plan, db: Connector, name: str, secret: str, secrets: SecretStore, report: Report
) -> None:
    """Database *name* and user *name* on the management network, password from *secret*."""
    pattern = management_hosts(plan)
    found = sql(
        db,
        f"SELECT (SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name='{name}')"
        f" + (SELECT COUNT(*) FROM mysql.user WHERE user='{name}' AND host='{pattern}')",
    )
    if found == [["2"]]:
        report.add(db.name, f"{name}-db", False, f"database {name} and its user exist")
        return
    hashed = native_password_hash(secrets.get(secret).reveal())
    db.check(
        ["mariadb"],
        stdin=(  # the hash, not the password: mariadb echoes a failing statement
            f"CREATE DATABASE IF NOT EXISTS {name};\n"
            f"CREATE USER IF NOT EXISTS '{name}'@'{pattern}' IDENTIFIED BY PASSWORD "
            f"'{hashed}';\n"
            f"GRANT ALL PRIVILEGES ON {name}.* TO '{name}'@'{pattern}';\n"
        ),
        timeout=60,
    )
    report.add(db.name, f"{name}-db", True, f"created database {name}, user {name}@{pattern}")


def table_count(db: Connector, name: str) -> int:
    """How many tables database *name* has (0 before its schema is made)."""
    rows = sql(db, f"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='{name}'")
    return int(rows[0][0]) if rows else 0


def ensure_schema(
    db: Connector, leader: Connector, database: Database, user: str, report: Report
) -> None:
    """The schema command on the leader, as the service's *user*, when the database is empty."""
    tables = table_count(db, database.name)
    step = f"{database.name}-schema"
    if tables:
        report.add(
            leader.name, step, False, f"schema of {database.name} present ({tables} tables)"
        )
        return
    started = time.monotonic()
    _run_as(leader, user, database.sync, database.name, timeout=900)
    took = time.monotonic() - started
    made = table_count(db, database.name)
    report.add(
        leader.name,
        step,
        True,
        f"created the schema ({' '.join(database.sync)}: {made} tables)",
        took,
    )


def ensure_seed(
    db: Connector, leader: Connector, database: Database, user: str, report: Report
) -> None:
    """The service's own rows (``database.seed``) loaded once, while their table is empty."""
    seed = database.seed
    if seed is None:
        return
    step, where = f"{database.name}-seed", f"{database.name}.{seed.table}"
    rows = sql(db, f"SELECT COUNT(*) FROM {where}")
    if rows and rows[0][0] != "0":
        report.add(leader.name, step, False, f"{where} has {rows[0][0]} rows")
        return
    started = time.monotonic()
    _run_as(leader, user, seed.load, database.name, timeout=600)
    loaded = sql(db, f"SELECT COUNT(*) FROM {where}")
    count = loaded[0][0] if loaded else "no"
    report.add(
        leader.name,
        step,
        True,
        f"loaded {where} ({' '.join(seed.load)}: {count} rows)",
        time.monotonic() - started,
    )


def _run_as(
    leader: Connector, user: str, argv: tuple[str, ...], name: str, timeout: float
) -> None:
    """The service's own database command on the leader as its *user*; its error if it fails."""
    result = leader.run(["runuser", "-u", user, "--", *argv], timeout=timeout)
    if not result.ok:
        tail = " ".join(result.stderr.strip().splitlines()[-2:])[:300]
        raise DeployError(
            f"{name} on {leader.name}: `{' '.join(argv)}` exited "
            f"{result.exit_code} ({tail}); read /var/log/{user}/ on {leader.name}"
        )
