"""The building block's deploy steps against a recording connector: what runs where, what
travels on argv (never a password), what a daemon's start and health say."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import pytest
from golden_cases import SECRETS, build, secrets

from hastack.apply.report import Report
from hastack.apply.wait import ManualClock
from hastack.errors import DeployError
from hastack.health.status import Status
from hastack.hosts import CommandResult, Connector
from hastack.kinds.heat import service as heat
from hastack.kinds.placement import service as placement
from hastack.openstack import daemon, identity, messaging


class Recorder(Connector):
    """Answers each argv from *answers* (first match by prefix); records every call."""

    def __init__(self, name: str, answers: Mapping[str, tuple[int, str]] | None = None) -> None:
        self.name = name
        self.answers = dict(answers or {})
        self.calls: list[tuple[tuple[str, ...], str | None, Mapping[str, str] | None]] = []
        self.files: dict[str, str] = {}
        self.spawned: list[tuple[str, ...]] = []

    def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float = 120.0,
        stdin: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> CommandResult:
        self.calls.append((tuple(argv), stdin, env))
        joined = " ".join(argv)
        for prefix, (code, out) in self.answers.items():
            if joined.startswith(prefix):
                return CommandResult(tuple(argv), code, out, "")
        return CommandResult(tuple(argv), 0, "", "")

    def read_file(self, path: str) -> str | None:
        return self.files.get(path)

    def write_file(self, path: str, text: str, *, mode: int = 0o644, owner: str = "root") -> None:
        self.files[path] = text

    def spawn(self, argv: Sequence[str], *, log: str) -> None:
        self.spawned.append(tuple(argv))


def test_registration_runs_on_the_keystone_leader_with_passwords_on_stdin_only() -> None:
    plan = build("lab-core-fast")
    lines = [
        {"object": "user", "changed": True, "message": "created user heat"},
        {"object": "orchestration-endpoints", "changed": False, "message": "exist"},
    ]
    leader = Recorder("ctl-1", {"/usr/bin/python3": (0, "\n".join(map(json.dumps, lines)))})
    hosts = {"ctl-1": leader, "ctl-2": Recorder("ctl-2"), "ctl-3": Recorder("ctl-3")}
    report = Report()
    identity.ensure_registered(plan, "heat", hosts, heat.SPEC.identity, secrets(), report)
    assert [c[0] for c in leader.calls] == [("/usr/bin/python3", identity.REMOTE_SCRIPT)]
    assert leader.files[identity.REMOTE_SCRIPT] == identity.SCRIPT.read_text()
    argv, stdin, env = leader.calls[0]
    document = json.loads(stdin or "")
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
    assert not any(value in " ".join(argv) for value in SECRETS.values())
    assert env is None
    assert [(r.host, r.step, r.changed) for r in report.results] == [
        ("ctl-1", "heat-keystone-user", True),
        ("ctl-1", "heat-keystone-orchestration-endpoints", False),
    ]


def test_a_failed_registration_names_the_host_and_the_request() -> None:
    plan = build("lab-core-fast")
    failing = _Failing("ctl-1", "Failed: POST http://198.18.0.101:5000/v3/users answered 500")
    with pytest.raises(DeployError) as error:
        identity.ensure_registered(
            plan, "placement", {"ctl-1": failing}, placement.SPEC.identity, secrets(), Report()
        )
    assert str(error.value) == (
        "registering with Keystone from ctl-1 failed: Failed: POST "
        "http://198.18.0.101:5000/v3/users answered 500; check Keystone with `hastack status` "
        "and run the command again"
    )


class _Failing(Recorder):
    def __init__(self, name: str, stderr: str) -> None:
        super().__init__(name)
        self.stderr = stderr

    def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float = 120.0,
        stdin: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> CommandResult:
        return CommandResult(tuple(argv), 1, "", self.stderr)


def test_heat_engine_starts_as_heat_and_is_found_by_its_command_line() -> None:
    assert heat.ENGINE.command() == [
        *("setpriv", "--reuid", "heat", "--regid", "heat", "--init-groups", "--"),
        *("/usr/bin/heat-engine", "--config-file", "/etc/heat/heat.conf"),
    ]
    assert heat.ENGINE.pattern == "/usr/bin/heat-engine --config-file /etc/heat/heat.conf$"
    assert heat.SERVICE.unit_process is not None
    assert heat.SERVICE.unit_process.pattern == heat.ENGINE.pattern


def test_a_daemon_that_dies_at_start_is_a_deploy_error() -> None:
    node = Recorder("ctl-2", {"pgrep": (1, "")})
    with pytest.raises(DeployError) as error:
        daemon.start(node, heat.ENGINE, clock=ManualClock())
    assert node.spawned == [tuple(heat.ENGINE.command())]
    assert str(error.value) == (
        "heat-engine on ctl-2 exited within 3 s of its start; read "
        "/var/log/heat/heat-engine-stdout.log and /var/log/heat/heat-engine.log on ctl-2"
    )


def test_a_running_daemon_is_left_alone() -> None:
    nodes = {h: Recorder(h, {"pgrep": (0, "4242\n")}) for h in ("ctl-1", "ctl-2")}
    report = Report()
    daemon.ensure_running(nodes, heat.ENGINE, report)
    assert all(not n.spawned for n in nodes.values())
    assert [(r.host, r.changed, r.message) for r in report.results] == [
        ("ctl-1", False, "heat-engine already running"),
        ("ctl-2", False, "heat-engine already running"),
    ]


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
    nodes = {
        "ctl-1": Recorder("ctl-1", {"/usr/bin/python3": (0, has)}),
        "ctl-2": Recorder("ctl-2", {"/usr/bin/python3": (0, lacks)}),
    }
    with pytest.raises(DeployError) as error:
        messaging.ensure_quorum_queues(nodes, "heat", Report())
    assert str(error.value).startswith(
        "heat: oslo.messaging on ctl-2 (ctl-2: 12.1.0) has no rabbit_quorum_queue option"
    )
    report = Report()
    messaging.ensure_quorum_queues({"ctl-1": nodes["ctl-1"]}, "heat", report)
    assert report.results[0].message == ("oslo.messaging 14.0.3 on 1 units declares quorum queues")
