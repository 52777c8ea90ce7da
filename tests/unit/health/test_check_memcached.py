import dataclasses
from pathlib import Path

from hastack.facts.memcached import parse_stats
from hastack.health.status import Status
from hastack.kinds.memcached.health import evaluate_memcached

STATS = parse_stats(
    (Path(__file__).parents[2] / "fixtures" / "facts" / "memcached" / "stats.txt").read_text()
)


def test_answers_and_silent() -> None:
    results = evaluate_memcached({"ctl-2": None, "ctl-1": STATS})
    assert [(r.subject, r.status, r.message) for r in results] == [
        ("ctl-1", Status.OK, "memcached 1.6.18 on ctl-1 answers (up 2 s, 1 connections)"),
        (
            "ctl-2",
            Status.DEGRADED,
            "memcached on ctl-2 does not answer; clients skip it, but caches and tokens held"
            " there are lost — start memcached on ctl-2",
        ),
    ]


def test_all_silent_is_down() -> None:
    assert [r.status for r in evaluate_memcached({"ctl-1": None, "ctl-2": None})] == [
        Status.DOWN,
        Status.DOWN,
    ]


def test_full() -> None:
    full = dataclasses.replace(STATS, curr_connections=1024, rejected_connections=5)
    [result] = evaluate_memcached({"ctl-1": full})
    assert (result.status, result.message) == (
        Status.DEGRADED,
        "memcached on ctl-1 is full (1024 of 1024 connections) and rejects clients; raise -c",
    )
