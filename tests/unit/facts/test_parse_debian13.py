"""The parsers read Debian 13's tools as they read Debian 12's.

Pacemaker 3.0 (crm_mon api-version 2.38), RabbitMQ 4.0.5 on Erlang 27 and MariaDB 11.8 with
Galera 26.4.23, captured the way the Debian 12 fixtures were (see tests/fixtures/facts/README.md).
Where a release prints a different text for the same fact, the test says so.
"""

from pathlib import Path

import pytest

from hastack.facts.galera import parse_grastate, parse_wsrep_recover, parse_wsrep_status
from hastack.facts.pacemaker import ClusterStatus, parse_crm_mon
from hastack.facts.rabbitmq import (
    QueueInfo,
    RabbitAlarm,
    parse_cluster_status,
    parse_quorum_queues,
)

FACTS = Path(__file__).parents[2] / "fixtures" / "facts"
RELEASES = {12: "", 13: "debian-13"}  # Debian 12's captures sit at the top of each directory


def crm_mon(debian: int, state: str) -> ClusterStatus:
    path = FACTS / "pacemaker" / RELEASES[debian] / f"crm_mon-{state}.xml"
    return parse_crm_mon(path.read_text())


def debian13(kind: str, name: str) -> str:
    return (FACTS / kind / "debian-13" / name).read_text()


@pytest.mark.parametrize("debian", sorted(RELEASES))
def test_crm_mon_healthy(debian: int) -> None:
    status = crm_mon(debian, "healthy")
    assert [(n.name, n.online, n.is_dc) for n in status.nodes] == [
        ("ctl-1", True, True),
        ("ctl-2", True, False),
        ("ctl-3", True, False),
    ]
    assert (status.have_quorum, status.dc, status.stonith_enabled) == (True, "ctl-1", True)
    assert status.failed_actions == ()
    clone = status.instances("haproxy-clone")
    assert [r.nodes for r in clone] == [("ctl-1",), ("ctl-2",), ("ctl-3",)]
    assert all(r.running and r.agent == "lsb:haproxy" for r in clone)
    assert status.instances("grp-public")[0].id == "vip-public"
    assert [(r.id, r.nodes) for r in status.resources if r.is_stonith] == [
        ("fence-ctl-1", ("ctl-3",)),
        ("fence-ctl-2", ("ctl-1",)),
        ("fence-ctl-3", ("ctl-2",)),
    ]


@pytest.mark.parametrize("debian", sorted(RELEASES))
def test_crm_mon_node_failures_and_quorum(debian: int) -> None:
    unclean = crm_mon(debian, "unclean").node("ctl-3")
    fenced = crm_mon(debian, "fenced")
    assert unclean is not None and (unclean.online, unclean.unclean) == (False, True)
    node = fenced.node("ctl-3")
    assert node is not None and (node.online, node.unclean) == (False, False)
    assert [r.role for r in fenced.instances("haproxy-clone")] == ["Started", "Started", "Stopped"]
    assert not crm_mon(debian, "noquorum").have_quorum


@pytest.mark.parametrize(
    ("debian", "not_running", "error"),
    [(12, "not running", "error"), (13, "Not running", "Error occurred")],
)
def test_crm_mon_failed_actions(debian: int, not_running: str, error: str) -> None:
    # Pacemaker 3.0 words the exit status differently; hastack only shows it
    status = crm_mon(debian, "failed")
    assert [
        (a.resource, a.label, a.node, a.exit_code, a.exit_status) for a in status.failed_actions
    ] == [
        ("haproxy", "monitor (10s)", "ctl-2", 7, not_running),
        ("vip-public", "probe", "ctl-3", 1, error),
    ]
    recovered = crm_mon(debian, "failed-recovered")
    assert [(a.resource, a.label) for a in recovered.failed_actions] == [
        ("vip-internal", "monitor (10s)"),
        ("fence-ctl-1", "start"),
    ]


def test_rabbitmq_4_cluster_status() -> None:
    status = parse_cluster_status(debian13("rabbitmq", "cluster_status-single.json"))
    assert status.running_nodes == status.disk_nodes == ("rabbit@localhost",)
    assert (status.partitions, status.alarms) == ({}, ())
    assert status.versions == {"rabbit@localhost": "4.0.5"}
    alarms = parse_cluster_status(debian13("rabbitmq", "cluster_status-alarms.json")).alarms
    assert alarms == (
        RabbitAlarm("rabbit@localhost", "disk"),
        RabbitAlarm("rabbit@localhost", "memory"),
    )


def test_rabbitmq_4_lists_a_leader_and_members_for_classic_queues_too() -> None:
    # RabbitMQ 3.10 printed "" for a classic queue's leader and members; health judges
    # quorum queues only (is_quorum), so the classic row changes nothing there
    local = "rabbit@localhost"
    assert parse_quorum_queues(debian13("rabbitmq", "list_queues-single.json")) == [
        QueueInfo("hs-fx-classic", "classic", local, (local,), ()),
        QueueInfo("hs-fx-quorum", "quorum", local, (local,), (local,)),
    ]


def test_mariadb_11_wsrep_status_grastate_and_recovery() -> None:
    status = parse_wsrep_status(debian13("galera", "wsrep-status-synced.txt"))
    assert (status.cluster_size, status.primary, status.synced, status.ready) == (
        1,
        True,
        True,
        True,
    )
    uuid = status.cluster_state_uuid
    crashed = parse_grastate(debian13("galera", "grastate-crashed.dat"))
    assert (crashed.uuid, crashed.seqno, crashed.safe_to_bootstrap) == (uuid, -1, True)
    assert parse_wsrep_recover(debian13("galera", "wsrep-recover-crashed.log"))[0] == uuid
