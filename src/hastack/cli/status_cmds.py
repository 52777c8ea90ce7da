"""hastack status: one view of membership, resources, VIPs, backends, Galera and RabbitMQ."""

from __future__ import annotations

import time

import click
from rich.console import RenderableType
from rich.text import Text

from ..health.report import HealthReport, render_table
from ..health.status import Status
from ..lab.lab import require_root
from ..ops import status as status_op
from . import output
from .context import Context


def status_view(
    report: HealthReport, not_deployed: dict[str, str], show_all: bool
) -> list[RenderableType]:
    """What `hastack status` prints: one line when every check is ok (unless *show_all*),
    else the table of what is not ok and the verdict."""
    skipped = ", ".join(f"{app} ({kind})" for app, kind in sorted(not_deployed.items()))
    if report.verdict is Status.OK and not show_all:
        groups = sorted({r.check.split(".")[0] for r in report.results})
        head = (
            f"hastack status: ok, all {len(report.results)} checks pass ({', '.join(groups)})"
            if report.results
            else "hastack status: ok, but nothing to check (no application hastack deploys)"
        )
        tail = f"; not deployed, hastack cannot deploy them yet: {skipped}" if skipped else ""
        return [Text(head + tail, style="green")]
    view: list[RenderableType] = [render_table(report, include_ok=show_all)]
    if skipped:
        view.append(Text(f"not deployed, hastack cannot deploy them yet: {skipped}"))
    counts = ", ".join(f"{n} {s}" for s, n in report.counts().items() if n)
    verdict = report.verdict.value
    view.append(
        Text.assemble("verdict: ", (verdict, output.STATUS_STYLE.get(verdict, "")), f" ({counts})")
    )
    return view


@click.command()
@output.json_option("the report")
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
    """Health of the deployment; exit 0 only when every check is ok (3 otherwise)."""
    require_root()
    held = ctx.deployment()
    result, connectors = held.plan, held.connectors
    not_deployed = {app: result.kinds[app] for app in status_op.not_deployed(result)}
    while True:
        report = status_op.collect(result, connectors)
        if as_json:
            output.emit_json({**report.to_json(), "not_deployed": sorted(not_deployed)})
        else:
            if watch:
                output.out.clear()
            for item in status_view(report, not_deployed, show_all or watch is not None):
                output.out.print(item)
        if watch is None:
            raise SystemExit(0 if report.verdict is Status.OK else 3)
        time.sleep(watch)
