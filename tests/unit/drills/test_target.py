"""The drill target undoes what it did and cannot reach the deployer; its fencing facts."""

from __future__ import annotations

import ast
import datetime
import inspect
from pathlib import Path

from drill_fakes import make_fake_target

from hastack.drills import checks
from hastack.drills.target import Target, completed_at
from hastack.facts.pacemaker import ClusterStatus, FenceEvent, Node

DRILLS = Path(__file__).resolve().parents[3] / "src" / "hastack" / "drills"


def test_powering_off_together_cuts_every_link_before_the_first_node_dies() -> None:
    target = make_fake_target()
    said = target.power_off_together(("ctl-1", "ctl-2"))
    assert said == "powered off ctl-1 in 0.10 s; powered off ctl-2 in 0.10 s"
    assert target.fake_lab.calls == [
        "cut links ctl-1",
        "cut links ctl-2",
        "power off ctl-1",
        "power off ctl-2",
    ]
    assert target.undo() == ["powered on ctl-1 in 0.50 s", "powered on ctl-2 in 0.50 s"]
    assert target.undo() == []  # twice is harmless


def test_undo_takes_back_the_bmc_and_the_links_it_took() -> None:
    target = make_fake_target()
    target.mute_bmc("ctl-3")
    target.cut_links("ctl-3")
    assert target.undo() == ["the BMC of ctl-3 answers again", "restored the links of ctl-3"]
    assert target.fake_lab.calls[-2:] == ["unmute bmc ctl-3", "restore links ctl-3"]


def test_a_node_powered_on_within_the_drill_is_not_powered_on_again() -> None:
    target = make_fake_target()
    target.power_soft("ctl-2")
    target.power_on("ctl-2")
    assert target.undo() == []


def test_a_target_has_no_way_to_run_the_deployer() -> None:
    assert set(dir(Target)) & {"redeploy", "_redeploy", "deploy", "heal", "recover"} == set()
    assert list(inspect.signature(Target).parameters) == ["plan", "lab", "secrets"]


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
            found.update(f"{'.' * node.level}{node.module or ''}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_no_drill_module_imports_the_deployer_or_a_recovery() -> None:
    """Restore undoes the injection only: nothing in drills/ may call `deploy`, `lab up`
    or `recover galera` to make a drill go green."""
    offending = {
        f"{path.name}: {name}"
        for path in sorted(DRILLS.glob("*.py"))
        for name in _imports(path)
        if {"apply", "deploy", "lab_up", "recover"} & set(name.split("."))
    }
    assert offending == set()
    words = ("redeploy", "lab_up", "recover_galera", "deploy(")
    assert [p.name for p in DRILLS.glob("*.py") if any(w in p.read_text() for w in words)] == []


def test_fence_completion_times_are_read_as_utc() -> None:
    assert completed_at("2026-11-22 01:32:38Z") == datetime.datetime(
        2026, 11, 22, 1, 32, 38, tzinfo=datetime.UTC
    )
    assert completed_at("2026-11-22 01:32:38.250+01:00") == datetime.datetime(
        2026, 11, 22, 0, 32, 38, 250000, tzinfo=datetime.UTC
    )
    assert completed_at("2026-11-22 01:32:38") == completed_at("2026-11-22 01:32:38Z")
    assert completed_at("") is None


def status(victim_online: bool, *fenced: tuple[str, str], quorum: bool = True) -> ClusterStatus:
    nodes = (
        Node("ctl-1", victim_online, False, False, False, False),
        Node("ctl-2", True, False, False, True, False),
    )
    history = tuple(
        FenceEvent("ctl-1", action, "success", "ctl-2", "ctl-2", at) for action, at in fenced
    )
    return ClusterStatus(nodes, quorum, "ctl-2", True, (), (), history)


class Cluster:
    """A target whose survivors' crm_mon answers *now*."""

    def __init__(self, now: ClusterStatus) -> None:
        self.target = make_fake_target()
        self.target.cluster_status = lambda exclude=(): now  # type: ignore[method-assign]


SINCE = datetime.datetime(2026, 11, 22, 1, 32, 30, tzinfo=datetime.UTC)


def test_a_victim_fenced_by_reboot_and_back_online_is_settled() -> None:
    target = Cluster(status(True, ("reboot", "2026-11-22 01:32:35Z"))).target
    ok, seen = checks.fenced_and_settled(target, "ctl-1", SINCE)()
    assert ok
    assert seen == ("survivors see ctl-1 online; DC ctl-2, quorum True; fenced (reboot by ctl-2)")


def test_a_fence_from_an_earlier_drill_does_not_count() -> None:
    target = Cluster(status(True, ("reboot", "2026-11-22 01:20:00Z"))).target
    assert checks.fenced_and_settled(target, "ctl-1", SINCE)() == (
        False,
        "survivors see ctl-1 online; DC ctl-2, quorum True",
    )
    offline = Cluster(status(False)).target
    assert checks.fenced_and_settled(offline, "ctl-1", SINCE)()[0]


def test_fenced_means_off_or_power_cycled() -> None:
    target = make_fake_target()
    before = target.boot("ctl-1")
    check = checks.power_cycled(target, "ctl-1", before)
    assert check() == (False, "ctl-1 is still on, the same boot")
    target.fake_lab.fence("ctl-1", "reboot")
    assert check() == (True, "ctl-1 was power-cycled (it runs again, a new boot)")
    target.fake_lab.fence("ctl-1", "off")
    assert check() == (True, "ctl-1 is powered off")
