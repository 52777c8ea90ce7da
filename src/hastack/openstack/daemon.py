"""A service's own long-running daemon on every unit (heat-engine, glance-api, swift-proxy):
a systemd unit.

The package's own unit (``heat-engine.service``, shipped by Debian 12 and 13 alike: it
runs as the service's user, logs to ``/var/log/<user>/<name>.log`` - or to syslog, which is
the journal, for Swift - and restarts on failure) is enabled, so the daemon starts at boot,
and started; a drill finds its processes by their command line. A daemon that is not active
``settle_s`` after its start, or that systemd had to restart meanwhile, failed to start: its
log says why. A daemon that serves an API itself (``serves``: no Apache in front of it)
must also answer its health URL on its unit port before HAProxy is asked about it.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

from ..apply import apache, units
from ..apply.report import Report
from ..catalog.base import ApiPort
from ..errors import ConnectError, DeployError
from ..health.status import CheckResult, Status
from ..hosts import Connector
from ..plan import Plan
from ..plan.model import Unit
from ..wait import SYSTEM_CLOCK, Clock, WaitTimeout, wait_until

SETTLE_S = 3.0  # a daemon alive this long after its start read its config and connected


@dataclasses.dataclass(frozen=True)
class Daemon:
    name: str  # "heat-engine": its unit is "<name>.service"
    user: str  # the system user it runs as (its log is /var/log/<user>/<name>.log)
    config: str  # a change to this file restarts it
    pattern: str  # ``pgrep -f``: its processes' command line (python3 runs the script)
    serves: ApiPort | None = None  # the API it serves itself on the unit port, if any
    syslog: bool = False  # it logs to syslog (the journal), not to /var/log/<user>/
    reads: tuple[str, ...] = ()  # more files whose change restarts it

    @property
    def unit(self) -> units.Unit:
        return units.Unit(f"{self.name}.service")  # the package's unit restarts it

    @property
    def log(self) -> str:
        return f"/var/log/{self.user}/{self.name}.log"

    @property
    def logs(self) -> str:
        """Where to read why it failed: "LOG and `journalctl -u UNIT`"."""
        journal = f"`journalctl -u {self.unit.name}`"
        return f"{journal} (it logs to syslog)" if self.syslog else f"{self.log} and {journal}"


def running(conn: Connector, daemon: Daemon) -> bool:
    return units.is_active(conn, daemon.unit.name)


def start(conn: Connector, daemon: Daemon, clock: Clock = SYSTEM_CLOCK) -> units.Outcome:
    """Enable and start *daemon*; it must still be active ``SETTLE_S`` later with no restart
    by systemd (else its config or a peer it needs at start is wrong: its log says which)."""
    before = units.state(conn, daemon.unit.name).restarts
    outcome = units.ensure_running(conn, daemon.unit)
    clock.sleep(SETTLE_S)
    after = units.state(conn, daemon.unit.name)
    if not after.running or after.restarts > before:
        raise DeployError(
            f"{daemon.name} on {conn.name} did not stay up for {SETTLE_S:g} s after its start "
            f"({after.active}, restarted {after.restarts - before} time(s)); read "
            f"{daemon.logs} on {conn.name}: "
            f"{units.journal(conn, daemon.unit.name, lines=3)}"
        )
    return outcome


def ensure_running(members: Mapping[str, Connector], daemon: Daemon, report: Report) -> None:
    """Enable and start *daemon* on every unit where it is not both already, all at once."""

    def one(host: str) -> None:
        conn = members[host]
        state = units.state(conn, daemon.unit.name)
        if state.running and state.enabled in units.ENABLED:
            report.add(host, daemon.name, False, f"{daemon.unit.name} enabled, active")
            return
        started = time.monotonic()
        outcome = start(conn, daemon)
        took = time.monotonic() - started
        report.add(host, daemon.name, True, outcome.message, took)

    with ThreadPoolExecutor(max_workers=max(1, len(members))) as pool:
        list(pool.map(one, sorted(members)))


def restart_changed(
    conn: Connector, changed: list[str], daemons: tuple[Daemon, ...], report: Report
) -> None:
    """A running daemon whose config file changed is restarted to read it."""
    for daemon in daemons:
        if {daemon.config, *daemon.reads} & set(changed) and running(conn, daemon):
            units.restart(conn, daemon.unit.name)
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
            f"{app} unit {unit}: {daemon.name} {why}; {others} — systemd restarts it after a "
            f"failure, a deploy (`hastack lab up` in the lab) after a stop; {daemon.logs} on "
            f"{host} say why it stopped"
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

    found = [u for u in plan.units_of(app) if u.host in hosts]
    with ThreadPoolExecutor(max_workers=max(1, len(found))) as pool:
        return evaluate_daemon(app, daemon, list(pool.map(one, found)))


def wait_url(conn: Connector, name: str, url: str, timeout: float, logs: str) -> None:
    """*name* on *conn*'s host answers *url* (below HTTP 500) within *timeout*; else a
    DeployError saying where to read why (*logs*)."""

    def probe() -> tuple[int | None, str]:
        code, seen = apache.http_status(conn, url)
        return (code if code is not None and code < 500 else None), seen

    try:
        wait_until(probe, what=f"{url} on {conn.name}", timeout=timeout, interval=0.5)
    except WaitTimeout as error:
        raise DeployError(
            f"{name} on {conn.name} does not answer {url} after {timeout:g} s ({error.last}); "
            f"read {logs} on {conn.name}"
        ) from error


def wait_serving(
    members: Mapping[str, Connector],
    daemon: Daemon,
    urls: Mapping[str, str],
    report: Report,
    timeout: float,
) -> None:
    """Every unit's *daemon* answers its health URL within *timeout*."""

    def one(host: str) -> None:
        wait_url(members[host], daemon.name, urls[host], timeout, daemon.logs)
        report.add(host, f"{daemon.name}-api", False, f"{daemon.name} answers {urls[host]}")

    with ThreadPoolExecutor(max_workers=max(1, len(members))) as pool:
        list(pool.map(one, sorted(members)))
