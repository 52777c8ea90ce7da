"""Galera: bootstrap from the leader, join the others, recover after a full outage.

A running member is left alone. When no member runs, the one to bootstrap is the leader on a
fresh cluster, or - after a full outage - the member with the highest recovered seqno, whose
uuid:seqno is written back into grastate.dat (else a new cluster UUID forces full SSTs).
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from ...apply import daemons
from ...apply.report import Report
from ...errors import DeployError
from ...facts import ParseError
from ...facts import galera as galera_facts
from ...facts.galera import WSREP_STATUS
from ...hosts import Connector
from ...plan import Plan
from ...secrets import SecretStore
from ...wait import WaitTimeout, wait_until
from .sql import management_hosts, native_password_hash

LOG = "/var/log/mysql/stdout.log"
DATADIR = "/var/lib/mysql"
EXITED_AFTER_S = 10.0  # a joiner's mariadbd gone this long has exited (a failed transfer)
DONOR_SETTLE_S = 60.0  # a donor still Desynced this long after its joiners synced is stuck


class MemberExited(DeployError):
    """mariadbd stopped running while hastack waited for it to reach Synced."""


def wait_synced(
    conn: Connector, timeout: float, *, exited_after: float | None = None
) -> galera_facts.GaleraStatus:
    """Wait until the member on *conn* is Synced. With *exited_after*, a mariadbd absent
    that long raises MemberExited at once instead of waiting out *timeout*."""
    gone_since: list[float] = []

    def probe() -> tuple[galera_facts.GaleraStatus | None, str]:
        if not daemons.running(conn, "mariadbd"):
            gone_since.append(time.monotonic())
            if exited_after is not None and gone_since[-1] - gone_since[0] >= exited_after:
                raise MemberExited(
                    f"mariadbd on {conn.name} exited while joining (last errors: "
                    f"{last_errors(conn)})"
                )
            return None, "mariadbd is not running"
        gone_since.clear()
        found, _why = WSREP_STATUS.try_read(conn, timeout=15)
        if found is None:
            return None, "no answer on the socket yet"
        seen = f"{found.local_state_comment}, {found.cluster_status}, size {found.cluster_size}"
        return (found if found.synced else None), seen

    try:
        return wait_until(
            probe, what=f"galera on {conn.name} Synced", timeout=timeout, interval=0.5
        )
    except WaitTimeout as error:
        raise DeployError(
            f"galera on {conn.name} did not reach Synced in {timeout:g} s ({error.last}; "
            f"last errors: {last_errors(conn)}); read {LOG} on {conn.name} "
            f"(`hastack lab exec {conn.name} -- tail -50 {LOG}`)"
        ) from error


def last_errors(conn: Connector, lines: int = 3) -> str:
    """The last ERROR lines of mariadbd's log on *conn*, joined, for an error message."""
    text = conn.read_file(LOG) or ""
    errors = [line.strip() for line in text.splitlines() if "ERROR" in line]
    return " | ".join(errors[-lines:]) or f"no ERROR line in {LOG}"


STOP_TIMEOUT = 90.0


def stop(conn: Connector) -> None:
    """Stop mariadbd on *conn* cleanly (SIGTERM: it saves its position) and wait."""
    conn.run(["pkill", "-TERM", "-x", "mariadbd"], timeout=10)

    def gone() -> tuple[bool | None, str]:
        running = daemons.running(conn, "mariadbd")
        return (None if running else True), "mariadbd still running" if running else "stopped"

    try:
        wait_until(gone, what=f"mariadbd on {conn.name} stopped", timeout=STOP_TIMEOUT)
    except WaitTimeout as error:
        raise DeployError(
            f"mariadbd on {conn.name} did not stop within {STOP_TIMEOUT:g} s; stop it by "
            f"hand (`hastack lab exec {conn.name} -- pkill -KILL -x mariadbd`) and run "
            "`hastack recover galera` again"
        ) from error


def _start(conn: Connector, bootstrap: bool) -> None:
    argv = ["mariadbd", "--user=mysql"] + (["--wsrep-new-cluster"] if bootstrap else [])
    conn.spawn(argv, log=LOG)


def _initialised(conn: Connector) -> bool:
    return conn.run(["test", "-d", f"{DATADIR}/mysql"]).ok


ZERO_UUID = "00000000-0000-0000-0000-000000000000"


def _recovered_position(conn: Connector) -> tuple[str, int] | None:
    """The member's last committed position, or None when it never joined a cluster."""
    if not _initialised(conn):
        return None
    grastate = conn.read_file(f"{DATADIR}/grastate.dat") or ""
    try:
        state = galera_facts.parse_grastate(grastate)
        if state.seqno >= 0 and state.uuid != ZERO_UUID:
            return state.uuid, state.seqno
    except ParseError:
        pass  # empty or torn after a crash: ask InnoDB below
    conn.run(
        ["mariadbd", "--user=mysql", "--wsrep-recover", "--log-error=/var/log/mysql/recover.log"],
        timeout=120,
    )
    found = galera_facts.parse_wsrep_recover(conn.read_file("/var/log/mysql/recover.log") or "")
    if found is None or found[0] == ZERO_UUID:
        return None
    return found


def _mark_bootstrap(conn: Connector, uuid: str, seqno: int) -> None:
    text = (
        "# GALERA saved state\nversion: 2.1\n"
        f"uuid:    {uuid}\nseqno:   {seqno}\nsafe_to_bootstrap: 1\n"
    )
    conn.write_file(f"{DATADIR}/grastate.dat", text, mode=0o660, owner="mysql:mysql")


def _choose_bootstrap(plan: Plan, app: str, hosts: dict[str, Connector]) -> tuple[str, str]:
    """The member to bootstrap and why: the leader of a new cluster, else the most advanced."""
    positions: dict[str, tuple[str, int]] = {}
    for unit in plan.units_of(app):
        found = _recovered_position(hosts[unit.host])
        if found is not None:
            positions[unit.host] = found
    if not positions:
        leader = plan.leader(app).host
        if not _initialised(hosts[leader]):
            hosts[leader].check(
                ["mariadb-install-db", "--user=mysql", f"--datadir={DATADIR}", "--skip-test-db"],
                timeout=180,
            )
        return leader, f"new cluster: bootstrapped from the leader {leader}"
    best = max(sorted(positions), key=lambda h: positions[h][1])
    uuid, seqno = positions[best]
    _mark_bootstrap(hosts[best], uuid, seqno)
    seen = ", ".join(f"{h} {positions[h][1]}" for h in sorted(positions))
    return best, f"full-outage recovery from {best} (highest seqno; {seen})"


def ensure(
    plan: Plan, app: str, hosts: Mapping[str, Connector], secrets: SecretStore, report: Report
) -> None:
    units = plan.units_of(app)
    members = {u.host: hosts[u.host] for u in units}
    live = {h for h, c in members.items() if daemons.running(c, "mariadbd")}
    primary = next(
        (
            h
            for h in sorted(live)
            if (s := WSREP_STATUS.try_read(members[h], timeout=15)[0]) and s.primary
        ),
        None,
    )
    if primary is None:
        if live:
            raise DeployError(
                f"galera {app}: mariadbd runs on {', '.join(sorted(live))} but no member is "
                "in a Primary component; run `hastack recover galera` (or stop them first)"
            )
        first, why = _choose_bootstrap(plan, app, members)
        _start(members[first], bootstrap=True)
        wait_synced(members[first], timeout=120)
        report.add(first, "galera", True, why)
        live = {first}
        primary = first
    joiners = sorted(set(members) - live)
    for host in joiners:  # one state transfer at a time, as Galera's own docs start members
        _join(members[host], app, report)
    for host in sorted(live - {primary}):
        report.add(host, "galera", False, "galera member already Synced")
    if primary in live and not joiners and len(live) == len(members):
        report.add(primary, "galera", False, "galera member already Synced")
    if joiners:  # the primary was a donor: it refuses statements until it is Synced again
        _settle_donor(members[primary], app, report)
    _ensure_users(plan, members[primary], secrets, report)


def _join(conn: Connector, app: str, report: Report) -> None:
    """Start a member without bootstrap and wait until it is Synced. A joiner aborts when
    its state transfer fails (Galera's design); it is started once more, with the reason."""
    for attempt in (1, 2):
        _start(conn, bootstrap=False)
        try:
            wait_synced(conn, timeout=240, exited_after=EXITED_AFTER_S)
        except MemberExited as exited:
            if attempt == 2:
                raise
            report.add(conn.name, "galera", True, f"{exited}; starting it once more")
            continue
        report.add(conn.name, "galera", True, f"joined galera {app} (SST/IST from a donor)")
        return


def _settle_donor(conn: Connector, app: str, report: Report) -> None:
    """Wait for the donor to be Synced again. Galera can leave a donor in Donor/Desynced
    after a finished transfer (codership/galera issue 133, still open); a donor stuck so
    is restarted, and it rejoins by IST from the members it just made."""
    try:
        wait_synced(conn, timeout=DONOR_SETTLE_S)
        return
    except DeployError as error:
        stuck = error
    state, _why = WSREP_STATUS.try_read(conn, timeout=15)
    if state is None or state.local_state_comment != "Donor/Desynced" or not state.primary:
        raise stuck
    stop(conn)
    why = f"restarted: still Donor/Desynced {DONOR_SETTLE_S:g} s after its transfers ended"
    report.add(conn.name, "galera", True, why)
    _join(conn, app, report)


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
