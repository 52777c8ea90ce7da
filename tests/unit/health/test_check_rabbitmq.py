from pathlib import Path

from hastack.facts.rabbitmq import (
    QueueInfo,
    RabbitStatus,
    parse_cluster_status,
    parse_quorum_queues,
)
from hastack.health.status import Status
from hastack.kinds.rabbitmq.health import evaluate_rabbitmq

FIXTURES = Path(__file__).parents[2] / "fixtures" / "facts" / "rabbitmq"
NODES = ("rabbit@ctl-1", "rabbit@ctl-2", "rabbit@ctl-3")


def status(name: str) -> RabbitStatus:
    return parse_cluster_status((FIXTURES / f"cluster_status-{name}.json").read_text())


def queues(name: str) -> list[QueueInfo]:
    return parse_quorum_queues((FIXTURES / f"list_queues-{name}.json").read_text())


def judged(*args: object) -> list[tuple[str, Status, str]]:
    return [(r.subject, r.status, r.message) for r in evaluate_rabbitmq(*args)]  # type: ignore[arg-type]


def test_single_node_healthy() -> None:
    assert judged({"localhost": status("single")}, ["rabbit@localhost"], queues("single")) == [
        ("cluster", Status.OK, "1 of 1 running rabbitmq nodes: rabbit@localhost"),
        ("quorum queues", Status.OK, "1 quorum queues have a leader and all members online"),
    ]


def test_alarms_block() -> None:
    results = judged({"localhost": status("alarms")}, ["rabbit@localhost"])
    assert results[1:] == [
        (
            "disk alarm on rabbit@localhost",
            Status.BLOCKED,
            "disk alarm on rabbit@localhost: publishers are blocked cluster-wide until disk use"
            " on rabbit@localhost drops below its limit",
        ),
        (
            "memory alarm on rabbit@localhost",
            Status.BLOCKED,
            "memory alarm on rabbit@localhost: publishers are blocked cluster-wide until memory"
            " use on rabbit@localhost drops below its limit",
        ),
    ]


def test_partition_node_down_and_queues() -> None:
    views = {"ctl-1": status("partitioned-documented"), "ctl-3": None}
    assert judged(views, NODES, queues("member-offline-documented")) == [
        (
            "rabbit@ctl-3",
            Status.DEGRADED,
            "rabbitmq node rabbit@ctl-3 is not running (2 of 3 running); start rabbitmq-server"
            " on it and it rejoins the cluster",
        ),
        (
            "partition",
            Status.BLOCKED,
            "network partition: rabbit@ctl-1 cannot reach rabbit@ctl-3; rabbit@ctl-2 cannot"
            " reach rabbit@ctl-3; with pause_minority the minority pauses and heals — if it"
            " stays, run `rabbitmqctl stop_app; rabbitmqctl start_app` on the minority nodes",
        ),
        (
            "queue notifications.info",
            Status.DEGRADED,
            "quorum queue notifications.info: rabbit@ctl-3 offline (leader rabbit@ctl-1, 2 of 3"
            " members online); it catches up when they return",
        ),
        (
            "queue scheduler",
            Status.DOWN,
            "quorum queue scheduler has no leader (1 of 3 members online); it takes no messages"
            " until a majority of its members is back",
        ),
    ]


def test_majority_lost_is_down_and_non_member_blocks() -> None:
    single = status("single")
    results = judged({"ctl-1": single}, ["rabbit@localhost", "rabbit@ctl-2", "rabbit@ctl-3"])
    assert results[0][1] is Status.BLOCKED
    assert results[0][2].startswith("rabbit@ctl-2 is not a member of the RabbitMQ cluster;")


def test_nobody_answers() -> None:
    assert judged({"ctl-1": None}, NODES) == [
        (
            "cluster",
            Status.DOWN,
            "no RabbitMQ node answered `rabbitmqctl cluster_status`; start rabbitmq-server",
        )
    ]
