"""Heat x3 behind its VIPs: stacks through the real client, RPC on quorum queues, an engine
stopped on one controller costs no stack, and a SIGKILLed engine comes back by itself."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from openstack_probe import openstack_cli, public_vip

from conftest import DeployedLab, status_json
from hastack.apply import units
from hastack.apply.report import Report
from hastack.kinds.heat import service as heat
from hastack.openstack import daemon
from hastack.plan import Plan, queries
from hastack.topology import NetworkRole

pytestmark = pytest.mark.lab
APP = "heat"
STACK_TIMEOUT_S = 240  # `stack create --wait` on a loaded two-core machine: 10-20 s seen
TEMPLATE = """\
heat_template_version: 2018-08-31
description: resources that need no compute, network or storage
resources:
  word:
    type: OS::Heat::RandomString
    properties: {length: 16}
  nothing:
    type: OS::Heat::None
  test:
    type: OS::Heat::TestResource
    properties: {value: {get_resource: word}}
outputs:
  word: {value: {get_attr: [word, value]}}
"""


def _clouds(lab: DeployedLab) -> Path:
    return lab.state_dir / "deployments" / lab.plan.topology.name / "clouds.yaml"


@pytest.fixture
def stacks(deployed: DeployedLab) -> Iterator[list[str]]:
    """Names of the stacks a test creates; every one is deleted afterwards."""
    names: list[str] = []
    yield names
    if names:
        done = openstack_cli(
            _clouds(deployed), "stack", "delete", "--yes", "--wait", *names,
            timeout=STACK_TIMEOUT_S,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr


def _create(lab: DeployedLab, tmp_path: Path, names: list[str]) -> dict[str, object]:
    template = tmp_path / "stack.yaml"
    template.write_text(TEMPLATE)
    name = f"hastack-test-{uuid.uuid4().hex[:8]}"
    names.append(name)
    started = time.monotonic()
    done = openstack_cli(
        _clouds(lab), "stack", "create", "--wait", "-t", str(template), name, "-f", "json",
        timeout=STACK_TIMEOUT_S,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    print(f"stack {name} created in {time.monotonic() - started:.1f} s (CLI start included)")
    shown = openstack_cli(_clouds(lab), "stack", "show", name, "-f", "json")
    assert shown.returncode == 0, shown.stderr
    return dict(json.loads(shown.stdout))


def internal_vip(plan: Plan, app: str) -> str:
    return str(queries.vip_address(plan, app, NetworkRole.MANAGEMENT))


def _engine_units(lab: DeployedLab) -> list[str]:
    return [u.host for u in lab.plan.units_of(APP)]


def test_a_stack_reaches_create_complete_through_the_vips(
    deployed: DeployedLab, stacks: list[str], tmp_path: Path
) -> None:
    stack = _create(deployed, tmp_path, stacks)
    assert stack["stack_status"] == "CREATE_COMPLETE", stack.get("stack_status_reason")
    outputs = {o["output_key"]: o["output_value"] for o in stack["outputs"]}  # type: ignore[attr-defined]
    assert len(outputs["word"]) == 16


def _status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_both_apis_answer_through_the_vips(deployed: DeployedLab) -> None:
    for address in (public_vip(deployed.plan, APP), internal_vip(deployed.plan, APP)):
        assert _status_of(f"http://{address}:8004/") == 300  # heat-api's version list
        assert _status_of(f"http://{address}:8000/") == 300  # heat-api-cfn's
        assert _status_of(f"http://{address}:8004/v1/any-project/stacks") == 401  # no token


def test_the_heat_rpc_queues_are_quorum_queues(deployed: DeployedLab) -> None:
    node = deployed.node(_engine_units(deployed)[0])
    done = node.check(
        ["rabbitmqctl", "list_queues", "name", "type", "consumers", "--formatter", "json"],
        timeout=90,
    )
    queues = {q["name"]: q for q in json.loads(done.stdout)}
    for topic in ("engine", "engine_worker", "heat-engine-listener"):
        assert queues[topic]["type"] == "quorum", queues[topic]
        assert queues[topic]["consumers"] == len(_engine_units(deployed)), queues[topic]


def _engine_rows(lab: DeployedLab) -> dict[str, dict[str, str]]:
    _code, report = status_json(lab)
    return {
        r["subject"]: r  # type: ignore[index, misc]
        for r in report["results"]  # type: ignore[union-attr]
        if r["check"] == "daemon.units" and r["subject"].startswith("heat/")  # type: ignore[index]
    }


def test_status_shows_every_heat_api_and_engine_per_unit(deployed: DeployedLab) -> None:
    _code, report = status_json(deployed)
    rows = {
        (r["check"], r["subject"]): r["status"]  # type: ignore[index]
        for r in report["results"]  # type: ignore[union-attr]
        if r["subject"].startswith("heat/")  # type: ignore[index]
    }
    wanted = {
        (check, f"{u.name} {what} on {u.host}")
        for u in deployed.plan.units_of(APP)
        for check, what in (
            ("api.units", "heat-api"),
            ("api.units", "heat-api-cfn"),
            ("daemon.units", "heat-engine"),
        )
    }
    assert set(rows) == wanted
    assert set(rows.values()) == {"ok"}


def test_stacks_complete_with_an_engine_stopped(
    deployed: DeployedLab, stacks: list[str], tmp_path: Path
) -> None:
    victim = _engine_units(deployed)[-1]
    node = deployed.node(victim)
    assert daemon.running(node, heat.ENGINE)
    try:
        units.stop(node, heat.ENGINE.unit.name)  # a stop, unlike a crash, is not undone
        assert not daemon.running(node, heat.ENGINE)
        assert not node.run(["pgrep", "-f", heat.ENGINE.pattern]).ok, "engine processes left"
        unit = next(u.name for u in deployed.plan.units_of(APP) if u.host == victim)
        row = _engine_rows(deployed)[f"{unit} heat-engine on {victim}"]
        assert row["status"] == "degraded", row
        assert "heat-engine does not run; 2 other unit(s) run it" in row["message"]
        for _ in range(2):  # RPC casts go to the live engines' consumers of the shared queue
            stack = _create(deployed, tmp_path, stacks)
            assert stack["stack_status"] == "CREATE_COMPLETE", stack.get("stack_status_reason")
    finally:
        report = Report()  # restore what the test stopped, the way the deployer starts it
        daemon.ensure_running({victim: node}, heat.ENGINE, report)
    assert [(r.host, r.changed) for r in report.results] == [(victim, True)]
    assert daemon.running(node, heat.ENGINE)
    assert {r["status"] for r in _engine_rows(deployed).values()} == {"ok"}


def test_a_sigkilled_engine_comes_back_by_itself(deployed: DeployedLab) -> None:
    victim = _engine_units(deployed)[0]
    node = deployed.node(victim)
    before = units.state(node, heat.ENGINE.unit.name)
    pids = node.run(["pgrep", "-f", heat.ENGINE.pattern]).stdout.split()
    assert before.running and pids
    killed = node.run(["pkill", "-KILL", "-f", heat.ENGINE.pattern])  # no hastack command after
    assert killed.ok, killed.stderr
    deadline = time.monotonic() + 60
    while True:
        now = units.state(node, heat.ENGINE.unit.name)
        found = node.run(["pgrep", "-f", heat.ENGINE.pattern]).stdout.split()
        if now.running and now.restarts > before.restarts and found and not set(found) & set(pids):
            break
        assert time.monotonic() < deadline, f"heat-engine on {victim} did not come back: {now}"
        time.sleep(0.5)
    assert {r["status"] for r in _engine_rows(deployed).values()} == {"ok"}
