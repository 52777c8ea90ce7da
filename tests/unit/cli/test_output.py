"""What the tables show, and how wide they are: the terminal's width, COLUMNS, or whole."""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys

from rich.console import Console

from conftest import CORE, REFERENCE, Hastack
from hastack import plan
from hastack.cli import output
from hastack.cli.plan_tables import failure_table
from hastack.cli.status_cmds import status_view
from hastack.health.report import HealthReport
from hastack.health.status import CheckResult, Status
from hastack.topology.load import load


def test_width_follows_columns_then_the_terminal_and_is_whole_when_piped() -> None:
    assert output.stdout_width({"COLUMNS": "100"}, is_tty=False) is None  # rich reads COLUMNS
    assert output.stdout_width({}, is_tty=True) is None  # rich asks the terminal
    assert output.stdout_width({}, is_tty=False) == output.PIPED_WIDTH


def plan_output(columns: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns:
        env["COLUMNS"] = columns
    done = subprocess.run(
        [sys.executable, "-m", "hastack", "plan", str(REFERENCE)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    return done.stdout


def test_piped_plan_cuts_no_cell() -> None:
    text = plan_output(None)
    assert "…" not in text
    result = plan.build(load(REFERENCE))
    down = [c for c in result.double_failures if c.worst() is plan.Outcome.DOWN]
    assert all(case.why in text for case in result.single_failures + tuple(down))


def test_plan_respects_columns() -> None:
    text = plan_output("100")
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "single machine failures" in text


def render(table: object, width: int = 200) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(table)
    assert isinstance(console.file, io.StringIO)
    return console.file.getvalue()


def test_failure_table_says_why_on_every_row() -> None:
    result = plan.build(load(REFERENCE))
    cases = result.single_failures + result.double_failures
    text = render(failure_table(result, cases, "failures"), width=output.PIPED_WIDTH)
    assert all(case.why and case.why in text for case in cases)


def test_failure_table_names_every_host_of_every_failed_machine() -> None:
    """A machine's containers keep their own names, under their own machine."""
    result = plan.build(load(REFERENCE))
    case = result.double_failures[0]
    assert case.machines == ("0", "1")
    text = render(failure_table(result, (case,), "pair", only_down=True), width=400)
    joined = " ".join(text.split())
    assert "0: ctl-1 with its containers ctl-1-lxd-0, ctl-1-lxd-1," in joined
    assert "1: ctl-2 with its containers ctl-2-lxd-0, ctl-2-lxd-1," in joined
    assert "1 of 1 pairs take a service down" in joined


def test_failure_table_of_a_case_with_no_sentence_lists_each_application() -> None:
    result = plan.build(load(CORE))
    bare = dataclasses.replace(result.single_failures[0], why="")
    text = render(failure_table(result, (bare,), "single machine failures"))
    assert "mysql degraded: 2 of 3 members left (ctl-1 lost), still serving" in text


def ok(check: str, subject: str) -> CheckResult:
    return CheckResult(check, subject, Status.OK, "fine")


def test_status_with_everything_ok_is_one_line() -> None:
    report = HealthReport([ok("galera.cluster", "mysql"), ok("vip.holder", "198.18.0.100")])
    view = status_view(report, {"glance": "glance"}, show_all=False)
    assert [str(item) for item in view] == [
        "hastack status: ok, all 2 checks pass (galera, vip); not deployed, hastack cannot "
        "deploy them yet: glance (glance)"
    ]


def test_status_with_a_problem_shows_only_the_problem_and_the_verdict() -> None:
    bad = CheckResult("galera.cluster", "mysql", Status.DEGRADED, "2 of 3 members Synced")
    view = status_view(HealthReport([bad, ok("vip.holder", "x")]), {}, show_all=False)
    text = "".join(render(item) for item in view)
    assert "2 of 3 members Synced" in text and "vip.holder" not in text
    assert text.rstrip().endswith("verdict: degraded (1 ok, 1 degraded)")


def test_plan_table_lists_findings_on_stderr_and_tables_on_stdout(hastack: Hastack) -> None:
    done = hastack("plan", str(CORE), "--no-pairs")
    assert done.code == 0
    assert "single machine failures" in done.out and "failover budget" in done.out
