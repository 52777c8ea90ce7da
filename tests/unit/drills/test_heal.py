"""Restore undoes the injection and nothing more; the time to full redundancy is measured
from the end of the fault (instantly, with a ManualClock)."""

from __future__ import annotations

import pytest
from drill_fakes import GREEN, RED, FakeTarget, make_fake_target

from hastack.drills.base import Drill
from hastack.drills.nodes import PartitionOneNode, VipHolderPowerOff
from hastack.drills.runner import HEAL_POLL_S, _Run, await_full_redundancy, restore
from hastack.drills.services import GaleraMemberLoss
from hastack.health.status import CheckResult, Status
from hastack.hosts.fake import Call, FakeHost
from hastack.wait import ManualClock


def injected(drill: Drill, target: FakeTarget, clock: ManualClock, *, lasted: float) -> _Run:
    """A run whose fault was injected at 100 s and whose expectations took *lasted* s."""
    said: list[str] = []
    run = _Run(drill, target, said.append, clock)
    run.t_inject = clock.now = 100.0
    run.injected = drill.inject(target)
    run.t_injected = clock.now = 100.5
    clock.now += lasted
    return run


def test_a_powered_off_node_is_powered_on_and_healing_counts_from_then() -> None:
    target = make_fake_target(health=[[RED], [RED], [RED], [GREEN]])
    drill, clock = VipHolderPowerOff(), ManualClock()
    drill.victim = "ctl-1"
    run = injected(drill, target, clock, lasted=30.0)
    restore(run)
    assert run.restored == ("powered on ctl-1 in 0.50 s",)
    assert run.t_fault_end == 130.5
    await_full_redundancy(run)
    assert run.t_green == 130.5 + 3 * HEAL_POLL_S
    assert run.not_green == ()
    assert target.fake_lab.calls == ["cut links ctl-1", "power off ctl-1", "power on ctl-1"]


def test_a_killed_process_is_not_restored_and_healing_counts_from_the_kill() -> None:
    target = make_fake_target(health=[[GREEN]])
    killed: list[tuple[str, ...]] = []

    def pkill(host: FakeHost, call: Call) -> object:
        killed.append(call.argv)
        return call.result(0)

    target.connectors["ctl-1"].on(["pkill"], pkill)  # type: ignore[attr-defined]
    drill, clock = GaleraMemberLoss(), ManualClock()
    drill.victim = "ctl-1"
    run = injected(drill, target, clock, lasted=12.0)
    restore(run)
    await_full_redundancy(run)
    assert killed == [("pkill", "-KILL", "-x", "mariadbd")]
    assert run.restored == ()
    assert run.t_fault_end == run.t_injected == 100.5
    assert run.t_green == 112.5  # green at the first look, 12 s after the kill
    assert target.fake_lab.calls == []


def test_a_drill_that_does_not_heal_waits_its_deadline_from_the_end_of_the_fault() -> None:
    target = make_fake_target(health=[[RED]])
    target.connectors["ctl-1"].on(["pkill"], lambda _h, call: call.result(0))  # type: ignore[attr-defined]
    drill, clock = GaleraMemberLoss(), ManualClock()
    drill.victim = "ctl-1"
    run = injected(drill, target, clock, lasted=40.0)
    restore(run)
    await_full_redundancy(run)
    assert run.t_green is None
    # 260 s of waiting (to the next look past the deadline), not 300 more
    assert 0 <= clock.now - (100.5 + drill.heal_deadline_s) < HEAL_POLL_S
    assert run.not_green == ("galera.cluster (ctl-2): galera on ctl-2 does not answer",)


def test_a_node_the_cluster_fenced_off_is_left_off() -> None:
    """Restore heals the link the drill cut; powering on a node fencing turned off would be
    an operator's repair, so the drill does not heal (with fencing action `off`)."""
    target = make_fake_target(health=[[RED]])
    drill, clock = PartitionOneNode(), ManualClock()
    drill.victim = "ctl-2"
    run = injected(drill, target, clock, lasted=20.0)
    target.fake_lab.fence("ctl-2", "off")
    restore(run)
    await_full_redundancy(run)
    assert run.restored == ("restored the links of ctl-2",)
    assert target.fake_lab.calls == ["cut links ctl-2", "fence off ctl-2", "restore links ctl-2"]
    assert target.fake_lab.on["ctl-2"] is False
    assert run.t_green is None


def test_a_node_fencing_rebooted_is_not_powered_on_again() -> None:
    target = make_fake_target()
    drill, clock = VipHolderPowerOff(), ManualClock()
    drill.victim = "ctl-3"
    run = injected(drill, target, clock, lasted=8.0)
    target.fake_lab.fence("ctl-3", "reboot")  # the BMC powers it straight back on
    restore(run)
    assert run.restored == ("ctl-3 is on again",)
    assert target.fake_lab.calls == ["cut links ctl-3", "power off ctl-3", "fence reboot ctl-3"]


def test_a_failing_restore_is_the_drills_error_and_the_target_still_undoes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = make_fake_target()
    drill, clock = VipHolderPowerOff(), ManualClock()
    drill.victim = "ctl-1"
    run = injected(drill, target, clock, lasted=5.0)

    def broken(_target: object) -> list[str]:
        raise RuntimeError("BMC timed out")

    monkeypatch.setattr(drill, "restore", broken)
    restore(run)
    assert run.error == "restore failed: BMC timed out"
    assert run.restored == ("restore step failed: BMC timed out", "powered on ctl-1 in 0.50 s")


def test_the_checks_that_healed_last_are_named_with_when_they_turned_ok_for_good() -> None:
    rabbit_red = CheckResult("rabbitmq.cluster", "ctl-1", Status.DOWN, "2 of 3 members")
    rabbit_ok = CheckResult("rabbitmq.cluster", "ctl-1", Status.OK, "3 of 3 members")
    target = make_fake_target(
        health=[[RED, rabbit_red], [GREEN, rabbit_red], [RED, rabbit_ok], [GREEN, rabbit_ok]]
    )
    drill, clock = VipHolderPowerOff(), ManualClock()
    drill.victim = "ctl-1"
    run = injected(drill, target, clock, lasted=10.0)
    restore(run)
    await_full_redundancy(run)
    # looks at 0, 3, 6, 9 s; Galera was red again at the third: it healed for good at the fourth
    assert run.turned_ok == {
        "galera.cluster (ctl-2)": 3 * HEAL_POLL_S,
        "rabbitmq.cluster (ctl-1)": 2 * HEAL_POLL_S,
    }
