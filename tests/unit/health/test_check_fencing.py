from __future__ import annotations

from pathlib import Path

from hastack.facts.fencing import FenceDeviceState, parse_fence_devices
from hastack.facts.pacemaker import parse_crm_mon
from hastack.health.fencing import evaluate_fence_guards
from hastack.health.pacemaker import evaluate_pacemaker
from hastack.health.status import Status

FIXTURES = Path(__file__).parents[2] / "fixtures" / "facts" / "pacemaker"
REASON = "fenced 4 times within 10 min (21:24:05 to 21:24:35 UTC, limit 4): a fence loop"


def test_a_guarded_node_is_blocked_and_the_message_says_why_and_what_next() -> None:
    devices = parse_fence_devices((FIXTURES / "cib-resources-guarded.xml").read_text())
    [result] = evaluate_fence_guards(devices)
    assert (result.check, result.subject, result.status) == (
        "fencing.guard",
        "ctl-3",
        Status.BLOCKED,
    )
    assert result.message == (
        f"the fence-loop guard left ctl-3 powered off: it was {REASON}; find out why it keeps"
        " being fenced (its links, its logs, `crm_mon --fence-history=3`), then run"
        " `hastack recover fencing ctl-3`"
    )
    assert result.evidence == {"device": "fence-ctl-3", "pcmk_reboot_action": "off"}


def test_devices_that_reboot_give_no_result() -> None:
    assert evaluate_fence_guards([FenceDeviceState("fence-ctl-1", "ctl-1")]) == []
    assert evaluate_fence_guards(None) == []


def test_a_reboot_turned_off_outside_hastack_is_degraded() -> None:
    [result] = evaluate_fence_guards([FenceDeviceState("fence-ctl-1", "ctl-1", "off")])
    assert result.status is Status.DEGRADED
    assert result.message == (
        "fence-ctl-1 powers ctl-1 off when the cluster asks to reboot it (pcmk_reboot_action=off,"
        " set outside hastack); run `hastack recover fencing ctl-1` to let fencing reboot it again"
    )


def test_the_offline_node_says_it_is_held_off_on_purpose() -> None:
    status = parse_crm_mon((FIXTURES / "crm_mon-fenced.xml").read_text())
    nodes = ("ctl-1", "ctl-2", "ctl-3")
    plain = {r.subject: r for r in evaluate_pacemaker(status, nodes)}
    assert plain["ctl-3"].status is Status.DEGRADED
    held = {r.subject: r for r in evaluate_pacemaker(status, nodes, guarded={"ctl-3": REASON})}
    assert held["ctl-3"].status is Status.BLOCKED
    assert held["ctl-3"].message == (
        "ctl-3 is offline on purpose: the fence-loop guard left it powered off (see"
        " fencing.guard); run `hastack recover fencing ctl-3` once the cause is fixed"
    )
