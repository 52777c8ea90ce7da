"""Majority loss and full outage: who goes off, what must hold meanwhile, how they are listed."""

from __future__ import annotations

import json

from click.testing import CliRunner
from drill_fakes import FakeTarget, make_fake_target

from hastack.cli.main import cli
from hastack.drills import checks, scenarios
from hastack.drills.outages import FullOutage, MajorityLoss
from hastack.facts.pacemaker import ClusterStatus


def holding(target: FakeTarget, held: dict[str, tuple[str, ...]]) -> FakeTarget:
    target.vip_holders = lambda: held  # type: ignore[method-assign]
    return target


def test_a_majority_loss_takes_the_vip_holder_and_the_next_node() -> None:
    target = make_fake_target()
    vips = target.vip_addresses()
    holding(target, {vips[0]: ("ctl-2",), **{v: ("ctl-2",) for v in vips[1:]}})
    drill = MajorityLoss()
    assert drill.preconditions(target.plan, target) == []
    assert drill.prepare(target) == (
        f"ctl-2 and ctl-1 go off (ctl-2 holds VIP {vips[0]}); ctl-3 stays without quorum"
    )
    assert drill.avoid() == ("ctl-2", "ctl-1")
    assert drill.inject(target) == "powered off ctl-2 in 0.10 s; powered off ctl-1 in 0.10 s"
    assert target.fake_lab.calls[:2] == ["cut links ctl-2", "cut links ctl-1"]
    assert drill.restore(target) == ["powered on ctl-1 in 0.50 s", "powered on ctl-2 in 0.50 s"]


def quorum(have: bool) -> ClusterStatus:
    return ClusterStatus((), have, None, True, (), ())


def test_a_survivor_without_quorum_must_hold_no_vip() -> None:
    target = holding(make_fake_target(), {"198.18.0.100": ("ctl-3",)})
    target.cluster_status = lambda exclude=(): quorum(False)  # type: ignore[method-assign]
    check = checks.stopped_without_quorum(target, ("ctl-3",), ("ctl-1", "ctl-2"))
    assert check() == (False, "ctl-3: quorum False; hold 198.18.0.100")
    holding(target, {"198.18.0.100": ()})
    assert check() == (True, "ctl-3: quorum False; hold no VIP")
    target.cluster_status = lambda exclude=(): quorum(True)  # type: ignore[method-assign]
    assert check() == (False, "ctl-3: quorum True; hold no VIP")


def test_a_full_outage_powers_every_node_off_then_on() -> None:
    target = make_fake_target()
    drill = FullOutage()
    drill.inject(target)
    (off,) = drill.expectations(target)
    assert off.predicate() == (True, "every node is off")
    assert drill.restore(target) == [f"powered on ctl-{n} in 0.50 s" for n in (1, 2, 3)]
    assert off.predicate() == (False, "still on: ctl-1, ctl-2, ctl-3")


def test_the_outage_drills_are_judged_on_healing_and_data_and_run_late() -> None:
    names = scenarios.names()
    assert names[-3:] == ["majority-loss", "full-outage", "rolling-restart"]
    for drill in (MajorityLoss, FullOutage):
        assert (drill.budget, drill.judged_on_failover) == (None, False)
        assert drill.description.endswith("Judged on healing and data, not on a failover budget.")
    assert all(d.heal_target_s == 90.0 for d in scenarios.DRILLS)


def test_drill_list_says_what_each_drill_is_judged_on() -> None:
    done = CliRunner().invoke(cli, ["drill", "list", "--json"])
    assert done.exit_code == 0, done.output
    listed = {d["name"]: d for d in json.loads(done.output)["scenarios"]}
    assert list(listed) == scenarios.names()
    assert listed["majority-loss"]["judged_on"] == (
        "healing and data (no failover budget: the probes see a long outage)"
    )
    assert listed["vip-holder-power-off"]["judged_on"] == "failover, healing and data"
    assert listed["full-outage"]["heal_target_s"] == 90.0
    text = CliRunner().invoke(cli, ["drill", "list"], env={"COLUMNS": "400"})
    line = next(x for x in text.output.splitlines() if x.startswith("full-outage"))
    assert "not on a failover budget" in line
