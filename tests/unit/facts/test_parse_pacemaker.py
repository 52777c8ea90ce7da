from pathlib import Path

import pytest

from hastack.facts import ParseError
from hastack.facts.pacemaker import ClusterStatus, FailedAction, FenceEvent, parse_crm_mon

FIXTURES = Path(__file__).parents[2] / "fixtures" / "facts" / "pacemaker"


def load(name: str) -> ClusterStatus:
    return parse_crm_mon((FIXTURES / f"crm_mon-{name}.xml").read_text())


def test_healthy_three_nodes_with_quorum() -> None:
    status = load("healthy")
    assert [(n.name, n.online, n.unclean, n.is_dc) for n in status.nodes] == [
        ("ctl-1", True, False, True),
        ("ctl-2", True, False, False),
        ("ctl-3", True, False, False),
    ]
    assert status.have_quorum
    assert status.dc == "ctl-1"
    assert status.stonith_enabled
    assert status.failed_actions == ()
    assert status.fence_history == ()


def test_resources_are_flattened_with_their_parents() -> None:
    status = load("healthy")
    vip = status.instances("vip-internal")
    assert len(vip) == 1
    assert vip[0].agent == "ocf:heartbeat:IPaddr2"
    assert vip[0].nodes == ("ctl-1",)
    assert vip[0].parents == ()
    clone = status.instances("haproxy-clone")
    assert [r.nodes for r in clone] == [("ctl-1",), ("ctl-2",), ("ctl-3",)]
    assert {r.parent for r in clone} == {"haproxy-clone"}
    assert all(r.running and r.agent == "lsb:haproxy" for r in clone)
    assert status.instances("grp-public")[0].id == "vip-public"
    fence = [r for r in status.resources if r.is_stonith]
    assert [(r.id, r.nodes) for r in fence] == [
        ("fence-ctl-1", ("ctl-3",)),
        ("fence-ctl-2", ("ctl-1",)),
        ("fence-ctl-3", ("ctl-2",)),
    ]


def test_unclean_node() -> None:
    node = load("unclean").node("ctl-3")
    assert node is not None
    assert (node.online, node.unclean) == (False, True)


def test_fenced_node_is_offline_and_clean_with_a_stopped_clone_instance() -> None:
    status = load("fenced")
    node = status.node("ctl-3")
    assert node is not None
    assert (node.online, node.unclean) == (False, False)
    assert [r.role for r in status.instances("haproxy-clone")] == ["Started", "Started", "Stopped"]


def test_no_quorum() -> None:
    status = load("noquorum")
    assert not status.have_quorum
    assert status.dc == "ctl-1"


def test_failed_actions() -> None:
    status = load("failed")
    assert status.failed_actions == (
        FailedAction(
            resource="haproxy",
            operation="monitor",
            interval_ms=10000,
            node="ctl-2",
            exit_status="not running",
            exit_code=7,
            exit_reason="Simulated action result",
            last_change="2026-11-22 01:32:35Z",
        ),
        FailedAction(
            resource="vip-public",
            operation="monitor",
            interval_ms=0,
            node="ctl-3",
            exit_status="error",
            exit_code=1,
            exit_reason="Simulated action result",
            last_change="2026-11-22 01:32:35Z",
        ),
    )
    assert [a.label for a in status.failed_actions] == ["monitor (10s)", "probe"]
    failed = [r for r in status.instances("haproxy-clone") if r.failed]
    assert [r.nodes for r in failed] == [("ctl-2",)]
    assert status.instances("vip-public")[0].nodes == ("ctl-2", "ctl-3")


def test_resource_id_with_underscores_from_op_key() -> None:
    status = load("failed-recovered")
    assert [(a.resource, a.label) for a in status.failed_actions] == [
        ("vip-internal", "monitor (10s)"),
        ("fence-ctl-1", "start"),
    ]


def test_fence_history_documented_shape() -> None:
    status = load("fence-history-documented")
    assert status.fence_history[0] == FenceEvent(
        target="ctl-3",
        action="reboot",
        status="success",
        origin="ctl-1",
        delegate="ctl-2",
        completed="2026-11-22 01:32:40Z",
    )
    assert status.fence_history[1].exit_reason == "Fence agent did not complete in time"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("not xml", "not well-formed XML"),
        ("<cib/>", "root element is <cib>, expected <pacemaker-result>"),
        ("<pacemaker-result/>", "no <summary> or <nodes>"),
        (
            '<pacemaker-result><status code="102" message="Not connected"/></pacemaker-result>',
            "crm_mon reported error 102: Not connected",
        ),
    ],
)
def test_bad_input(text: str, problem: str) -> None:
    with pytest.raises(ParseError, match=r"^cannot parse crm_mon XML: ") as info:
        parse_crm_mon(text)
    assert problem in str(info.value)
