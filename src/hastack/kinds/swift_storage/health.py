"""A storage zone's health: ``swift.servers`` (each unit's account, container and object
server answers ``/healthcheck`` on its storage address), ``swift.units`` (every server,
replicator, auditor, updater and reaper unit, and rsync, is active) and
``swift.replication`` (each server's replicator finished a pass without failures lately, as
the recon middleware in its pipeline reports).

A zone that does not serve costs redundancy, not service, while the other zones hold the
replicas: DEGRADED; DOWN only when no unit of any zone answers.
"""

from __future__ import annotations

import dataclasses
import json
import re
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
REPLICATION_CHECK = "swift.replication"
MAX_AGE_S = 300  # a pass runs every 30 s (Swift's interval); ten missed ones is stuck
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


@dataclasses.dataclass(frozen=True)
class ReconAnswer:
    """What one server's ``/recon/replication/<server>`` said."""

    server: str  # "object"
    url: str
    body: str | None  # the JSON text; None when the server did not answer with HTTP 200
    reason: str  # "HTTP 200", "connection refused: nothing listens"


# The host's clock, then every URL's body followed by a marker line with its HTTP code and
# curl's exit: one process per host for all three servers; URLs travel as arguments.
RECON_SCRIPT = 'date +%s && exec curl -s -m 5 -w "\\n@@recon %{http_code} %{exitcode}\\n" "$@"'
_MARKER = re.compile(r"\n@@recon (\d{3}) (\d+)\n")


def recon_urls(plan: Plan, host: str) -> list[tuple[str, str]]:
    """(server, replication recon URL) of each server on *host*'s storage address."""
    address = rings.storage_address(plan, host)
    return [(s.name, f"http://{address}:{s.port}/recon/replication/{s.name}") for s in SERVERS]


def read_recon(conn: Connector, urls: Sequence[tuple[str, str]]) -> str:
    """The host's ``date +%s`` and every URL's answer, in one call on the host itself."""
    argv = ["sh", "-c", RECON_SCRIPT, "sh", *(url for _, url in urls)]
    return conn.run(argv, timeout=30).stdout


def parse_recon(
    stdout: str, urls: Sequence[tuple[str, str]]
) -> tuple[float | None, list[ReconAnswer]]:
    """The host's clock (None: unreadable) and each server's answer from ``read_recon``."""
    clock, _, rest = stdout.partition("\n")
    now = float(clock) if clock.strip().isdigit() else None
    pieces = _MARKER.split(rest)  # body, code, exit, body, code, exit, ..., tail
    answers = []
    for i, (server, url) in enumerate(urls):
        if 3 * i + 2 >= len(pieces):
            answers.append(
                ReconAnswer(server, url, None, "no answer (curl did not run or was cut off)")
            )
            continue
        body, code, exit_code = pieces[3 * i : 3 * i + 3]
        if code == "200":
            answers.append(ReconAnswer(server, url, body, "HTTP 200"))
            continue
        reason = f"HTTP {code}" if code != "000" else f"curl exit {exit_code}"
        answers.append(
            ReconAnswer(server, url, None, gather.CURL_REASONS.get(int(exit_code), reason))
        )
    return now, answers


def _last_pass(body: str) -> tuple[float | None, int, int]:
    """(end of the last pass, failed syncs, all syncs) from recon's JSON; ValueError if
    it is not recon's replication answer. No end: no pass has finished yet."""
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg} at character {exc.pos})") from None
    if not isinstance(data, dict):
        raise ValueError(f"a JSON {type(data).__name__}, not an object")
    last = data.get("replication_last", data.get("object_replication_last"))
    if last is None:
        return None, 0, 0
    stats = data.get("replication_stats")
    if not isinstance(last, int | float) or not isinstance(stats, dict):
        raise ValueError("replication_last or replication_stats is not what recon writes")
    failure, success = stats.get("failure", 0), stats.get("success", 0)
    if not isinstance(failure, int) or not isinstance(success, int):
        raise ValueError("replication_stats.failure or .success is not a count")
    return float(last), failure, failure + success


def judge_pass(app: str, unit: str, host: str, answer: ReconAnswer, now: float) -> CheckResult:
    """One server's replication verdict from its recon answer and the host's clock *now*."""
    subject = f"{unit} {answer.server}-replicator on {host}"
    evidence = {"url": answer.url, "answer": answer.reason}
    logs = f"`journalctl -u swift-{answer.server}-replicator` on {host} says why"
    where = f"{app}: {unit} {answer.server}-replicator"
    if answer.body is None:
        message = (
            f"{where}: recon at {answer.url} does not answer ({answer.reason}), so its "
            f"replication cannot be judged; the {answer.server}-server pipeline needs recon "
            f"- `journalctl -u swift-{answer.server}` on {host} says why"
        )
        return CheckResult(REPLICATION_CHECK, subject, Status.DEGRADED, message, evidence)
    try:
        last, failed, syncs = _last_pass(answer.body)
    except ValueError as exc:
        message = (
            f"{where}: recon at {answer.url} answered {exc}, so its replication cannot be "
            f"judged - `curl -s {answer.url}` on {host} shows the whole answer"
        )
        return CheckResult(REPLICATION_CHECK, subject, Status.DEGRADED, message, evidence)
    if last is None:
        message = (
            f"{where} has never finished a pass (recon has no replication_last): the other "
            f"zones may lack this zone's copies until one does - {logs}"
        )
        return CheckResult(REPLICATION_CHECK, subject, Status.DEGRADED, message, evidence)
    age = max(0, round(now - last))
    evidence |= {"lag_s": str(age), "failure": str(failed), "syncs": str(syncs)}
    if failed:
        message = (
            f"replication from {unit} to another zone failed for {failed} of {syncs} "
            f"{answer.server} partition syncs in its last pass, {age} s ago: a zone is missing "
            f"copies until a pass succeeds - {logs}"
        )
        return CheckResult(REPLICATION_CHECK, subject, Status.DEGRADED, message, evidence)
    if age >= MAX_AGE_S:
        message = (
            f"{where} has not finished a pass for {age} s (limit {MAX_AGE_S} s): new writes "
            f"may lack their copies in the other zones - {logs}"
        )
        return CheckResult(REPLICATION_CHECK, subject, Status.DEGRADED, message, evidence)
    message = f"{where} finished its last pass {age} s ago with {syncs} syncs, none failed"
    return CheckResult(REPLICATION_CHECK, subject, Status.OK, message, evidence)


def evaluate_replication(
    app: str, unit: str, host: str, read: tuple[float | None, list[ReconAnswer]] | str
) -> list[CheckResult]:
    """Each server's verdict from ``parse_recon``'s (clock, answers), or from why the host
    could not be asked (a string): then every server is DEGRADED."""
    if isinstance(read, str):
        why = f"{host} cannot be asked ({read})"
    else:
        now, answers = read
        if now is not None:
            return [judge_pass(app, unit, host, a, now) for a in answers]
        why = f"`date +%s` on {host} printed no clock to measure the lag against"
    message = (
        f"{app}: {unit}'s replication cannot be judged: {why}; "
        "`hastack status` judges it again once the host answers"
    )
    return [
        CheckResult(
            REPLICATION_CHECK, f"{unit} {s.name}-replicator on {host}", Status.DEGRADED, message
        )
        for s in SERVERS
    ]


def check(plan: Plan, app: str, hosts: Mapping[str, Connector]) -> list[CheckResult]:
    units = [u for u in plan.units_of(app) if u.host in hosts]
    members = {u.host: hosts[u.host] for u in units}
    probes = gather.api(members, [t for t in targets(plan, app) if t[1] in members])
    seen: dict[str, list[str] | None] = {}
    recon: dict[str, tuple[float | None, list[ReconAnswer]] | str] = {}
    for host, conn in sorted(members.items()):
        urls = recon_urls(plan, host)
        try:
            seen[host] = inactive_units(conn)
            recon[host] = parse_recon(read_recon(conn, urls), urls)
        except ConnectError as exc:
            seen[host] = None
            recon[host] = str(exc)
    replication = [
        r for u in units for r in evaluate_replication(app, u.name, u.host, recon[u.host])
    ]
    return [*evaluate_servers(app, probes), *evaluate_units(app, seen), *replication]
