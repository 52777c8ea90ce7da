"""validate and plan: the pure half of hastack on the command line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click
from rich.table import Table

from .. import catalog, plan
from ..errors import Finding, PlanError
from ..kinds import deployable
from ..plan import export
from ..topology import ProfileName
from ..topology.load import load
from . import output, plan_tables

PROFILE = click.option(
    "--profile",
    type=click.Choice([p.value for p in ProfileName]),
    default=None,
    help="Timer profile (default: the bundle's, else reference).",
)

PLAN_ONLY = "validated, planned and rendered; `hastack lab up` does not deploy it yet"


@click.command()
@click.argument("bundle", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--list-charms",
    is_flag=True,
    help="List the service kinds and charms hastack knows, and which it deploys today.",
)
@output.json_option("the findings (or the kinds, with --list-charms)")
def validate(bundle: str | None, list_charms: bool, as_json: bool) -> None:
    """Check BUNDLE: syntax, schema, quorum, placement and VIP rules. Exit 1 on errors."""
    if list_charms:
        _list_kinds(as_json)
        return
    if bundle is None:
        raise click.UsageError("give a BUNDLE to validate (or --list-charms)")
    result = plan.build(load(bundle))
    if not as_json:
        _print_findings(result.warnings)
    if result.errors:
        raise PlanError(result.errors)
    if as_json:
        findings = [export.finding_dict(f) for f in result.findings]
        output.emit_json({"bundle": bundle, "valid": True, "findings": findings})
        return
    output.progress(f"{bundle}: valid ({len(result.warnings)} warning(s))")


def kinds_data() -> list[dict[str, Any]]:
    """Every service kind of the catalog and whether the deployer's registry deploys it."""
    return [
        {
            "kind": kind.name,
            "deploys": deployable(kind.name),
            "ha_model": kind.ha_model.value,
            "charms": list(kind.charms),
            "summary": kind.summary,
        }
        for kind in catalog.KINDS
    ]


def _list_kinds(as_json: bool) -> None:
    rows = kinds_data()
    if as_json:
        output.emit_json({"kinds": rows, "plan_only_means": PLAN_ONLY})
        return
    table = Table(title="service kinds", title_justify="left")
    for column in ("kind", "lab up", "HA model", "charms", "what it is"):
        table.add_column(column)
    for row in rows:
        status = "deploys" if row["deploys"] else "plan only"
        charms = ", ".join(row["charms"])
        table.add_row(row["kind"], status, row["ha_model"], charms, row["summary"])
    table.caption = f"plan only: {PLAN_ONLY}"
    table.caption_justify = "left"
    output.out.print(table)


@click.command(name="plan")
@click.argument("bundle", type=click.Path(dir_okay=False))
@PROFILE
@output.json_option("the plan (even one with errors: ok is false, exit 1)")
@click.option("--pairs/--no-pairs", default=True, help="Show the two-machine failure table.")
def plan_cmd(bundle: str, profile: str | None, as_json: bool, pairs: bool) -> None:
    """Show placement, findings, failure analysis, failover budget and start phases."""
    result = plan.build(load(bundle), ProfileName(profile) if profile else None)
    if as_json:
        output.emit_json(export.to_dict(result))
    else:
        _print_findings(result.findings)
        plan_tables.print_plan(result, pairs)
    if result.errors:
        raise SystemExit(1)


def _print_findings(findings: Sequence[Finding]) -> None:
    for finding in findings:
        output.err.print(f"{output.styled(finding.severity)}: {finding}", highlight=False)
