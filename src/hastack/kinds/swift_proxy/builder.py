"""The rings built on the proxy's leader with ``swift-ring-builder`` and copied to every
Swift host.

The leader (unit 0) keeps the builder files in ``/etc/swift``; what its builders hold is read
with Swift's own library (``rings.BUILDER_PROBE``), and only the differences from the plan
are applied, then rebalanced. The ``.ring.gz`` files go to every proxy and storage host and
the builder files to the other proxy units (a copy to build from if the leader's disk is
lost); a host whose file has the leader's md5 is left alone. Ring files are binary: they
travel base64-encoded on the commands' stdin and stdout.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

from ...apply.report import Report
from ...errors import DeployError
from ...hosts import Connector
from ...plan import Plan, queries
from . import rings

BUILDER = "swift-ring-builder"
WARNING = 1  # swift-ring-builder's exit code for "done, with a note" (or nothing to move)
# write a file from base64 on stdin, atomically, readable by the swift user
INSTALL = (
    'set -e; t=$(mktemp "$1.XXXXXX"); trap \'rm -f -- "$t"\' EXIT; base64 -d >"$t"; '
    'chmod 0644 "$t"; mv -f -- "$t" "$1"; trap - EXIT'
)


def swift_hosts(plan: Plan, proxy: str) -> tuple[str, ...]:
    """Every host that reads *proxy*'s rings: its units' and its storage units' hosts."""
    apps = (proxy, *rings.storage_applications(plan, proxy))
    names = {u.host for a in apps for u in plan.units_of(a)}
    return tuple(h.name for h in queries.ordered(plan, names))


def read_builders(conn: Connector) -> dict[str, rings.BuilderState | None]:
    result = conn.run(["/usr/bin/python3", "-c", rings.BUILDER_PROBE, *rings.NAMES], timeout=60)
    if not result.ok:
        said = (result.stderr.strip().splitlines() or [f"exit {result.exit_code}"])[-1][:300]
        raise DeployError(
            f"cannot read the Swift ring builders on {conn.name} ({said}); the swift package "
            "(python3-swift) must be installed there"
        )
    return rings.parse_builders(result.stdout)


def _run(conn: Connector, ring: str, step: rings.Step) -> str:
    """One builder command; what it said when it changed nothing (else "")."""
    result = conn.run([BUILDER, rings.builder_path(ring), *step.args], timeout=300)
    said = " ".join(result.stdout.split())
    if result.exit_code == WARNING and step.args[0] == "rebalance":
        return said[:300] if "No partitions could be reassigned" in said else ""
    if not result.ok:
        tail = " ".join((result.stderr or result.stdout).split())[-300:]
        raise DeployError(
            f"`{BUILDER} {rings.builder_path(ring)} {' '.join(step.args)}` on {conn.name} "
            f"exited {result.exit_code} ({tail}); the builder file is unchanged by the failed "
            "step, fix the cause and deploy again"
        )
    return ""


def build(plan: Plan, proxy: str, hosts: Mapping[str, Connector], report: Report) -> None:
    """Make the leader's builders and rings what the plan says."""
    leader = hosts[plan.leader(proxy).host]
    found = read_builders(leader)
    for spec in rings.specs(plan, proxy):
        todo = rings.steps(spec, found.get(spec.name))
        step_name = f"{proxy}-{spec.name}-ring"
        if not todo:
            devices = ", ".join(d.describe() for d in spec.devices)
            message = f"{spec.name} ring as planned: {spec.replicas} replicas on {devices}"
            report.add(leader.name, step_name, False, message)
            continue
        notes = [note for step in todo if (note := _run(leader, spec.name, step))]
        done = "; ".join(step.why for step in todo)
        report.add(leader.name, step_name, True, done + (f" ({notes[0]})" if notes else ""))


def md5sums(conn: Connector, paths: tuple[str, ...]) -> dict[str, str | None]:
    """path -> md5 of the file on *conn*'s host, None where it is missing."""
    result = conn.run(["md5sum", "--", *paths], timeout=30)
    found: dict[str, str | None] = dict.fromkeys(paths)
    for line in result.stdout.splitlines():
        digest, _, path = line.partition("  ")
        if path in found:
            found[path] = digest
    return found


def _fetch(conn: Connector, path: str) -> str:
    result = conn.run(["base64", "-w", "0", "--", path], timeout=60)
    if not result.ok:
        raise DeployError(f"cannot read {path} on {conn.name}: {result.stderr.strip()[:200]}")
    base64.b64decode(result.stdout, validate=True)  # a truncated read fails here, not there
    return result.stdout


def distribute(plan: Plan, proxy: str, hosts: Mapping[str, Connector], report: Report) -> None:
    """Copy the leader's rings to every Swift host, its builders to every other proxy unit."""
    leader = hosts[plan.leader(proxy).host]
    ring_files = tuple(rings.ring_path(n) for n in rings.NAMES)
    builder_files = tuple(rings.builder_path(n) for n in rings.NAMES)
    source = md5sums(leader, ring_files + builder_files)
    missing = sorted(p for p, digest in source.items() if digest is None)
    if missing:
        raise DeployError(f"{leader.name} has no {', '.join(missing)} after building the rings")
    proxies = {u.host for u in plan.units_of(proxy)}
    wanted = {
        host: ring_files + (builder_files if host in proxies else ())
        for host in swift_hosts(plan, proxy)
        if host != leader.name
    }
    payload: dict[str, str] = {}

    def one(host: str) -> None:
        conn = hosts[host]
        seen = md5sums(conn, wanted[host])
        stale = [p for p in wanted[host] if seen[p] != source[p]]
        for path in stale:
            if path not in payload:
                payload[path] = _fetch(leader, path)
            conn.check(["sh", "-c", INSTALL, "sh", path], stdin=payload[path], timeout=60)
        names = ", ".join(p.rsplit("/", 1)[1] for p in stale)
        said = f"copied {names} from {leader.name}" if stale else "rings as on the leader"
        report.add(host, f"{proxy}-rings", bool(stale), said)

    with ThreadPoolExecutor(max_workers=max(1, len(wanted))) as pool:
        list(pool.map(one, sorted(wanted)))


def ensure_rings(plan: Plan, proxy: str, hosts: Mapping[str, Connector], report: Report) -> None:
    """Build (or confirm) *proxy*'s rings on its leader and copy them to every Swift host."""
    build(plan, proxy, hosts, report)
    distribute(plan, proxy, hosts, report)
