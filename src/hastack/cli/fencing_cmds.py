"""hastack recover fencing NODE: clear the fence-loop guard, power the node on, wait."""

from __future__ import annotations

import click

from ..apply.report import Report
from ..lab.lab import require_root
from ..ops.fencing import recover_fencing
from . import output
from .context import Context


@click.command(name="fencing")
@click.argument("node")
@output.json_option("the steps done")
@click.pass_obj
def recover_fencing_cmd(ctx: Context, node: str, as_json: bool) -> None:
    """Clear the fence-loop guard on NODE and bring it back.

    A node fenced again and again is left powered off by the cluster's fence-loop guard
    (`hastack status` says why). Once the cause is fixed, this removes the guard from NODE's
    fence device, restarts its fencing count, powers it on through its fence device and
    waits until it has rejoined the cluster.
    """
    require_root()
    held = ctx.deployment()
    report = Report(on_step=lambda r: output.progress(f"[{r.host}] {r.step}: {r.message}"))
    recover_fencing(held.plan, held.connectors, node, report)
    if as_json:
        output.emit_json(report.to_dict())
        return
    output.line(f"recover fencing: {node} is back in the cluster")
