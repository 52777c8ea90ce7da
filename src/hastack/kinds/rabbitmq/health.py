"""rabbitmq.cluster: running nodes as planned, no partitions or alarms, healthy quorum queues."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ...facts.rabbitmq import QueueInfo, RabbitStatus
from ...health.status import CheckResult, Status

CHECK = "rabbitmq.cluster"


def evaluate_rabbitmq(
    views: Mapping[str, RabbitStatus | None],
    expected_nodes: Sequence[str],
    queues: Sequence[QueueInfo] = (),
) -> list[CheckResult]:
    """Judge ``cluster_status`` as seen from each host and the quorum queues.

    *expected_nodes* are Erlang node names ("rabbit@ctl-1"); *views* is keyed by host and
    holds ``None`` for a host whose ``rabbitmqctl`` did not answer (a host not asked is
    absent: ``gather.rabbitmq`` stops at a view with every node running).
    """
    answered = [v for v in views.values() if v is not None]
    if not answered:
        message = "no RabbitMQ node answered `rabbitmqctl cluster_status`; start rabbitmq-server"
        return [CheckResult(CHECK, "cluster", Status.DOWN, message)]
    results = _membership(answered, expected_nodes)
    results += _partitions(answered)
    results += _alarms(answered)
    results += _queues([q for q in queues if q.is_quorum])
    return results


def _membership(views: Sequence[RabbitStatus], expected: Sequence[str]) -> list[CheckResult]:
    running = sorted({n for v in views for n in v.running_nodes})
    members = {n for v in views for n in v.members}
    up = [n for n in expected if n in running]
    lost = Status.DEGRADED if len(up) > len(expected) // 2 else Status.DOWN
    counts = f"{len(up)} of {len(expected)} running"
    results = []
    for node in expected:
        if node not in members:
            message = (
                f"{node} is not a member of the RabbitMQ cluster; join it with"
                " `rabbitmqctl stop_app; rabbitmqctl join_cluster <peer>; rabbitmqctl start_app`"
            )
            results.append(CheckResult(CHECK, node, Status.BLOCKED, message))
        elif node not in running:
            message = (
                f"rabbitmq node {node} is not running ({counts}); start rabbitmq-server on it"
                " and it rejoins the cluster"
            )
            results.append(CheckResult(CHECK, node, lost, message))
    if not results:
        message = f"{counts} rabbitmq nodes: {', '.join(up)}"
        results.append(
            CheckResult(CHECK, "cluster", Status.OK, message, {"running": ", ".join(running)})
        )
    return results


def _partitions(views: Sequence[RabbitStatus]) -> list[CheckResult]:
    cuts = {node: peers for v in views for node, peers in v.partitions.items() if peers}
    if not cuts:
        return []
    listing = "; ".join(
        f"{node} cannot reach {', '.join(peers)}" for node, peers in sorted(cuts.items())
    )
    message = (
        f"network partition: {listing}; with pause_minority the minority pauses and heals —"
        " if it stays, run `rabbitmqctl stop_app; rabbitmqctl start_app` on the minority nodes"
    )
    evidence = {node: ", ".join(peers) for node, peers in cuts.items()}
    return [CheckResult(CHECK, "partition", Status.BLOCKED, message, evidence)]


def _alarms(views: Sequence[RabbitStatus]) -> list[CheckResult]:
    alarms = sorted({(a.node, a.resource) for v in views for a in v.alarms})
    results = []
    for node, resource in alarms:
        message = (
            f"{resource} alarm on {node}: publishers are blocked cluster-wide until {resource}"
            f" use on {node} drops below its limit"
        )
        results.append(CheckResult(CHECK, f"{resource} alarm on {node}", Status.BLOCKED, message))
    return results


def _queues(queues: Sequence[QueueInfo]) -> list[CheckResult]:
    results = []
    for queue in queues:
        online = f"{len(queue.online)} of {len(queue.members)} members online"
        subject = f"queue {queue.name}"
        evidence = {"leader": queue.leader or "", "offline": ", ".join(queue.offline)}
        if queue.leader is None or len(queue.online) <= len(queue.members) // 2:
            what = "has no leader" if queue.leader is None else "has lost its majority"
            message = (
                f"quorum queue {queue.name} {what} ({online}); it takes no messages"
                " until a majority of its members is back"
            )
            results.append(CheckResult(CHECK, subject, Status.DOWN, message, evidence))
        elif queue.offline:
            message = (
                f"quorum queue {queue.name}: {', '.join(queue.offline)} offline (leader"
                f" {queue.leader}, {online}); it catches up when they return"
            )
            results.append(CheckResult(CHECK, subject, Status.DEGRADED, message, evidence))
    if queues and not results:
        message = f"{len(queues)} quorum queues have a leader and all members online"
        results.append(CheckResult(CHECK, "quorum queues", Status.OK, message))
    return results
