"""``swift.replication``: each storage server's replicator finished a pass without failures
lately, as its recon middleware says; judged on the storage host's own clock."""

from __future__ import annotations

import json

from golden_cases import build

from hastack.health.status import CheckResult, Status
from hastack.hosts import CommandResult
from hastack.hosts.fake import Call, FakeHost
from hastack.kinds.swift_storage import health
from hastack.kinds.swift_storage.health import ReconAnswer

APP = "swift-storage-z2"
UNIT = "swift-storage-z2/0"
NOW = 1796207200.0
URL = "http://198.18.0.12:6200/recon/replication/object"

# real answers from the lab's ctl-1 (recon in the object and container servers' pipelines)
OBJECT = {
    "replication_time": 0.00016628106435139973,
    "replication_stats": {
        "attempted": 1,
        "failure": 0,
        "hashmatch": 2,
        "remove": 0,
        "rsync": 0,
        "success": 2,
        "suffix_count": 1,
        "suffix_hash": 0,
        "suffix_sync": 0,
    },
    "replication_last": 1796207163.6570685,
    "object_replication_time": 0.00016628106435139973,
    "object_replication_last": 1796207163.6570685,
}
CONTAINER = {
    "replication_time": 0.02475428581237793,
    "replication_stats": {
        "attempted": 1,
        "deferred": 0,
        "diff": 0,
        "diff_capped": 0,
        "empty": 0,
        "failure": 0,
        "hashmatch": 0,
        "no_change": 2,
        "remote_merge": 0,
        "remove": 0,
        "rsync": 0,
        "start": 1796207178.0674958,
        "success": 2,
        "ts_repl": 0,
    },
    "replication_last": 1796207178.09225,
}


def _judge(body: object, server: str = "object", now: float = NOW) -> CheckResult:
    text = body if isinstance(body, str) else json.dumps(body)
    answer = ReconAnswer(server, URL, text, "HTTP 200")
    return health.judge_pass(APP, UNIT, "ctl-2", answer, now)


def _with(data: dict[str, object], **stats: object) -> dict[str, object]:
    old = data["replication_stats"]
    assert isinstance(old, dict)
    return {**data, "replication_stats": {**old, **stats}}


def test_a_recent_pass_without_failures_is_ok_with_its_lag() -> None:
    result = _judge(OBJECT)
    assert result.status is Status.OK
    assert result.check == "swift.replication"
    assert result.subject == "swift-storage-z2/0 object-replicator on ctl-2"
    assert result.message == (
        "swift-storage-z2: swift-storage-z2/0 object-replicator finished its last pass 36 s "
        "ago with 2 syncs, none failed"
    )
    assert result.evidence == {
        "url": URL,
        "answer": "HTTP 200",
        "lag_s": "36",
        "failure": "0",
        "syncs": "2",
    }
    assert _judge(CONTAINER, "container").status is Status.OK


def test_a_pass_with_failures_is_degraded_and_says_a_zone_misses_copies() -> None:
    result = _judge(_with(CONTAINER, failure=1, success=1), "container")
    assert result.status is Status.DEGRADED
    assert result.message == (
        "replication from swift-storage-z2/0 to another zone failed for 1 of 2 container "
        "partition syncs in its last pass, 22 s ago: a zone is missing copies until a pass "
        "succeeds - `journalctl -u swift-container-replicator` on ctl-2 says why"
    )
    assert result.evidence["lag_s"] == "22"
    assert result.evidence["failure"] == "1"


def test_a_pass_older_than_the_limit_is_stale() -> None:
    result = _judge(OBJECT, now=1796207163.6570685 + health.MAX_AGE_S + 1)
    assert result.status is Status.DEGRADED
    assert result.message == (
        "swift-storage-z2: swift-storage-z2/0 object-replicator has not finished a pass for "
        "301 s (limit 300 s): new writes may lack their copies in the other zones - "
        "`journalctl -u swift-object-replicator` on ctl-2 says why"
    )
    assert result.evidence["lag_s"] == "301"


def test_a_replicator_that_never_finished_a_pass_says_so() -> None:
    for body in ({}, {"replication_last": None, "replication_stats": None}):
        result = _judge(body)
        assert result.status is Status.DEGRADED
        assert "has never finished a pass (recon has no replication_last)" in result.message
        assert "lag_s" not in result.evidence


def test_the_old_object_key_still_counts() -> None:
    old = {k: v for k, v in OBJECT.items() if k != "replication_last"}
    assert _judge(old).status is Status.OK


def test_malformed_answers_are_degraded_with_the_reason_not_a_crash() -> None:
    cases = {
        "<html>": "answered not JSON (Expecting value at character 0)",
        "[1, 2]": "answered a JSON list, not an object",
        json.dumps({"replication_last": "soon", "replication_stats": {}}): (
            "answered replication_last or replication_stats is not what recon writes"
        ),
        json.dumps(_with(OBJECT, failure="many")): (
            "answered replication_stats.failure or .success is not a count"
        ),
    }
    for body, said in cases.items():
        result = _judge(body)
        assert result.status is Status.DEGRADED
        assert said in result.message
        assert f"`curl -s {URL}` on ctl-2 shows the whole answer" in result.message


def test_a_server_without_recon_cannot_be_judged() -> None:
    answer = ReconAnswer("object", URL, None, "HTTP 404")
    result = health.judge_pass(APP, UNIT, "ctl-2", answer, NOW)
    assert result.status is Status.DEGRADED
    assert result.message == (
        f"swift-storage-z2: swift-storage-z2/0 object-replicator: recon at {URL} does not "
        "answer (HTTP 404), so its replication cannot be judged; the object-server pipeline "
        "needs recon - `journalctl -u swift-object` on ctl-2 says why"
    )


def test_an_unreachable_host_or_unreadable_clock_degrades_every_server() -> None:
    results = health.evaluate_replication(APP, UNIT, "ctl-2", "no route")
    assert [r.subject for r in results] == [
        f"{UNIT} {s}-replicator on ctl-2" for s in ("account", "container", "object")
    ]
    assert {r.status for r in results} == {Status.DEGRADED}
    assert results[0].message == (
        "swift-storage-z2: swift-storage-z2/0's replication cannot be judged: ctl-2 cannot be "
        "asked (no route); `hastack status` judges it again once the host answers"
    )
    clockless = health.evaluate_replication(APP, UNIT, "ctl-2", (None, []))
    assert len(clockless) == 3
    assert "`date +%s` on ctl-2 printed no clock" in clockless[0].message


def _recon_output(bodies: dict[str, tuple[str, int, int]], clock: str = "1796207200") -> str:
    """What ``read_recon``'s script prints: the clock, then body + marker per URL."""
    out = f"{clock}\n"
    for server in ("account", "container", "object"):
        body, code, exit_code = bodies[server]
        out += f"{body}\n@@recon {code:03d} {exit_code}\n"
    return out


def test_parse_recon_splits_the_clock_and_each_servers_answer() -> None:
    urls = health.recon_urls(build("lab-cloud"), "ctl-2")
    assert urls[2] == ("object", URL)
    stdout = _recon_output(
        {
            "account": (json.dumps(CONTAINER), 200, 0),
            "container": ("", 0, 7),
            "object": ("Invalid path: /recon/replication/object", 404, 0),
        }
    )
    now, answers = health.parse_recon(stdout, urls)
    assert now == NOW
    assert [(a.server, a.reason) for a in answers] == [
        ("account", "HTTP 200"),
        ("container", "connection refused: nothing listens"),
        ("object", "HTTP 404"),
    ]
    assert answers[0].body is not None and json.loads(answers[0].body) == CONTAINER
    assert answers[1].body is answers[2].body is None
    cut, short = health.parse_recon("sh: 1: curl: not found\n", urls)
    assert cut is None
    assert {a.reason for a in short} == {"no answer (curl did not run or was cut off)"}


def _storage(name: str, stdout: str) -> FakeHost:
    plan = build("lab-cloud")
    host = FakeHost(name)
    active = "active\n" * len(health.ALL_UNITS)
    host.on(["systemctl", "is-active"], lambda h, c: c.result(0, active))
    host.on(["curl"], lambda h, c: c.result(0, "200 0.003"))

    def recon(h: FakeHost, call: Call) -> CommandResult:
        assert call.argv[:3] == ("sh", "-c", health.RECON_SCRIPT)
        assert call.argv[4:] == tuple(url for _, url in health.recon_urls(plan, name))
        return call.result(0, stdout)

    host.on(["sh", "-c"], recon)
    return host


def test_status_asks_each_host_once_for_all_three_servers() -> None:
    bodies = {
        "account": (json.dumps(CONTAINER), 200, 0),
        "container": (json.dumps(_with(CONTAINER, failure=2)), 200, 0),
        "object": (json.dumps(OBJECT), 200, 0),
    }
    host = _storage("ctl-2", _recon_output(bodies))
    results = health.check(build("lab-cloud"), APP, {"ctl-2": host})
    replication = [r for r in results if r.check == health.REPLICATION_CHECK]
    assert [(r.subject, r.status) for r in replication] == [
        (f"{UNIT} account-replicator on ctl-2", Status.OK),
        (f"{UNIT} container-replicator on ctl-2", Status.DEGRADED),
        (f"{UNIT} object-replicator on ctl-2", Status.OK),
    ]
    assert sum(argv[0] == "sh" for argv in host.history) == 1


def test_status_on_an_unreachable_host_degrades_its_replication() -> None:
    host = _storage("ctl-2", "")
    host.reachable = False
    results = health.check(build("lab-cloud"), APP, {"ctl-2": host})
    replication = [r for r in results if r.check == health.REPLICATION_CHECK]
    assert len(replication) == 3
    assert {r.status for r in replication} == {Status.DEGRADED}
    assert "ctl-2 cannot be asked (fake host ctl-2 is unreachable" in replication[0].message
