"""haproxy.backends: per node and backend, which servers are up and why the others are not."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from ..facts.haproxy import ProxyServer, ServerState
from .status import CheckResult, Status

CHECK = "haproxy.backends"
GALERA_BACKENDS = frozenset(("galera", "mysql", "mariadb"))
_IGNORED = frozenset(("stats",))


def evaluate_haproxy(
    stats: Mapping[str, Sequence[ProxyServer] | None],
    galera_backends: Collection[str] = GALERA_BACKENDS,
) -> list[CheckResult]:
    """Judge every backend of every node's HAProxy (``show stat`` rows per node).

    All servers down is DOWN; some down or in maintenance is DEGRADED; a silent HAProxy is
    DEGRADED while another node's answers (the VIP follows a running one), else DOWN. A
    Galera backend must have one active server and the rest ``backup`` (one writer, no
    multi-writer conflicts).
    """
    results = []
    silent = Status.DEGRADED if any(rows is not None for rows in stats.values()) else Status.DOWN
    for node, rows in sorted(stats.items()):
        if rows is None:
            message = f"HAProxy on {node} does not answer on its stats socket; start haproxy"
            results.append(CheckResult(CHECK, f"haproxy on {node}", silent, message))
            continue
        for backend, servers in _backends(rows).items():
            results.append(_backend(node, backend, servers, backend in galera_backends))
    return results


def _backends(rows: Sequence[ProxyServer]) -> dict[str, list[ProxyServer]]:
    backends: dict[str, list[ProxyServer]] = {}
    for row in rows:
        if row.proxy in _IGNORED or row.name == "FRONTEND":
            continue
        servers = backends.setdefault(row.proxy, [])
        if row.is_server:
            servers.append(row)
    return backends


def _describe(server: ProxyServer) -> str:
    if server.state is ServerState.MAINT:
        return f"{server.name} in maintenance"
    reason = f" ({server.reason})" if server.reason else ""
    return f"{server.name} {server.state.value}{reason}"


def _backend(node: str, backend: str, servers: Sequence[ProxyServer], galera: bool) -> CheckResult:
    subject = f"{backend} on {node}"
    up = [s for s in servers if s.serving]
    not_up = [s for s in servers if not s.serving]
    evidence = {s.name: s.status + (" backup" if s.backup else "") for s in servers}
    label = f"backend {backend} on {node}"
    if not servers:
        message = f"{label} has no servers; re-render haproxy.cfg (`hastack lab up`)"
        return CheckResult(CHECK, subject, Status.DOWN, message, evidence)
    if galera:
        return _galera_backend(subject, label, servers, evidence)
    trouble = "; ".join(_describe(s) for s in not_up)
    if not up:
        message = f"{label}: all {len(servers)} servers are down ({trouble}); start the service"
        return CheckResult(CHECK, subject, Status.DOWN, message, evidence)
    if not_up:
        message = f"{label}: {len(up)} of {len(servers)} servers up; {trouble}"
        return CheckResult(CHECK, subject, Status.DEGRADED, message, evidence)
    message = f"{label}: all {len(servers)} servers up"
    return CheckResult(CHECK, subject, Status.OK, message, evidence)


def _galera_backend(
    subject: str, label: str, servers: Sequence[ProxyServer], evidence: dict[str, str]
) -> CheckResult:
    active = [s for s in servers if not s.backup]
    backups = [s for s in servers if s.backup]
    serving = [s for s in servers if s.serving]
    if len(active) != 1:
        names = ", ".join(s.name for s in active) or "none"
        message = (
            f"{label} has {len(active)} active servers ({names}); a Galera backend needs one"
            " writer and the rest `backup` — re-render haproxy.cfg (`hastack lab up`)"
        )
        return CheckResult(CHECK, subject, Status.BLOCKED, message, evidence)
    writer = active[0]
    trouble = "; ".join(_describe(s) for s in servers if not s.serving)
    if not serving:
        message = f"{label}: writer and all backups are down ({trouble}); check galera.cluster"
        return CheckResult(CHECK, subject, Status.DOWN, message, evidence)
    if not writer.serving:
        message = (
            f"{label}: writer {_describe(writer)}; traffic goes to backup"
            f" {serving[0].name} — check galera on {writer.name}"
        )
        return CheckResult(CHECK, subject, Status.DEGRADED, message, evidence)
    if trouble:
        spare = sum(1 for s in backups if s.serving)
        message = (
            f"{label}: writer {writer.name} up, {spare} of {len(backups)} backups up; {trouble}"
        )
        return CheckResult(CHECK, subject, Status.DEGRADED, message, evidence)
    message = f"{label}: writer {writer.name} up with {len(backups)} backups up"
    return CheckResult(CHECK, subject, Status.OK, message, evidence)
