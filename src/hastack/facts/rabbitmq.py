"""``rabbitmqctl cluster_status`` and ``list_queues`` with ``--formatter json`` (RabbitMQ 3.10)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

from . import Fact, ParseError


@dataclasses.dataclass(frozen=True)
class RabbitAlarm:
    node: str
    resource: str  # "memory", "disk"
    type: str = "resource_limit"


@dataclasses.dataclass(frozen=True)
class RabbitStatus:
    cluster_name: str
    running_nodes: tuple[str, ...]
    disk_nodes: tuple[str, ...]
    ram_nodes: tuple[str, ...]
    partitions: Mapping[str, tuple[str, ...]]  # node → the nodes it cannot reach
    alarms: tuple[RabbitAlarm, ...]
    versions: Mapping[str, str]  # node → RabbitMQ version
    maintenance: Mapping[str, str]  # node → "not under maintenance" / "under maintenance"

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(sorted({*self.disk_nodes, *self.ram_nodes}))


@dataclasses.dataclass(frozen=True)
class QueueInfo:
    name: str
    type: str  # "quorum", "classic", "stream"
    leader: str | None
    members: tuple[str, ...]
    online: tuple[str, ...]

    @property
    def is_quorum(self) -> bool:
        return self.type == "quorum"

    @property
    def offline(self) -> tuple[str, ...]:
        return tuple(m for m in self.members if m not in self.online)


def parse_cluster_status(json_text: str) -> RabbitStatus:
    """Parse ``rabbitmqctl cluster_status --formatter json``."""
    source = "rabbitmqctl cluster_status JSON"
    data = _load(json_text, source)
    if not isinstance(data, dict) or "running_nodes" not in data:
        raise ParseError(source, "no 'running_nodes' object; was --formatter json given?")
    return RabbitStatus(
        cluster_name=str(data.get("cluster_name", "")),
        running_nodes=_names(data.get("running_nodes"), source, "running_nodes"),
        disk_nodes=_names(data.get("disk_nodes"), source, "disk_nodes"),
        ram_nodes=_names(data.get("ram_nodes"), source, "ram_nodes"),
        partitions=_partitions(data.get("partitions"), source),
        alarms=tuple(_alarm(a, source) for a in data.get("alarms") or ()),
        versions={
            str(node): str(info.get("rabbitmq_version", ""))
            for node, info in (data.get("versions") or {}).items()
            if isinstance(info, dict)
        },
        maintenance={str(k): str(v) for k, v in (data.get("maintenance_status") or {}).items()},
    )


CLUSTER_STATUS: Fact[RabbitStatus] = Fact(
    "the RabbitMQ cluster status",
    ("rabbitmqctl", "cluster_status", "--formatter", "json"),
    parse_cluster_status,
)


def parse_quorum_queues(json_text: str) -> list[QueueInfo]:
    """Parse ``rabbitmqctl list_queues name type leader members online --formatter json``.

    Every queue is returned (classic ones with no leader or members); filter on ``is_quorum``.
    """
    source = "rabbitmqctl list_queues JSON"
    data = _load(json_text, source)
    if not isinstance(data, list):
        raise ParseError(source, "expected a JSON list of queues")
    queues = []
    for index, row in enumerate(data):
        if not isinstance(row, dict) or "name" not in row:
            raise ParseError(source, f"queue #{index} has no 'name' column")
        leader = row.get("leader")
        queues.append(
            QueueInfo(
                name=str(row["name"]),
                type=str(row.get("type", "classic")),
                leader=str(leader) if leader else None,
                members=_names(row.get("members"), source, "members"),
                online=_names(row.get("online"), source, "online"),
            )
        )
    return queues


QUORUM_QUEUES: Fact[list[QueueInfo]] = Fact(
    "the RabbitMQ queues",
    (
        *("rabbitmqctl", "list_queues", "name", "type", "leader", "members", "online"),
        *("--formatter", "json"),
    ),
    parse_quorum_queues,
)


def _load(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(source, f"not JSON ({exc.msg} at line {exc.lineno})") from exc


def _names(value: object, source: str, field: str) -> tuple[str, ...]:
    if value in (None, ""):  # classic queues print "" for members/online
        return ()
    if not isinstance(value, list):
        raise ParseError(source, f"'{field}' is {type(value).__name__}, expected a list")
    return tuple(str(v) for v in value)


def _partitions(value: object, source: str) -> dict[str, tuple[str, ...]]:
    if not value:
        return {}
    if isinstance(value, dict):
        return {str(node): _names(peers, source, "partitions") for node, peers in value.items()}
    if isinstance(value, list):  # [[node, [peers]], ...]
        return {str(pair[0]): _names(pair[1], source, "partitions") for pair in value}
    raise ParseError(source, f"'partitions' is {type(value).__name__}, expected an object")


def _alarm(value: object, source: str) -> RabbitAlarm:
    if not isinstance(value, dict):
        raise ParseError(source, f"alarm {value!r} is not an object")
    return RabbitAlarm(
        node=str(value.get("node", "")),
        resource=str(value.get("resource", "")),
        type=str(value.get("type", "resource_limit")),
    )
