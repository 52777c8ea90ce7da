"""hastack status: one view of membership, resources, VIPs, backends, Galera and RabbitMQ."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from .. import plan
from ..errors import HastackError
from ..health.report import render_table
from ..health.status import Status
from ..lab.lab import Lab, require_root
from ..ops import status as status_op
from ..topology.load import load
from . import output
from .context import Context


def _lab_target(ctx: Context) -> tuple[plan.Plan, dict[str, object]]:
    lab = Lab(ctx.state_dir / "lab")
    record = lab.layout.root / "deployment.json"
    if not record.exists():
        raise HastackError(
            f"no deployment found in {lab.layout.root}; bring one up with `hastack lab up`"
        )
    held = json.loads(record.read_text())
    result = plan.build(load(Path(held["file"])))
    return result, {h.name: lab.connector(h.name) for h in result.hosts}


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--watch",
    type=float,
    default=None,
    metavar="SECONDS",
    help="Repeat every SECONDS until interrupted.",
)
@click.option("--all", "show_all", is_flag=True, help="Also list the checks that are ok.")
@click.pass_obj
def status(ctx: Context, as_json: bool, watch: float | None, show_all: bool) -> None:
    """Health of the deployment; exit 0 only when every check is ok."""
    require_root()
    result, connectors = _lab_target(ctx)
    while True:
        report = status_op.collect(result, connectors)  # type: ignore[arg-type]
        skipped = status_op.not_deployed(result)
        if as_json:
            data = report.to_json()
            data["not_deployed"] = skipped
            output.emit_json(data)
        else:
            if watch:
                output.out.clear()
            output.out.print(render_table(report, include_ok=show_all or watch is not None))
            for app in skipped:
                output.out.print(
                    f"{app}: not deployed (hastack cannot deploy {result.kinds[app]} yet)",
                    highlight=False,
                )
            counts = ", ".join(f"{n} {s}" for s, n in report.counts().items() if n)
            output.out.print(f"verdict: {output.styled(report.verdict.value)} ({counts})")
        if watch is None:
            raise SystemExit(0 if report.verdict is Status.OK else 3)
        time.sleep(watch)
