"""The building block's deploy steps on fake hosts: what runs where, what travels on argv
(never a password), what a daemon's start and health say, the Heat client check."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from golden_cases import SECRETS, build, secrets

from hastack.apply import units
from hastack.apply.report import Report
from hastack.errors import DeployError
from hastack.health.status import Status
from hastack.hosts import CommandResult
from hastack.hosts.fake import Call, FakeHost, ok, with_systemd
from hastack.kinds.glance import service as glance
from hastack.kinds.heat import clients
from hastack.kinds.heat import service as heat
from hastack.kinds.placement import service as placement
from hastack.openstack import daemon, database, identity, messaging
from hastack.wait import ManualClock

Answer = Callable[[FakeHost, Call], CommandResult]


def answer(exit_code: int = 0, stdout: str = "", stderr: str = "") -> Answer:
    return lambda host, call: call.result(exit_code, stdout, stderr)


def _hosts(*names: str) -> dict[str, FakeHost]:
    return {name: FakeHost(name) for name in names}


def test_registration_runs_on_the_keystone_leader_with_passwords_on_stdin_only() -> None:
    plan = build("lab-core-fast")
    hosts = _hosts("ctl-1", "ctl-2", "ctl-3")
    lines = [
        {"object": "user", "changed": True, "message": "created user heat"},
        {"object": "orchestration-endpoints", "changed": False, "message": "exist"},
    ]
    seen: list[Call] = []

    def registrar(host: FakeHost, call: Call) -> CommandResult:
        seen.append(call)
        return call.result(0, "\n".join(map(json.dumps, lines)) + "\n")

    hosts["ctl-1"].on(["/usr/bin/python3", identity.REMOTE_SCRIPT], registrar)
    report = Report()
    identity.ensure_registered(plan, "heat", hosts, heat.SPEC.identity, secrets(), report)
    assert hosts["ctl-1"].history == [("/usr/bin/python3", identity.REMOTE_SCRIPT)]
    assert hosts["ctl-2"].history == hosts["ctl-3"].history == []
    assert hosts["ctl-1"].read_file(identity.REMOTE_SCRIPT) == identity.SCRIPT.read_text()
    document = json.loads(seen[0].stdin)
    assert document["user"] == {
        "name": "heat",
        "domain": "default",
        "password": SECRETS["heat-password"],
    }
    assert document["admin"]["password"] == SECRETS["keystone-admin-password"]
    assert document["auth_url"] == "http://198.18.0.101:5000/v3"
    assert [s["type"] for s in document["services"]] == ["orchestration", "cloudformation"]
    assert document["services"][1]["endpoints"] == {
        "public": "http://198.18.1.104:8000/v1",
        "internal": "http://198.18.0.104:8000/v1",
        "admin": "http://198.18.0.104:8000/v1",
    }
    assert not any(value in " ".join(seen[0].argv) for value in SECRETS.values())
    assert seen[0].env == {}
    assert [(r.host, r.step, r.changed) for r in report.results] == [
        ("ctl-1", "heat-keystone-user", True),
        ("ctl-1", "heat-keystone-orchestration-endpoints", False),
    ]


def test_a_failed_registration_names_the_host_and_the_request() -> None:
    plan = build("lab-core-fast")
    hosts = _hosts("ctl-1")
    said = "Failed: POST http://198.18.0.101:5000/v3/users answered HTTP 500: "
    hosts["ctl-1"].on(["/usr/bin/python3"], answer(1, stderr=said + "\n"))
    with pytest.raises(DeployError) as error:
        identity.ensure_registered(
            plan, "placement", hosts, placement.SPEC.identity, secrets(), Report()
        )
    assert str(error.value) == (
        f"registering with Keystone from ctl-1 failed: {said.strip()}; check Keystone with "
        "`hastack status` and run the command again"
    )


def test_heat_engine_is_the_packages_unit_and_found_by_its_command_line() -> None:
    assert heat.ENGINE.unit == units.Unit("heat-engine.service")  # it restarts on failure
    assert heat.ENGINE.log == "/var/log/heat/heat-engine.log"
    assert heat.SERVICE.unit_process is not None
    assert heat.SERVICE.unit_process.pattern == heat.ENGINE.pattern


ENGINE_UNIT = "heat-engine.service"


def test_a_daemon_that_does_not_stay_up_is_a_deploy_error() -> None:
    node = with_systemd(FakeHost("ctl-2"), ENGINE_UNIT)

    class Crashing(ManualClock):
        def sleep(self, seconds: float) -> None:  # while hastack waits, systemd restarts it
            node.units[ENGINE_UNIT].restarts += 1
            node.units[ENGINE_UNIT].journal.append("heat-engine: Could not load AMQP transport")
            super().sleep(seconds)

    with pytest.raises(DeployError) as error:
        daemon.start(node, heat.ENGINE, clock=Crashing())
    assert ("systemctl", "enable", "--now", "--", ENGINE_UNIT) in node.history
    assert str(error.value) == (
        "heat-engine on ctl-2 did not stay up for 3 s after its start (active, restarted 1 "
        "time(s)); read /var/log/heat/heat-engine.log and `journalctl -u heat-engine.service` "
        "on ctl-2: Started heat-engine.service. | heat-engine: Could not load AMQP transport"
    )


def test_a_daemon_is_enabled_started_and_then_left_alone() -> None:
    nodes = {name: with_systemd(FakeHost(name), ENGINE_UNIT) for name in ("ctl-1", "ctl-2")}
    nodes["ctl-1"].units[ENGINE_UNIT].enabled = "enabled"
    nodes["ctl-1"].units[ENGINE_UNIT].active = "active"
    first = Report()
    daemon.ensure_running(nodes, heat.ENGINE, first)
    assert [(r.host, r.changed, r.message) for r in first.results] == [
        ("ctl-1", False, "heat-engine.service enabled, active"),
        ("ctl-2", True, "enabled and started heat-engine.service"),
    ]
    assert all(n.units[ENGINE_UNIT].enabled == "enabled" for n in nodes.values())
    assert not any(n.written for n in nodes.values()), "the package's unit needs no drop-in"
    again = Report()
    daemon.ensure_running(nodes, heat.ENGINE, again)
    assert not again.changed


def test_daemon_health_per_unit() -> None:
    seen: list[tuple[str, str, bool | None]] = [
        ("heat/0", "ctl-1", True),
        ("heat/1", "ctl-2", False),
        ("heat/2", "ctl-3", None),
    ]
    results = daemon.evaluate_daemon("heat", heat.ENGINE, seen)
    assert [(r.subject, r.status) for r in results] == [
        ("heat/0 heat-engine on ctl-1", Status.OK),
        ("heat/1 heat-engine on ctl-2", Status.DEGRADED),
        ("heat/2 heat-engine on ctl-3", Status.DEGRADED),
    ]
    assert results[1].message.startswith(
        "heat unit heat/1: heat-engine does not run; 1 other unit(s) run it"
    )
    none = daemon.evaluate_daemon("heat", heat.ENGINE, [("heat/0", "ctl-1", False)])
    assert none[0].status is Status.DOWN


def test_quorum_queues_are_refused_where_oslo_messaging_lacks_them() -> None:
    has = json.dumps({"version": "14.0.3", "options": ["rabbit_quorum_queue"]})
    lacks = json.dumps({"version": "12.1.0", "options": ["rabbit_ha_queues"]})
    nodes = _hosts("ctl-1", "ctl-2")
    nodes["ctl-1"].on(["/usr/bin/python3", "-c"], answer(0, has))
    nodes["ctl-2"].on(["/usr/bin/python3", "-c"], answer(0, lacks))
    with pytest.raises(DeployError) as error:
        messaging.ensure_quorum_queues(nodes, "heat", Report())
    assert str(error.value).startswith(
        "heat: oslo.messaging on ctl-2 (ctl-2: 12.1.0) has no rabbit_quorum_queue option"
    )
    report = Report()
    messaging.ensure_quorum_queues({"ctl-1": nodes["ctl-1"]}, "heat", report)
    assert report.results[0].message == ("oslo.messaging 14.0.3 on ctl-1 declares quorum queues")


def _heat_unit(create: Answer) -> tuple[dict[str, FakeHost], list[Call]]:
    hosts = _hosts("ctl-1", "ctl-2", "ctl-3")
    calls: list[Call] = []

    def recorded(reply: Answer) -> Answer:
        def handle(host: FakeHost, call: Call) -> CommandResult:
            calls.append(call)
            return reply(host, call)

        return handle

    leader = hosts["ctl-1"]
    leader.on(["true"], ok)
    leader.on(["rm"], ok)
    leader.on(["openstack", "stack", "create"], recorded(create))
    leader.on(["openstack", "stack", "delete"], recorded(ok))
    return hosts, calls


def test_the_heat_client_check_creates_and_deletes_a_stack_on_a_unit() -> None:
    hosts, calls = _heat_unit(answer(0, "CREATE_COMPLETE\n"))
    said = clients.stack_completes(build("lab-core-fast"), "heat", hosts, secrets())
    assert said.startswith("stack hastack-check-") and "CREATE_COMPLETE in " in said
    assert said.endswith(" s from ctl-1; deleted")
    create, delete = calls
    assert create.argv[:4] == ("openstack", "stack", "create", "--wait")
    assert delete.argv[-1] == create.argv[6]  # the same stack name
    assert create.env["OS_PASSWORD"] == SECRETS["keystone-admin-password"]
    assert create.env["OS_AUTH_URL"] == "http://198.18.0.101:5000/v3"
    assert create.env["OS_INTERFACE"] == "internal"
    assert not any(value in " ".join(c.argv) for c in calls for value in SECRETS.values())


def test_the_heat_client_check_fails_when_no_stack_completes_in_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clients, "TIMEOUT_S", 0.3)
    monkeypatch.setattr(clients, "RETRY_S", 0.1)
    hosts, calls = _heat_unit(answer(1, stderr="Stack hastack-check-1 CREATE_FAILED\n"))
    with pytest.raises(DeployError) as error:
        clients.stack_completes(build("lab-core-fast"), "heat", hosts, secrets())
    tries = len(calls) // 2
    assert 2 <= tries <= 4
    assert str(error.value) == (
        f"heat: no new stack completed from ctl-1 within 0.3 s ({tries} tries, the last: "
        "Stack hastack-check-1 CREATE_FAILED); read /var/log/heat/heat-engine.log on every unit"
    )
    assert [c.argv[2] for c in calls] == ["create", "delete"] * tries  # each deleted all the same
    names = {c.argv[6] for c in calls if c.argv[2] == "create"}
    assert len(names) == tries  # a new name each time: a stack a lost answer made is no clash


def test_the_heat_client_check_tries_again_after_a_failed_stack(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clients, "RETRY_S", 0.0)
    replies = iter(
        [answer(1, stderr="ERROR: 504 Gateway Time-out\n"), answer(0, "CREATE_COMPLETE\n")]
    )
    hosts, calls = _heat_unit(lambda host, call: next(replies)(host, call))
    said = clients.stack_completes(build("lab-core-fast"), "heat", hosts, secrets())
    assert " after 1 failed (ERROR: 504 Gateway Time-out); deleted" in said
    assert [c.argv[2] for c in calls] == ["create", "delete", "create", "delete"]


def _seeding(rows: list[str]) -> tuple[FakeHost, list[Call]]:
    """A Galera member answering the seed table's row count, *rows* in turn."""
    host, calls, counts = FakeHost("ctl-1"), [], iter(rows)
    host.on(["mariadb"], lambda h, call: call.result(0, f"{next(counts)}\n"))

    def loader(h: FakeHost, call: Call) -> CommandResult:
        calls.append(call)
        return call.result(0)

    host.on(["runuser"], loader)
    return host, calls


def test_glances_metadata_definitions_are_loaded_once_while_their_table_is_empty() -> None:
    spec = glance.SPEC.database
    assert spec is not None
    host, calls = _seeding(["0", "33"])
    report = Report()
    database.ensure_seed(host, host, spec, "glance", report)
    assert [c.argv for c in calls] == [
        ("runuser", "-u", "glance", "--", "glance-manage", "db", "load_metadefs")
    ]
    result = report.results[0]
    assert result.changed and result.message == (
        "loaded glance.metadef_namespaces (glance-manage db load_metadefs: 33 rows)"
    )
    host, calls = _seeding(["33"])
    report = Report()
    database.ensure_seed(host, host, spec, "glance", report)
    assert calls == [] and not report.results[0].changed  # a second lab up loads nothing


def test_oslo_messaging_is_asked_only_where_a_process_is_about_to_start() -> None:
    from hastack.openstack.service import _starting

    instances = [a.instance.unit.name for a in heat.SPEC.apis]
    nodes = {n: with_systemd(FakeHost(n), ENGINE_UNIT, *instances) for n in ("ctl-1", "ctl-2")}
    for node in nodes.values():
        for unit in node.units.values():
            unit.active = "active"
    nodes["ctl-2"].units[ENGINE_UNIT].active = "failed"
    assert sorted(_starting(heat.SPEC, nodes)) == ["ctl-2"]
    nodes["ctl-2"].units[ENGINE_UNIT].active = "active"
    nodes["ctl-1"].units["apache2@heat-api-cfn.service"].active = "inactive"
    assert sorted(_starting(heat.SPEC, nodes)) == ["ctl-1"]
