"""A service's own long-running daemon on every unit (heat-engine): started, found, restarted.

Started through ``Connector.spawn`` as the service's system user (``setpriv`` execs it, so
the daemon is the process that was spawned and nothing waits around it), found by its
command line. A daemon that dies within ``settle_s`` of its start failed to start: its log
says why.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

from ..apply.report import Report
from ..errors import ConnectError, DeployError
from ..health.status import CheckResult, Status
from ..hosts import Connector
from ..plan import Plan
from ..plan.model import Unit
from ..wait import SYSTEM_CLOCK, Clock, WaitTimeout, wait_until

SETTLE_S = 3.0  # a daemon alive this long after its start read its config and connected


@dataclasses.dataclass(frozen=True)
class Daemon:
    name: str  # "heat-engine"
    argv: tuple[str, ...]  # ("/usr/bin/heat-engine", "--config-file", "/etc/heat/heat.conf")
    user: str  # the system user it runs as
    log: str  # where its stdout/stderr go; its own log is set in its config
    config: str  # a change to this file restarts it

    @property
    def pattern(self) -> str:
        """``pgrep -f`` pattern: the spawned command line (python3 runs the script)."""
        return " ".join(self.argv) + "$"

    def command(self) -> list[str]:
        owner = ["--reuid", self.user, "--regid", self.user, "--init-groups"]
        return ["setpriv", *owner, "--", *self.argv]


def pids(conn: Connector, daemon: Daemon) -> list[int]:
    result = conn.run(["pgrep", "-f", daemon.pattern])
    return [int(p) for p in result.stdout.split()] if result.ok else []


def running(conn: Connector, daemon: Daemon) -> bool:
    return bool(pids(conn, daemon))


def start(conn: Connector, daemon: Daemon, clock: Clock = SYSTEM_CLOCK) -> None:
    """Spawn *daemon*; it must still run ``SETTLE_S`` later (else its config or a peer it
    needs at start is wrong, and its log says which)."""
    conn.spawn(daemon.command(), log=daemon.log)
    clock.sleep(SETTLE_S)
    if not running(conn, daemon):
        raise DeployError(
            f"{daemon.name} on {conn.name} exited within {SETTLE_S:g} s of its start; read "
            f"{daemon.log} and /var/log/{daemon.user}/{daemon.name}.log on {conn.name}"
        )


def stop(conn: Connector, daemon: Daemon, timeout: float = 30) -> None:
    """SIGTERM, and SIGKILL what is left after *timeout*."""
    found = pids(conn, daemon)
    if not found:
        return
    conn.run(["kill", "-TERM", *map(str, found)])

    def gone() -> tuple[bool | None, str]:
        return (True, "stopped") if not running(conn, daemon) else (None, "still running")

    try:
        wait_until(gone, what=f"{daemon.name} stopping on {conn.name}", timeout=timeout)
    except WaitTimeout:
        conn.run(["kill", "-KILL", *map(str, pids(conn, daemon))])


def ensure_running(members: Mapping[str, Connector], daemon: Daemon, report: Report) -> None:
    """Start *daemon* on every unit where it is not running, all at once."""

    def one(host: str) -> None:
        conn = members[host]
        if running(conn, daemon):
            report.add(host, daemon.name, False, f"{daemon.name} already running")
            return
        started = time.monotonic()
        start(conn, daemon)
        took = time.monotonic() - started
        report.add(host, daemon.name, True, f"started {daemon.name}", took)

    with ThreadPoolExecutor(max_workers=max(1, len(members))) as pool:
        list(pool.map(one, sorted(members)))


def restart_changed(
    conn: Connector, changed: list[str], daemons: tuple[Daemon, ...], report: Report
) -> None:
    """A running daemon whose config file changed is restarted to read it."""
    for daemon in daemons:
        if daemon.config in changed and running(conn, daemon):
            stop(conn, daemon)
            start(conn, daemon)
            report.add(conn.name, daemon.name, True, f"restarted {daemon.name} (config changed)")


CHECK = "daemon.units"


def evaluate_daemon(
    app: str, daemon: Daemon, seen: list[tuple[str, str, bool | None]]
) -> list[CheckResult]:
    """Judge *daemon* on each unit from (unit, host, running; None: host unreachable): a unit
    without it is DEGRADED while another unit runs it, DOWN when none does."""
    live = [unit for unit, _host, up in seen if up]
    lost = Status.DEGRADED if live else Status.DOWN
    results = []
    for unit, host, up in sorted(seen):
        subject = f"{unit} {daemon.name} on {host}"
        if up:
            message = f"{app} unit {unit} runs {daemon.name}"
            results.append(CheckResult(CHECK, subject, Status.OK, message))
            continue
        why = "does not run" if up is False else "cannot be asked (host unreachable)"
        others = f"{len(live)} other unit(s) run it" if live else "no unit runs it"
        message = (
            f"{app} unit {unit}: {daemon.name} {why}; {others} — a deploy (`hastack lab up` "
            f"in the lab) starts it again; {daemon.log} on {host} says why it stopped"
        )
        results.append(CheckResult(CHECK, subject, lost, message))
    return results


def check_running(
    plan: Plan, app: str, hosts: Mapping[str, Connector], daemon: Daemon
) -> list[CheckResult]:
    """``daemon.units``: *daemon* runs on every unit of *app*."""

    def one(unit: Unit) -> tuple[str, str, bool | None]:
        try:
            return unit.name, unit.host, running(hosts[unit.host], daemon)
        except ConnectError:
            return unit.name, unit.host, None

    units = [u for u in plan.units_of(app) if u.host in hosts]
    with ThreadPoolExecutor(max_workers=max(1, len(units))) as pool:
        return evaluate_daemon(app, daemon, list(pool.map(one, units)))
