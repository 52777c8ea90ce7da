"""Galera: each member made ready for Pacemaker, then hastack waits for Pacemaker's galera agent.

The cluster layer (corosync, Pacemaker, the CIB with the galera clone from ``resources.py``)
is up before any application phase runs (``apply/deploy.py``), so the agent owns mariadbd
from the start: it picks the most advanced member, bootstraps it and joins the others. This
step only prepares what the agent needs and cannot do itself - mariadb.service disabled and
stopped (Pacemaker, not systemd, runs the server; at boot too), an initialised datadir - and
clears the resource's failures when a member was not ready, so the agent tries again. Then
it waits until every member is Promoted and Synced and creates hastack's database users.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from ...apply.report import Report
from ...errors import DeployError
from ...facts.galera import WSREP_STATUS, GaleraStatus
from ...facts.pacemaker import CRM_MON, ClusterStatus
from ...hosts import Connector
from ...plan import Plan
from ...secrets import SecretStore
from ...wait import WaitTimeout, wait_until
from .resources import DATADIR, LOG, clone_id
from .sql import management_hosts, native_password_hash

UNIT = "mariadb.service"
READY_TIMEOUT_S = 420.0  # a first bootstrap and two state transfers, on a busy 2-core machine
PROMOTED_ROLES = frozenset(("Promoted", "Master"))


def ensure(
    plan: Plan, app: str, hosts: Mapping[str, Connector], secrets: SecretStore, report: Report
) -> None:
    members = {u.host: hosts[u.host] for u in plan.units_of(app)}
    unready = [_prepare(conn, report) for _host, conn in sorted(members.items())]
    ready, _seen = members_ready(app, members)
    if ready is not None:
        report.add(ready, "galera", False, f"galera {app}: every member Promoted and Synced")
    else:
        if any(unready):
            cleanup(app, members, report, "a member was not ready for the galera agent")
        started = time.monotonic()
        ready = wait_ready(app, members, READY_TIMEOUT_S)
        report.add(
            ready,
            "galera",
            True,
            f"galera {app}: Pacemaker promoted {', '.join(sorted(members))}; every member Synced",
            time.monotonic() - started,
        )
    _ensure_users(plan, members[ready], secrets, report)


def _prepare(conn: Connector, report: Report) -> bool:
    """Make *conn* ready for the agent; True when something had to change."""
    changed = _unit_off(conn, report)
    if not conn.run(["test", "-d", f"{DATADIR}/mysql"]).ok:
        conn.check(
            ["mariadb-install-db", "--user=mysql", f"--datadir={DATADIR}", "--skip-test-db"],
            timeout=180,
        )
        report.add(conn.name, "galera", True, f"initialised the datadir {DATADIR}")
        changed = True
    return changed


def _unit_off(conn: Connector, report: Report) -> bool:
    """mariadb.service disabled and stopped: Pacemaker's agent runs mariadbd, at boot too."""
    if not conn.run(["test", "-d", "/run/systemd/system"]).ok:
        return False  # no systemd on this host: nothing starts mariadb.service
    enabled = conn.run(["systemctl", "is-enabled", "--quiet", UNIT]).ok
    active = conn.run(["systemctl", "is-active", "--quiet", UNIT]).ok
    if not enabled and not active:
        return False
    conn.check(["systemctl", "disable", "--now", UNIT], timeout=120)
    was = " and ".join(w for w, on in (("enabled", enabled), ("running", active)) if on)
    report.add(conn.name, "galera", True, f"disabled {UNIT} (was {was}): Pacemaker runs mariadbd")
    return True


def cleanup(app: str, members: Mapping[str, Connector], report: Report, why: str) -> None:
    """Forget the galera resource's failures, so Pacemaker starts it again where it failed."""
    conn = members[sorted(members)[0]]
    conn.check(["crm_resource", "--cleanup", "--resource", clone_id(app)], timeout=60)
    report.add("cluster", "galera", True, f"cleared the failures of {clone_id(app)}: {why}")


def promoted_on(status: ClusterStatus, app: str) -> set[str]:
    """The nodes where the galera clone of *app* runs Promoted and not failed."""
    return {
        node
        for r in status.instances(clone_id(app))
        if r.role in PROMOTED_ROLES and r.active and not r.failed
        for node in r.nodes
    }


def members_ready(app: str, members: Mapping[str, Connector]) -> tuple[str | None, str]:
    """(a Synced member, what was seen) when every member is Promoted and Synced, else
    (None, what is missing)."""
    status = next(
        (found for conn in members.values() if (found := CRM_MON.try_read(conn)[0])), None
    )
    if status is None:
        return None, "crm_mon answered on no member"
    promoted = promoted_on(status, app)
    if missing := sorted(set(members) - promoted):
        roles = ", ".join(_role(status, app, host) for host in missing)
        failures = _failures(status, app)
        return None, f"not Promoted yet: {roles}" + (f"; failed: {failures}" if failures else "")
    states = {host: WSREP_STATUS.try_read(conn, timeout=15)[0] for host, conn in members.items()}
    if unsynced := sorted(h for h, s in states.items() if s is None or not s.synced):
        return None, "not Synced yet: " + ", ".join(_state(h, states[h]) for h in unsynced)
    return sorted(members)[0], "every member Promoted and Synced"


def _role(status: ClusterStatus, app: str, host: str) -> str:
    roles = [r.role for r in status.instances(clone_id(app)) if host in r.nodes]
    return f"{host} {'/'.join(roles) or 'Stopped'}"


def _state(host: str, status: GaleraStatus | None) -> str:
    if status is None:
        return f"{host} does not answer"
    return f"{host} {status.local_state_comment}, {status.cluster_status}"


def _failures(status: ClusterStatus, app: str) -> str:
    rid = clone_id(app).removesuffix("-clone")
    return "; ".join(
        f"{a.label} on {a.node}: {a.exit_reason or a.exit_status}"
        for a in status.failed_actions
        if a.resource.split(":")[0] == rid
    )


def wait_ready(app: str, members: Mapping[str, Connector], timeout: float) -> str:
    """Wait until Pacemaker promoted every member and each is Synced; a Synced member."""
    try:
        return wait_until(
            lambda: members_ready(app, members),
            what=f"galera {app} promoted and Synced on every member",
            timeout=timeout,
            interval=2.0,
        )
    except WaitTimeout as error:
        host = sorted(members)[0]
        raise DeployError(
            f"galera {app}: Pacemaker did not promote every member to a Synced galera node in"
            f" {timeout:g} s ({error.last}); last errors on {host}: {last_errors(members[host])}."
            f" Read `crm_mon -1 --show-detail` and {LOG} on the members (`hastack lab exec"
            f" {host} -- tail -50 {LOG}`); once the cause is fixed, `hastack recover galera`"
            " clears the failures so that Pacemaker tries again"
        ) from error


def last_errors(conn: Connector, lines: int = 3) -> str:
    """The last ERROR lines of mariadbd's log on *conn*, joined, for an error message."""
    text = conn.read_file(LOG) or ""
    errors = [line.strip() for line in text.splitlines() if "ERROR" in line]
    return " | ".join(errors[-lines:]) or f"no ERROR line in {LOG}"


def _retry_sql(conn: Connector, statements: str) -> None:
    """Run *statements*; a member that just became Primary may briefly refuse them."""
    for attempt in range(5):
        result = conn.run(["mariadb"], stdin=statements, timeout=30)
        if result.ok:
            return
        if "WSREP has not yet prepared node" not in result.stderr or attempt == 4:
            conn.check(["mariadb"], stdin=statements, timeout=30)
            return
        time.sleep(1.0)


def _ensure_users(plan: Plan, conn: Connector, secrets: SecretStore, report: Report) -> None:
    """hastack's admin user and HAProxy's check user, on the management network."""
    pattern = management_hosts(plan)
    exists = conn.run(
        [
            "mariadb",
            "-N",
            "-B",
            "-e",
            f"SELECT COUNT(*) FROM mysql.user WHERE user IN ('hastack','haproxy') "
            f"AND host='{pattern}'",
        ],
        timeout=15,
    )
    if exists.ok and exists.stdout.strip() == "2":
        report.add(conn.name, "galera-users", False, "database users exist")
        return
    hashed = native_password_hash(secrets.get("mysql-hastack-password").reveal())
    statements = (
        f"CREATE USER IF NOT EXISTS 'hastack'@'{pattern}' IDENTIFIED BY PASSWORD '{hashed}';\n"
        f"GRANT ALL PRIVILEGES ON *.* TO 'hastack'@'{pattern}' WITH GRANT OPTION;\n"
        f"CREATE USER IF NOT EXISTS 'haproxy'@'{pattern}';\n"
        "FLUSH PRIVILEGES;\n"
    )
    _retry_sql(conn, statements)
    report.add(
        conn.name, "galera-users", True, f"created database users hastack and haproxy@{pattern}"
    )
