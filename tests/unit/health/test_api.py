"""api.units: each unit's own health URL, judged with the reason it failed."""

from __future__ import annotations

from hastack.health.api import ApiProbe, evaluate_api
from hastack.health.status import Status

URL = "http://198.18.0.{}:4990/v3"


def _probe(n: int, code: int | None, reason: str) -> ApiProbe:
    return ApiProbe(f"keystone/{n}", f"ctl-{n + 1}", URL.format(11 + n), code, reason, 0.03)


def test_every_unit_answering_is_ok() -> None:
    results = evaluate_api("keystone", [_probe(n, 200, "HTTP 200") for n in range(3)])
    assert [r.status for r in results] == [Status.OK] * 3
    assert results[0].message == (
        "keystone unit keystone/0 answers http://198.18.0.11:4990/v3 (HTTP 200) in 0.03 s"
    )


def test_a_refusing_unit_is_degraded_with_its_reason() -> None:
    probes = [
        _probe(0, 200, "HTTP 200"),
        _probe(1, None, "connection refused: nothing listens"),
        _probe(2, 200, "HTTP 200"),
    ]
    bad = [r for r in evaluate_api("keystone", probes) if r.status is not Status.OK]
    assert [(r.subject, r.status) for r in bad] == [("keystone/1 on ctl-2", Status.DEGRADED)]
    assert bad[0].message == (
        "keystone unit keystone/1 fails http://198.18.0.12:4990/v3 (connection refused: nothing"
        " listens); HAProxy takes it out, 2 other unit(s) serve — read the service's logs on"
        " ctl-2"
    )


def test_a_server_error_counts_as_failing_and_none_serving_is_down() -> None:
    probes = [_probe(n, 500, "HTTP 500") for n in range(2)]
    results = evaluate_api("keystone", probes)
    assert {r.status for r in results} == {Status.DOWN}
    assert "no unit serves" in results[0].message
