"""Run the fact commands through Connectors and parse them; the only I/O in ``health``.

Each function takes ``{node name: Connector}`` and returns parsed facts per node, with
``None`` for a node that could not be reached, whose command failed, or whose output did
not parse (logged with the reason). The checks turn ``None`` into "does not answer".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from .. import errors
from ..facts import ParseError
from ..facts.galera import GaleraStatus, parse_wsrep_status
from ..facts.haproxy import ProxyServer, parse_stat_csv
from ..facts.memcached import MemcachedStats, parse_stats
from ..facts.network import InterfaceAddress, parse_ip_addr
from ..facts.pacemaker import ClusterStatus, parse_crm_mon
from ..facts.rabbitmq import QueueInfo, RabbitStatus, parse_cluster_status, parse_quorum_queues
from ..hosts.base import Connector
from .api import ApiProbe

log = logging.getLogger(__name__)
T = TypeVar("T")

CRM_MON = ("crm_mon", "--output-as=xml", "-1")
IP_ADDR = ("ip", "-j", "addr")
WSREP_STATUS = ("mariadb", "-N", "-B", "-e", "SHOW GLOBAL STATUS LIKE 'wsrep_%'")
RABBIT_STATUS = ("rabbitmqctl", "cluster_status", "--formatter", "json")
RABBIT_QUEUES = (
    *("rabbitmqctl", "list_queues", "name", "type", "leader", "members", "online"),
    *("--formatter", "json"),
)
HAPROXY_SOCKET = "/run/haproxy/admin.sock"
MEMCACHED_PORT = 11211
CURL_REASONS = {7: "connection refused: nothing listens", 28: "no answer within 5 s"}


def _one(
    connector: Connector,
    argv: Sequence[str],
    parse: Callable[[str], T],
    stdin: str | None = None,
) -> T | None:
    try:
        result = connector.run(argv, timeout=30.0, stdin=stdin)
    except errors.ConnectError as exc:
        log.warning("%s: %s", connector.name, exc)
        return None
    if not result.ok:
        detail = (result.stderr.strip() or result.stdout.strip())[:300]
        log.warning(
            "%s: `%s` exited %d: %s", connector.name, " ".join(argv), result.exit_code, detail
        )
        return None
    try:
        return parse(result.stdout)
    except ParseError as exc:
        log.warning("%s: %s", connector.name, exc)
        return None


def _each(
    connectors: Mapping[str, Connector],
    argv: Sequence[str],
    parse: Callable[[str], T],
    stdin: str | None = None,
) -> dict[str, T | None]:
    return {node: _one(c, argv, parse, stdin) for node, c in sorted(connectors.items())}


def _first(
    connectors: Mapping[str, Connector], argv: Sequence[str], parse: Callable[[str], T]
) -> T | None:
    for _node, connector in sorted(connectors.items()):
        found = _one(connector, argv, parse)
        if found is not None:
            return found
    return None


def pacemaker(connectors: Mapping[str, Connector]) -> ClusterStatus | None:
    """``crm_mon`` from the first node that answers (each node sees the same CIB)."""
    return _first(connectors, CRM_MON, parse_crm_mon)


def addresses(connectors: Mapping[str, Connector]) -> dict[str, list[InterfaceAddress] | None]:
    return _each(connectors, IP_ADDR, parse_ip_addr)


def haproxy(
    connectors: Mapping[str, Connector], socket: str = HAPROXY_SOCKET
) -> dict[str, list[ProxyServer] | None]:
    argv = ("socat", "-", f"UNIX-CONNECT:{socket}")
    return _each(connectors, argv, parse_stat_csv, stdin="show stat\n")


def galera(connectors: Mapping[str, Connector]) -> dict[str, GaleraStatus | None]:
    return _each(connectors, WSREP_STATUS, parse_wsrep_status)


def rabbitmq(connectors: Mapping[str, Connector]) -> dict[str, RabbitStatus | None]:
    return _each(connectors, RABBIT_STATUS, parse_cluster_status)


def quorum_queues(connectors: Mapping[str, Connector]) -> list[QueueInfo]:
    """Queues from the first node that answers; ``[]`` when none does."""
    return _first(connectors, RABBIT_QUEUES, parse_quorum_queues) or []


def memcached(
    connectors: Mapping[str, Connector],
    listen: Mapping[str, str] | None = None,
    port: int = MEMCACHED_PORT,
) -> dict[str, MemcachedStats | None]:
    """Ask each node's memcached for ``stats`` on its listen address (default 127.0.0.1)."""
    found = {}
    for node, connector in sorted(connectors.items()):
        address = (listen or {}).get(node, "127.0.0.1")
        argv = ("socat", "-", f"TCP:{address}:{port}")
        found[node] = _one(connector, argv, parse_stats, stdin="stats\r\nquit\r\n")
    return found


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
