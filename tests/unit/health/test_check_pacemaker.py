import dataclasses
from pathlib import Path

from hastack.facts.pacemaker import ClusterStatus, parse_crm_mon
from hastack.health.pacemaker import ExpectedResource, evaluate_pacemaker
from hastack.health.status import Status

FIXTURES = Path(__file__).parents[2] / "fixtures" / "facts" / "pacemaker"
NODES = ("ctl-1", "ctl-2", "ctl-3")
PLANNED = (
    ExpectedResource("vip-internal"),
    ExpectedResource("haproxy-clone", 3),
    ExpectedResource("grp-public"),
)


def load(name: str) -> ClusterStatus:
    return parse_crm_mon((FIXTURES / f"crm_mon-{name}.xml").read_text())


def judged(name: str) -> list[tuple[str, Status, str]]:
    return [
        (r.subject, r.status, r.message) for r in evaluate_pacemaker(load(name), NODES, PLANNED)
    ]


def test_healthy() -> None:
    assert judged("healthy") == [
        ("cluster", Status.OK, "3 of 3 nodes online with quorum; DC is ctl-1"),
        ("vip-internal", Status.OK, "vip-internal (ocf:heartbeat:IPaddr2) started on ctl-1"),
        (
            "haproxy-clone",
            Status.OK,
            "haproxy-clone (lsb:haproxy) started on ctl-1, ctl-2, ctl-3",
        ),
        ("grp-public", Status.OK, "grp-public (ocf:heartbeat:IPaddr2) started on ctl-2"),
        ("fence-ctl-1", Status.OK, "fence-ctl-1 (stonith:fence_ipmilan) started on ctl-3"),
        ("fence-ctl-2", Status.OK, "fence-ctl-2 (stonith:fence_ipmilan) started on ctl-1"),
        ("fence-ctl-3", Status.OK, "fence-ctl-3 (stonith:fence_ipmilan) started on ctl-2"),
    ]


def test_evidence_says_where() -> None:
    result = evaluate_pacemaker(load("healthy"), NODES, PLANNED)[2]
    assert result.evidence["running_on"] == "ctl-1, ctl-2, ctl-3"
    assert result.check == "pacemaker.cluster"


def test_unclean_node_blocks_and_its_resources_are_unknown() -> None:
    results = judged("unclean")
    assert ("cluster", Status.OK, "2 of 3 nodes online with quorum; DC is ctl-1") in results
    assert (
        "ctl-3",
        Status.BLOCKED,
        "ctl-3 is UNCLEAN and waits to be fenced; its resources cannot move until fencing"
        " succeeds — check its fence device and BMC",
    ) in results
    assert (
        "haproxy-clone",
        Status.DEGRADED,
        "haproxy-clone (lsb:haproxy) runs on ctl-1, ctl-2 only (2 of 3 expected); its state"
        " on ctl-3 is unknown until fenced",
    ) in results
    assert (
        "fence-ctl-1",
        Status.BLOCKED,
        "fence-ctl-1 (stonith:fence_ipmilan) runs on no online node; its state on ctl-3 is"
        " unknown until that node is fenced — check its fence device and BMC",
    ) in results


def test_fenced_node_is_offline() -> None:
    results = judged("fenced")
    assert (
        "ctl-3",
        Status.DEGRADED,
        "ctl-3 is offline; start corosync and pacemaker on it",
    ) in results
    assert (
        "haproxy-clone",
        Status.DEGRADED,
        "haproxy-clone (lsb:haproxy) runs on ctl-1, ctl-2 only (2 of 3 expected);"
        " see `crm status` for why",
    ) in results


def test_no_quorum_is_down() -> None:
    first = judged("noquorum")[0]
    assert first == (
        "cluster",
        Status.DOWN,
        "the cluster has no quorum (1 of 3 nodes online: ctl-1); resources stay stopped until"
        " a majority is back — start the offline nodes or fix their links",
    )


def test_failed_actions_and_failed_resources() -> None:
    results = judged("failed")
    assert (
        "haproxy-clone",
        Status.DEGRADED,
        "haproxy-clone (lsb:haproxy) FAILED on ctl-2 and runs on ctl-1, ctl-3 (2 of 3"
        " expected); Pacemaker is recovering it — if it stays failed, run"
        " `crm resource cleanup haproxy-clone`",
    ) in results
    assert (
        "grp-public",
        Status.BLOCKED,
        "vip-public (ocf:heartbeat:IPaddr2) is active on ctl-2 and ctl-3 at once; Pacemaker"
        " stops and restarts it — if it stays, run `crm resource cleanup grp-public`",
    ) in results
    assert results[-2:] == [
        (
            "haproxy on ctl-2",
            Status.DEGRADED,
            "haproxy monitor (10s) on ctl-2 failed: not running (Simulated action result);"
            " fix the cause, then run `crm resource cleanup haproxy ctl-2`",
        ),
        (
            "vip-public on ctl-3",
            Status.DEGRADED,
            "vip-public probe on ctl-3 failed: error (Simulated action result);"
            " fix the cause, then run `crm resource cleanup vip-public ctl-3`",
        ),
    ]


def test_fence_history() -> None:
    results = judged("fence-history-documented")
    assert results[-1] == ("fencing ctl-3", Status.OK, "ctl-3 was fenced (reboot) by ctl-2")


def test_latest_failed_fencing_blocks() -> None:
    status = load("fence-history-documented")
    status = ClusterStatus(**{**status.__dict__, "fence_history": status.fence_history[1:]})
    assert evaluate_pacemaker(status, NODES)[-1].message == (
        "fencing ctl-3 (reboot) failed: Fence agent did not complete in time; it stays UNCLEAN"
        " until fencing succeeds — check its BMC and fence device"
    )


def test_missing_node_and_resource() -> None:
    results = evaluate_pacemaker(
        load("healthy"), (*NODES, "ctl-4"), (ExpectedResource("vip-admin"),)
    )
    assert [(r.subject, r.status, r.message) for r in results[1:3]] == [
        (
            "ctl-4",
            Status.BLOCKED,
            "ctl-4 is not a member of the cluster; add it to corosync.conf and the CIB"
            " (re-run `hastack lab up`)",
        ),
        (
            "vip-admin",
            Status.BLOCKED,
            "vip-admin is not configured in the CIB; re-run `hastack lab up`",
        ),
    ]


def test_stonith_disabled_blocks() -> None:
    status = load("healthy")
    status = ClusterStatus(**{**status.__dict__, "stonith_enabled": False})
    blocked = [r for r in evaluate_pacemaker(status, NODES) if r.subject == "stonith"]
    assert blocked[0].status is Status.BLOCKED
    assert blocked[0].message.startswith("stonith-enabled is false: a lost node cannot be fenced")


def test_no_answer_is_down() -> None:
    [result] = evaluate_pacemaker(None, NODES)
    assert (result.status, result.message) == (
        Status.DOWN,
        "no node answered `crm_mon`; start corosync and pacemaker on the controllers",
    )


def test_stopped_everywhere_is_down() -> None:
    status = load("healthy")
    stopped = tuple(
        dataclasses.replace(r, role="Stopped", active=False, nodes=())
        if r.id == "vip-internal"
        else r
        for r in status.resources
    )
    status = ClusterStatus(**{**status.__dict__, "resources": stopped})
    result = evaluate_pacemaker(status, NODES, (ExpectedResource("vip-internal"),))[1]
    assert (result.status, result.message) == (
        Status.DOWN,
        "vip-internal (ocf:heartbeat:IPaddr2) is stopped on every node; fix the cause shown in"
        " the failed actions, then run `crm resource cleanup vip-internal`",
    )
