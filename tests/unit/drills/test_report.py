"""The report renders a synthetic drill result: table row, markdown, HTML with an SVG."""

from __future__ import annotations

import dataclasses
import json

from hastack.drills import report
from hastack.drills.base import StepResult
from hastack.drills.ledger import amqp_verdict, sql_verdict
from hastack.drills.measure import measure_probe, segments
from hastack.drills.probes import Attempt
from hastack.drills.result import DrillResult, Predicted, ProbeResult


def result(**changes: object) -> DrillResult:
    attempts = [Attempt(t / 10 - 1, 0.01, not (0 <= t / 10 - 1 < 2)) for t in range(60)]
    probe = ProbeResult(
        "mysql TCP 198.18.6.100:3306", "tcp", "198.18.6.100:3306", 10.0,
        measure_probe(attempts), tuple(segments(attempts)),
    )  # fmt: skip
    base = DrillResult(
        drill="vip-holder-power-off",
        description="Power off the VIP holder.",
        profile="fast",
        started_at="2026-01-01T00:00:00+00:00",
        chosen="dr-1 holds VIP 198.18.6.100",
        injected="powered off dr-1 in 0.05 s",
        injected_in=0.31,
        steps=(StepResult("expect", "VIP on a survivor", True, 4.2, 90.0, "VIP on dr-2"),),
        restored=("powered on dr-1 in 0.3 s",),
        heal_at=6.0,
        fault_end_at=7.0,
        green_at=40.0,
        probes=(probe,),
        max_holders=1,
        split_brain=(),
        sql=sql_verdict([1, 2], {"dr-1": [1, 2], "dr-2": [1, 2]}, {}),
        amqp=amqp_verdict([1, 2], [1, 2, 2]),
        primary="tcp",
        predicted=Predicted(
            "vip-holder-power-off", "VIP 198.18.6.100 (mysql)", 4.9, (("a", 4.9),)
        ),
    )
    return DrillResult(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def test_summary_row() -> None:
    assert report.summary_row(result()) == {
        "drill": "vip-holder-power-off",
        "result": "pass",
        "predicted outage": "4.90 s",
        "measured outage": "2.01 s (tcp)",
        "failed requests": "20/60",
        "lost writes": "0/2",
        "lost/dup messages": "0/1",
        "max VIP holders": "1",
        "healed in": "33.0 s (target 90 s)",
    }


def test_a_split_brain_or_a_lost_write_fails_the_drill() -> None:
    bad = result(max_holders=2, sql=sql_verdict([1, 2], {"dr-1": [1]}, {}), green_at=None,
                 not_green=("vip (x): held twice",))  # fmt: skip
    assert not bad.passed
    assert bad.failures() == [
        "did not heal within 300 s of the end of the fault, with no deploy: vip (x): held twice",
        "a VIP had 2 holders at once (split brain)",
        "database ledger: 2 acknowledged writes, 1 missing on any of 1 members; "
        "0 unacknowledged writes committed (in doubt, not lost)",
    ]
    assert report.summary_row(bad)["result"] == "FAIL"


def test_json_markdown_and_html() -> None:
    meta = {"deployment": "lab-core", "profile": "fast"}
    data = json.loads(report.to_json([result()], [("keystone-unit-killed", "no keystone")], meta))
    assert data["drills"][0]["passed"] is True
    assert data["drills"][0]["measured_outage_s"] == 2.01
    assert data["skipped"] == [{"drill": "keystone-unit-killed", "reason": "no keystone"}]
    markdown = report.to_markdown([result()], [], meta)
    assert "| vip-holder-power-off | pass | 4.90 s | 2.01 s (tcp) |" in markdown
    assert "- injected: powered off dr-1 in 0.05 s (complete at +0.31 s)" in markdown
    assert data["drills"][0]["injected_in"] == 0.31
    assert "(windows -0.00..+2.01)" in markdown or "(windows +0.00..+2.01)" in markdown
    page = report.to_html([result()], [], meta)
    assert page.count("<svg") == 1
    assert 'fill="#d22"' in page and 'fill="#2a2"' in page
    assert "inject +0.0 s" in page and "all green +40.0 s" in page
    assert "fault over +7.0 s" in page
    assert "- fault over at +7.00 s" in markdown
    assert "- healing: healed in 33.0 s (target 90 s)" in markdown
    assert data["drills"][0]["healed_in_s"] == 33.0
    assert data["drills"][0]["heal_sentence"] == "healed in 33.0 s (target 90 s)"


def test_a_zero_budget_with_failed_frontend_requests_is_a_miss() -> None:
    """backend-power-off predicts 0 s: a failed request through HAProxy is not a pass."""
    zero = Predicted(
        "backend-power-off",
        "HAProxy backend of keystone",
        0.0,
        (("requests redispatched to a live server (retries + redispatch)", 0.0),),
        "failed connections are retried on another server",
    )
    missed = result(predicted=zero, drill="backend-power-off")
    assert not missed.passed
    assert missed.failures() == [
        "budget missed: the plan predicts no outage for HAProxy backend of keystone "
        "(failed connections are retried on another server), but 20 of 60 requests of "
        "mysql TCP 198.18.6.100:3306 sent after the fault failed"
    ]
    assert report.summary_row(missed)["result"] == "FAIL"


def test_a_zero_budget_forgives_only_the_requests_in_flight_at_the_fault() -> None:
    """A request the powered-off node was serving is lost with it; one sent after is not."""
    zero = Predicted("backend-power-off", "HAProxy backend of glance", 0.0, ())

    def probe(*attempts: Attempt) -> ProbeResult:
        return ProbeResult(
            "glance image download 198.18.6.106", "http", "http://198.18.6.106:9292/v2/images",
            0.25, measure_probe(attempts, cut_at=0.02), tuple(segments(attempts)),
        )  # fmt: skip

    in_flight = probe(Attempt(-3.0, 30.0, False, "TimeoutError"), Attempt(28.0, 1.0, True))
    assert in_flight.measure.in_flight == 1
    assert result(predicted=zero, probes=(in_flight,)).passed
    before = probe(Attempt(-3.0, 1.0, False, "HTTP 503"), Attempt(1.0, 1.0, True))
    after = probe(Attempt(0.5, 30.0, False, "TimeoutError"), Attempt(31.0, 1.0, True))
    for failed in (before, after):
        assert failed.measure.in_flight == 0
        assert not result(predicted=zero, probes=(failed,)).passed


def test_a_zero_budget_leaves_out_the_vips_the_fault_moved() -> None:
    """A powered-off backend that held VIPs of its own: requests through those answer to a
    VIP holder's failover; every other frontend still must not fail a request."""
    zero = Predicted("backend-power-off", "HAProxy backend of mysql", 0.0, ())
    assert result(predicted=zero, moved_vips=("198.18.6.100",)).passed
    assert not result(predicted=zero, moved_vips=("198.18.6.103",)).passed


def test_a_zero_budget_is_kept_when_only_the_ledgers_stalled() -> None:
    """Galera's write stall answers to its own budget, not to HAProxy's."""
    zero = Predicted("backend-power-off", "HAProxy backend of mysql", 0.0, ())
    clean = result(predicted=zero)
    probe = clean.probes[0]
    sql = dataclasses.replace(probe, name="SQL insert", kind="sql")
    assert result(predicted=zero, probes=(sql,)).passed
    assert not clean.passed


def test_healing_counts_from_the_end_of_the_fault_and_the_target_is_shown_not_enforced() -> None:
    slow = result(fault_end_at=7.0, green_at=127.5)
    assert slow.healed_in_s == 120.5
    assert slow.heal_sentence == "healed in 120.5 s, over the 90 s target"
    assert slow.passed
    assert report.summary_row(slow)["healed in"] == "120.5 s (target 90 s)"


def test_the_checks_that_healed_last_are_in_the_details() -> None:
    healed = (("rabbitmq.cluster (ctl-1)", 118.2), ("galera.cluster (ctl-2)", 61.0))
    markdown = report.to_markdown([result(healed=healed)], [], {})
    last = "- last to heal (after the fault): rabbitmq.cluster (ctl-1) at +118 s, galera"
    assert last in markdown
    assert "last to heal" not in report.to_markdown([result()], [], {})


def test_a_drill_that_does_not_heal_by_itself_fails_saying_what_stayed_red() -> None:
    red = result(
        green_at=None,
        heal_deadline_s=300.0,
        not_green=(
            "galera.cluster (ctl-2): galera on ctl-2 does not answer",
            "pacemaker.node (ctl-2): ctl-2 is offline",
        ),
    )
    assert red.healed_in_s is None
    assert red.failures() == [
        "did not heal within 300 s of the end of the fault, with no deploy: "
        "galera.cluster (ctl-2): galera on ctl-2 does not answer; "
        "pacemaker.node (ctl-2): ctl-2 is offline"
    ]
    row = report.summary_row(red)
    assert (row["result"], row["healed in"]) == ("FAIL", "not within 300 s")
    assert "all green" not in report.timeline_svg(red)


def test_the_outage_is_measured_through_the_budgets_vip() -> None:
    """A DC holding only HTTP VIPs: its budget's VIP has no TCP probe, so the outage is that
    of the HTTP probes through it, not of the TCP probe through another VIP."""
    attempts = [Attempt(t / 10 - 1, 0.01, not (0 <= t / 10 - 1 < 4)) for t in range(60)]
    http = ProbeResult(
        "placement GET 198.18.6.103", "http", "http://198.18.6.103:8778/", 1.0,
        measure_probe(attempts), tuple(segments(attempts)),
    )  # fmt: skip
    other = dataclasses.replace(http, name="heat GET", target="http://198.18.6.104:8004/")
    predicted = Predicted("vip-holder-power-off", "VIP 198.18.6.103 (placement)", 4.9, ())
    moved = result(probes=(*result().probes, http, other), predicted=predicted)
    assert [p.name for p in moved.measured_probes()] == ["placement GET 198.18.6.103"]
    assert moved.measured_kind == "http"
    assert moved.measured_outage_s == http.measure.outage_s
    assert report.summary_row(moved)["measured outage"].endswith("(http)")
    assert result().measured_probes() == list(result().probes)  # the tcp probe through it
