"""The runner's safety rails, with a fake target: refusals are clear sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from hastack import errors, plan
from hastack.drills import scenarios
from hastack.drills.nodes import DcPowerOff, VipHolderPowerOff
from hastack.drills.runner import gate, refuse_non_lab
from hastack.drills.services import KeystoneUnitKilled
from hastack.health.report import HealthReport
from hastack.health.status import CheckResult, Status
from hastack.topology.load import load

BUNDLE = Path(__file__).resolve().parents[3] / "examples" / "lab-core.yaml"


class FakeTarget:
    def __init__(self, results: list[CheckResult], *, is_lab: bool = True) -> None:
        self.plan = plan.build(load(BUNDLE))
        self.results = results
        self.is_lab = is_lab

    def health(self) -> HealthReport:
        return HealthReport(self.results)


def test_the_gate_refuses_a_degraded_cluster_and_lists_the_failing_checks() -> None:
    target = FakeTarget(
        [
            CheckResult("vip.single-holder", "vip-mysql-int", Status.OK, "held by ctl-1"),
            CheckResult("galera.cluster", "ctl-3", Status.DOWN, "galera on ctl-3 does not answer"),
        ]
    )
    with pytest.raises(errors.DrillAborted) as caught:
        gate(target, VipHolderPowerOff())  # type: ignore[arg-type]
    assert str(caught.value) == (
        "refusing to run drill vip-holder-power-off: the deployment is not all green, and a "
        "drill on a degraded cluster proves nothing. Failing checks:\n"
        "  - galera.cluster (ctl-3): galera on ctl-3 does not answer\n"
        "Fix them (see `hastack status`) and run the drill again."
    )


def test_the_gate_passes_an_all_green_cluster() -> None:
    target = FakeTarget([CheckResult("galera.cluster", "ctl-1", Status.OK, "Synced")])
    gate(target, VipHolderPowerOff())  # type: ignore[arg-type]


def test_a_drill_whose_application_is_missing_says_so_before_any_health_check() -> None:
    target = FakeTarget([])
    target.plan = plan.build(load(BUNDLE))
    drill = KeystoneUnitKilled()
    reasons = drill.preconditions(target.plan, target)  # type: ignore[arg-type]
    from hastack.kinds import deployable

    if deployable("keystone"):
        assert reasons == []
    else:
        assert reasons == [
            "keystone is not deployed on this lab (hastack cannot deploy keystone yet), "
            "so there is no Keystone unit to kill"
        ]


def test_a_target_that_is_not_a_lab_needs_yes() -> None:
    target = FakeTarget([], is_lab=False)
    with pytest.raises(errors.DrillAborted) as caught:
        refuse_non_lab(target, yes=False)  # type: ignore[arg-type]
    assert "pass --yes if you really mean to drill this deployment" in str(caught.value)
    refuse_non_lab(target, yes=True)  # type: ignore[arg-type]


def test_unknown_drill_lists_the_known_ones() -> None:
    with pytest.raises(errors.DrillAborted) as caught:
        scenarios.by_name("pull-the-plug")
    assert str(caught.value).startswith(
        "unknown drill 'pull-the-plug'; `hastack drill list` shows them: "
        "haproxy-killed-on-vip-holder, keystone-unit-killed,"
    )


def test_every_drill_has_a_unique_name_and_a_sentence() -> None:
    names = scenarios.names()
    assert len(names) == len(set(names)) == 13
    assert all(d.description.endswith(".") for d in scenarios.DRILLS)


class DcTarget:
    """The DC ctl-1 holds Keystone's VIPs but not the database's (the first VIP)."""

    def __init__(self, held: dict[str, tuple[str, ...]]) -> None:
        self.held = held

    def cluster_status(self):  # type: ignore[no-untyped-def]
        class Status:
            dc = "ctl-1"

        return Status()

    def vip_addresses(self) -> tuple[str, ...]:
        return tuple(self.held)

    def vip_holders(self) -> dict[str, tuple[str, ...]]:
        return self.held


def test_a_dc_holding_any_vip_answers_to_the_vip_holder_budget() -> None:
    """A DC that holds Keystone's VIP is a VIP holder's power-off, even when it does not
    hold the first VIP: the drill must not predict "no outage" for it."""
    drill = DcPowerOff()
    held = {"198.18.0.100": ("ctl-2",), "198.18.0.101": ("ctl-1",), "198.18.1.101": ("ctl-1",)}
    chosen = drill.prepare(DcTarget(held))  # type: ignore[arg-type]
    assert chosen == "ctl-1 is the DC and holds VIP 198.18.0.101, 198.18.1.101"
    assert (drill.budget, drill.budget_subject()) == ("vip-holder-power-off", "198.18.0.101")
    other = DcPowerOff()
    assert other.prepare(DcTarget({"198.18.0.100": ("ctl-2",)})) == "ctl-1 is the DC"  # type: ignore[arg-type]
    assert other.budget == "backend-power-off"


def _clients_run(drill: object, green: bool) -> object:
    from hastack.drills.runner import _Run

    target = FakeTarget([])
    target.connectors = {}  # type: ignore[attr-defined]
    target.secrets = None  # type: ignore[attr-defined]
    run = _Run(drill, target, say=lambda _line: None)  # type: ignore[arg-type]
    run.t_green = 1.0 if green else None
    return run


def _only_keystone_checks_clients(monkeypatch: pytest.MonkeyPatch, check: object) -> None:
    """Keystone's clients are checked with *check*; no other kind's are (Heat's real check
    would ask the fake target's hosts for a stack)."""
    import dataclasses

    from hastack import kinds

    for name, service in list(kinds.services().items()):
        found = None if name != "keystone" else check
        replaced = dataclasses.replace(service, clients_recovered=found)  # type: ignore[arg-type]
        monkeypatch.setitem(kinds.services(), name, replaced)


def test_clients_recovered_becomes_a_step_that_can_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    from hastack.drills.runner import _clients_recovered

    def engines_gone(*_args: object) -> str:
        raise errors.DeployError("stack drill-1 FAILED: no engine answered in 120 s")

    _only_keystone_checks_clients(monkeypatch, engines_gone)
    run = _clients_run(VipHolderPowerOff(), green=True)
    _clients_recovered(run)  # type: ignore[arg-type]
    (step,) = run.steps  # type: ignore[attr-defined]
    assert not step.ok
    assert step.description == "clients of keystone work again"
    assert "no engine answered" in step.seen


def test_clients_are_not_checked_by_drills_that_do_not_ask_or_before_green(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from hastack.drills.runner import _clients_recovered

    calls: list[str] = []

    def record(_plan: object, app: str, *_rest: object) -> str:
        calls.append(app)
        return "stack CREATE_COMPLETE"

    _only_keystone_checks_clients(monkeypatch, record)
    for drill, green in ((KeystoneUnitKilled(), True), (VipHolderPowerOff(), False)):
        run = _clients_run(drill, green)
        _clients_recovered(run)  # type: ignore[arg-type]
        assert run.steps == ()  # type: ignore[attr-defined]
    run = _clients_run(VipHolderPowerOff(), green=True)
    _clients_recovered(run)  # type: ignore[arg-type]
    assert calls == ["keystone"]
    assert [s.ok for s in run.steps] == [True]  # type: ignore[attr-defined]
