"""A storage zone's health: ``swift.servers`` (each unit's account, container and object
server answers ``/healthcheck`` on its storage address) and ``swift.units`` (every server,
replicator, auditor, updater and reaper unit, and rsync, is active).

A zone that does not serve costs redundancy, not service, while the other zones hold the
replicas: DEGRADED; DOWN only when no unit of any zone answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ...errors import ConnectError
from ...health import gather
from ...health.api import ApiProbe, healthy
from ...health.status import CheckResult, Status
from ...hosts import Connector
from ...plan import Plan
from ..swift_proxy import rings
from .render import SERVERS

SERVERS_CHECK = "swift.servers"
UNITS_CHECK = "swift.units"
RSYNC = "rsync.service"
ALL_UNITS = (*(u for s in SERVERS for u in s.units), RSYNC)


def targets(plan: Plan, app: str) -> list[tuple[str, str, str]]:
    """(label, host, health URL) of every server of every unit of *app*."""
    return [
        (
            f"{u.name} {s.name}-server",
            u.host,
            f"http://{rings.storage_address(plan, u.host)}:{s.port}/healthcheck",
        )
        for u in plan.units_of(app)
        for s in SERVERS
    ]


def evaluate_servers(app: str, probes: Sequence[ApiProbe]) -> list[CheckResult]:
    answering = [p for p in probes if healthy(p)]
    lost = Status.DEGRADED if answering else Status.DOWN
    results = []
    for probe in sorted(probes, key=lambda p: p.unit):
        subject = f"{probe.unit} on {probe.host}"
        evidence = {"url": probe.url, "answer": probe.reason}
        if healthy(probe):
            message = f"{app}: {probe.unit} answers {probe.url}"
            results.append(CheckResult(SERVERS_CHECK, subject, Status.OK, message, evidence))
            continue
        message = (
            f"{app}: {probe.unit} fails {probe.url} ({probe.reason}); the proxies use the "
            f"replicas in the other zones meanwhile - `journalctl -u swift-*` on {probe.host} "
            "says why"
        )
        results.append(CheckResult(SERVERS_CHECK, subject, lost, message, evidence))
    return results


def inactive_units(conn: Connector) -> list[str]:
    """The Swift units (and rsync) that are not active on *conn*'s host."""
    result = conn.run(["systemctl", "is-active", "--", *ALL_UNITS], timeout=30)
    states = result.stdout.split()
    if len(states) != len(ALL_UNITS):
        return list(ALL_UNITS)
    return [unit for unit, state in zip(ALL_UNITS, states, strict=True) if state != "active"]


def evaluate_units(app: str, seen: Mapping[str, list[str] | None]) -> list[CheckResult]:
    """host -> its inactive units (None: unreachable): each host with one is DEGRADED."""
    results = []
    for host, down in sorted(seen.items()):
        subject = f"{app} on {host}"
        if down == []:
            message = f"{app} on {host}: all {len(ALL_UNITS)} Swift units and rsync active"
            results.append(CheckResult(UNITS_CHECK, subject, Status.OK, message))
            continue
        what = (
            "cannot be asked (host unreachable)"
            if down is None
            else (
                f"{', '.join(down)} not active; systemd restarts a failed one, a deploy "
                f"(`hastack lab up` in the lab) starts a stopped one - `journalctl -u` says why"
            )
        )
        results.append(
            CheckResult(UNITS_CHECK, subject, Status.DEGRADED, f"{app} on {host}: {what}")
        )
    return results


def check(plan: Plan, app: str, hosts: Mapping[str, Connector]) -> list[CheckResult]:
    units = [u for u in plan.units_of(app) if u.host in hosts]
    members = {u.host: hosts[u.host] for u in units}
    probes = gather.api(members, [t for t in targets(plan, app) if t[1] in members])
    seen: dict[str, list[str] | None] = {}
    for host, conn in sorted(members.items()):
        try:
            seen[host] = inactive_units(conn)
        except ConnectError:
            seen[host] = None
    return [*evaluate_servers(app, probes), *evaluate_units(app, seen)]
