"""A health report: every result, worst first, with one verdict; JSON and a rich table."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from rich.table import Table
from rich.text import Text

from .status import CheckResult, Status, worst

_STYLE = {
    Status.OK: "green",
    Status.WAITING: "cyan",
    Status.DEGRADED: "yellow",
    Status.BLOCKED: "bold magenta",
    Status.DOWN: "bold red",
}


@dataclasses.dataclass(frozen=True)
class HealthReport:
    results: tuple[CheckResult, ...]

    def __init__(self, results: Iterable[CheckResult]) -> None:
        ordered = sorted(results, key=lambda r: (-r.status.rank, r.check, r.subject))
        object.__setattr__(self, "results", tuple(ordered))

    @property
    def verdict(self) -> Status:
        return worst(r.status for r in self.results)

    def counts(self) -> dict[str, int]:
        return {s.value: sum(1 for r in self.results if r.status is s) for s in Status}

    def to_json(self) -> dict[str, Any]:
        """The ``hastack status --json`` document."""
        return {
            "verdict": self.verdict.value,
            "counts": self.counts(),
            "results": [
                {
                    "check": r.check,
                    "subject": r.subject,
                    "status": r.status.value,
                    "message": r.message,
                    "evidence": dict(r.evidence),
                }
                for r in self.results
            ],
        }


def render_table(report: HealthReport, *, include_ok: bool = True) -> Table:
    """One row per result, worst first; the title carries the verdict."""
    verdict = report.verdict
    table = Table(
        title=Text(f"hastack status: {verdict.value.upper()}", style=_STYLE[verdict]),
        title_justify="left",
    )
    table.add_column("status", no_wrap=True)
    table.add_column("check", no_wrap=True)
    table.add_column("subject")
    table.add_column("message", ratio=1)
    for result in report.results:
        if result.status is Status.OK and not include_ok:
            continue
        table.add_row(
            Text(result.status.value, style=_STYLE[result.status]),
            result.check,
            result.subject,
            result.message,
        )
    return table
