"""Run the fact commands through Connectors and parse them; the only I/O in ``health``.

Each function takes ``{node name: Connector}`` and reads one ``facts.Fact`` per node, with
``None`` for a node that could not be reached, whose command failed, or whose output did
not parse (``Fact.read`` logs the reason). The checks turn ``None`` into "does not answer".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from .. import errors
from ..facts import Fact
from ..facts.fencing import FENCE_DEVICES, FenceDeviceState
from ..facts.galera import WSREP_STATUS, GaleraStatus
from ..facts.haproxy import STAT, ProxyServer
from ..facts.memcached import MemcachedStats, stats_fact
from ..facts.network import IP_ADDR, InterfaceAddress
from ..facts.pacemaker import CRM_MON, ClusterStatus
from ..facts.rabbitmq import CLUSTER_STATUS, QUORUM_QUEUES, QueueInfo, RabbitStatus
from ..hosts.base import Connector
from .api import ApiProbe

T = TypeVar("T")

CURL_REASONS = {7: "connection refused: nothing listens", 28: "no answer within 5 s"}


def _each(connectors: Mapping[str, Connector], fact: Fact[T]) -> dict[str, T | None]:
    return {node: fact.read(c) for node, c in sorted(connectors.items())}


def _first(connectors: Mapping[str, Connector], fact: Fact[T]) -> T | None:
    for _node, connector in sorted(connectors.items()):
        found = fact.read(connector)
        if found is not None:
            return found
    return None


def pacemaker(connectors: Mapping[str, Connector]) -> ClusterStatus | None:
    """``crm_mon`` from the first node that answers (each node sees the same CIB)."""
    return _first(connectors, CRM_MON)


def fence_devices(connectors: Mapping[str, Connector]) -> tuple[FenceDeviceState, ...] | None:
    """The fence devices in the CIB, from the first node that answers."""
    return _first(connectors, FENCE_DEVICES)


def addresses(connectors: Mapping[str, Connector]) -> dict[str, list[InterfaceAddress] | None]:
    return _each(connectors, IP_ADDR)


def haproxy(connectors: Mapping[str, Connector]) -> dict[str, list[ProxyServer] | None]:
    return _each(connectors, STAT)


def galera(connectors: Mapping[str, Connector]) -> dict[str, GaleraStatus | None]:
    return _each(connectors, WSREP_STATUS)


def rabbitmq(
    connectors: Mapping[str, Connector], expected: Sequence[str] = ()
) -> dict[str, RabbitStatus | None]:
    """``cluster_status`` node by node, until a view shows every *expected* node running.

    One view is enough then: the CLI asks every running node for its partitions, alarms
    and version. Asking every node would boot an Erlang VM per node (0.5-1 s of CPU each);
    a node that is not asked is not in the result. With nothing expected, every node is asked.
    """
    views: dict[str, RabbitStatus | None] = {}
    for node, connector in sorted(connectors.items()):
        view = views[node] = CLUSTER_STATUS.read(connector)
        if expected and view is not None and set(expected) <= set(view.running_nodes):
            break
    return views


def quorum_queues(connectors: Mapping[str, Connector]) -> list[QueueInfo]:
    """Queues from the first node that answers; ``[]`` when none does."""
    return _first(connectors, QUORUM_QUEUES) or []


def memcached(
    connectors: Mapping[str, Connector], listen: Mapping[str, str] | None = None
) -> dict[str, MemcachedStats | None]:
    """Ask each node's memcached for ``stats`` on its listen address (default 127.0.0.1)."""
    return {
        node: stats_fact((listen or {}).get(node, "127.0.0.1")).read(connector)
        for node, connector in sorted(connectors.items())
    }


def api(
    connectors: Mapping[str, Connector], targets: Sequence[tuple[str, str, str]]
) -> list[ApiProbe]:
    """GET each (unit, host, url) from the unit's own host with curl: status and time."""
    argv = ("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", "-m", "5")
    probes = []
    for unit, host, url in targets:
        try:
            result = connectors[host].run([*argv, url], timeout=15.0)
        except errors.ConnectError as exc:
            probes.append(ApiProbe(unit, host, url, None, str(exc)))
            continue
        words = result.stdout.split()
        if result.ok and len(words) == 2 and words[0].isdigit() and words[0] != "000":
            probes.append(
                ApiProbe(unit, host, url, int(words[0]), f"HTTP {words[0]}", float(words[1]))
            )
            continue
        said = (result.stderr.strip().splitlines() or [f"curl exit {result.exit_code}"])[-1]
        reason = CURL_REASONS.get(result.exit_code, said.removeprefix("curl: "))
        probes.append(ApiProbe(unit, host, url, None, reason))
    return probes
