"""hastack rotate-keys: rotate Keystone's fernet and credential keys on every unit."""

from __future__ import annotations

import click

from ..apply.report import Report
from ..errors import HastackError
from ..kinds.keystone import keys as keystone_keys
from ..lab.lab import require_root
from . import output
from .context import Context


@click.command(name="rotate-keys")
@output.json_option("the steps done")
@click.pass_obj
def rotate_keys(ctx: Context, as_json: bool) -> None:
    """Rotate Keystone's keys cluster-wide; tokens issued before keep validating."""
    require_root()
    held = ctx.deployment()
    result, connectors = held.plan, held.connectors
    apps = result.applications_of_kind("keystone")
    if not apps:
        raise HastackError("the deployment has no keystone application; nothing to rotate")
    report = Report(on_step=None)
    for app in apps:
        members = {u.host: connectors[u.host] for u in result.units_of(app)}
        keystone_keys.rotate(members, result.leader(app).host, report)
    if as_json:
        output.emit_json(report.to_dict())
        return
    for step in report.results:
        output.line(f"[{step.host}] {step.step}: {step.message}")
