from pathlib import Path

import pytest

from hastack.facts import ParseError
from hastack.facts.rabbitmq import (
    QueueInfo,
    RabbitAlarm,
    parse_cluster_status,
    parse_quorum_queues,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "facts" / "rabbitmq"


def read(name: str) -> str:
    return (FIXTURES / name).read_text()


def test_single_node_real() -> None:
    status = parse_cluster_status(read("cluster_status-single.json"))
    assert status.running_nodes == ("rabbit@localhost",)
    assert status.disk_nodes == ("rabbit@localhost",)
    assert status.members == ("rabbit@localhost",)
    assert status.partitions == {}
    assert status.alarms == ()
    assert status.versions == {"rabbit@localhost": "3.10.8"}
    assert status.maintenance == {"rabbit@localhost": "not under maintenance"}


def test_alarms_real() -> None:
    status = parse_cluster_status(read("cluster_status-alarms.json"))
    assert status.alarms == (
        RabbitAlarm("rabbit@localhost", "disk"),
        RabbitAlarm("rabbit@localhost", "memory"),
    )


def test_partitioned_documented() -> None:
    status = parse_cluster_status(read("cluster_status-partitioned-documented.json"))
    assert status.running_nodes == ("rabbit@ctl-1", "rabbit@ctl-2")
    assert status.partitions == {
        "rabbit@ctl-1": ("rabbit@ctl-3",),
        "rabbit@ctl-2": ("rabbit@ctl-3",),
    }


def test_partitions_as_pairs() -> None:
    status = parse_cluster_status(
        '{"running_nodes": ["a"], "partitions": [["a", ["b"]]], "alarms": []}'
    )
    assert status.partitions == {"a": ("b",)}


def test_queues_real() -> None:
    assert parse_quorum_queues(read("list_queues-single.json")) == [
        QueueInfo("hs-fx-classic", "classic", None, (), ()),
        QueueInfo(
            "hs-fx-quorum",
            "quorum",
            "rabbit@localhost",
            ("rabbit@localhost",),
            ("rabbit@localhost",),
        ),
    ]


def test_queue_member_offline_documented() -> None:
    queues = parse_quorum_queues(read("list_queues-member-offline-documented.json"))
    assert [(q.name, q.is_quorum, q.leader, q.offline) for q in queues] == [
        ("notifications.info", True, "rabbit@ctl-1", ("rabbit@ctl-3",)),
        ("scheduler", True, None, ("rabbit@ctl-2", "rabbit@ctl-3")),
        ("reply_8f1c", False, None, ()),
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Error: unable to perform an operation on node", "not JSON"),
        ("[]", "no 'running_nodes' object"),
        ('{"running_nodes": "a"}', "'running_nodes' is str, expected a list"),
    ],
)
def test_bad_cluster_status(text: str, problem: str) -> None:
    with pytest.raises(
        ParseError, match=r"^cannot parse rabbitmqctl cluster_status JSON: "
    ) as info:
        parse_cluster_status(text)
    assert problem in str(info.value)


def test_bad_queues() -> None:
    with pytest.raises(ParseError, match="expected a JSON list of queues"):
        parse_quorum_queues("{}")
    with pytest.raises(ParseError, match="queue #0 has no 'name' column"):
        parse_quorum_queues('[{"type": "quorum"}]')
