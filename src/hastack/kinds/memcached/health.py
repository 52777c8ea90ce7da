"""memcached.up: each memcached instance answers ``stats``."""

from __future__ import annotations

from collections.abc import Mapping

from ...facts.memcached import MemcachedStats
from ...health.status import CheckResult, Status

CHECK = "memcached.up"


def evaluate_memcached(instances: Mapping[str, MemcachedStats | None]) -> list[CheckResult]:
    """Clients list every instance, so one silent instance is DEGRADED and all silent is DOWN."""
    answering = [name for name, stats in instances.items() if stats is not None]
    lost = Status.DOWN if not answering else Status.DEGRADED
    results = []
    for name, stats in sorted(instances.items()):
        if stats is None:
            message = (
                f"memcached on {name} does not answer; clients skip it, but caches and tokens"
                f" held there are lost — start memcached on {name}"
            )
            results.append(CheckResult(CHECK, name, lost, message))
            continue
        evidence = {
            "version": stats.version,
            "uptime": str(stats.uptime),
            "curr_connections": str(stats.curr_connections),
        }
        if stats.rejected_connections and stats.curr_connections >= stats.max_connections:
            message = (
                f"memcached on {name} is full ({stats.curr_connections} of"
                f" {stats.max_connections} connections) and rejects clients; raise -c"
            )
            results.append(CheckResult(CHECK, name, Status.DEGRADED, message, evidence))
            continue
        message = (
            f"memcached {stats.version} on {name} answers (up {stats.uptime} s,"
            f" {stats.curr_connections} connections)"
        )
        results.append(CheckResult(CHECK, name, Status.OK, message, evidence))
    return results
