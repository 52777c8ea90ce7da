from rich.console import Console

from hastack.health import HealthReport, render_table
from hastack.health.status import CheckResult, Status


def result(check: str, subject: str, status: Status) -> CheckResult:
    return CheckResult(check, subject, status, f"{subject} is {status.value}", {"k": "v"})


REPORT = HealthReport(
    [
        result("vip.single-holder", "internal", Status.OK),
        result("galera.cluster", "ctl-2", Status.WAITING),
        result("pacemaker.cluster", "ctl-3", Status.BLOCKED),
        result("galera.cluster", "ctl-3", Status.DEGRADED),
        result("galera.cluster", "ctl-1", Status.DEGRADED),
    ]
)


def test_worst_first_then_by_check_and_subject() -> None:
    assert [(r.status, r.subject) for r in REPORT.results] == [
        (Status.BLOCKED, "ctl-3"),
        (Status.DEGRADED, "ctl-1"),
        (Status.DEGRADED, "ctl-3"),
        (Status.WAITING, "ctl-2"),
        (Status.OK, "internal"),
    ]
    assert REPORT.verdict is Status.BLOCKED
    assert HealthReport([]).verdict is Status.OK


def test_to_json() -> None:
    document = REPORT.to_json()
    assert document["verdict"] == "blocked"
    assert document["counts"] == {"ok": 1, "waiting": 1, "degraded": 2, "blocked": 1, "down": 0}
    assert document["results"][0] == {
        "check": "pacemaker.cluster",
        "subject": "ctl-3",
        "status": "blocked",
        "message": "ctl-3 is blocked",
        "evidence": {"k": "v"},
    }


def test_table() -> None:
    console = Console(width=120, record=True, color_system=None)
    console.print(render_table(REPORT, include_ok=False))
    text = console.export_text()
    assert "hastack status: BLOCKED" in text
    assert "ctl-3 is blocked" in text
    assert "internal is ok" not in text
    assert text.index("ctl-3 is blocked") < text.index("ctl-2 is waiting")
