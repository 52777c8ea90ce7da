"""hastack drill: inject failures under live load, undo them, measure the healing, report.

The deployer is run here only when ``--profile`` asks for a timer profile before the
drills; no drill reaches it (a drill's target cannot run it).
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Sequence
from pathlib import Path

import click
from rich.table import Table

from ..apply.deploy import deploy
from ..apply.report import Report
from ..drills import report as drill_report
from ..drills import scenarios
from ..drills.base import Drill
from ..drills.result import DrillResult
from ..drills.runner import run_drill
from ..drills.target import Target
from ..drills.target import lab_target as drill_target
from ..errors import DrillAborted, path_error
from ..kinds.galera.recover import recover_galera
from ..lab.lab import require_root
from ..topology import ProfileName
from . import output
from .context import Context

REPORT = "the drill report"
REPORT_FIX = "pick a --report directory you can write"


def quiet_clients(verbose: int) -> None:
    """pika logs every refused connection with a traceback; during a drill refused
    connections are the point, and the probe logs record them."""
    if verbose < 2:
        logging.getLogger("pika").setLevel(logging.CRITICAL)


def lab_target(ctx: Context, profile: str | None) -> Target:
    """The deployment the lab holds, planned with *profile* (default: the bundle's), as a
    drill target."""
    held = ctx.deployment(ProfileName(profile) if profile else None)
    return drill_target(held.plan, ctx.lab(), held.secrets, held.connectors)


def deploy_profile(ctx: Context, profile: str) -> list[str]:
    """Deploy the lab's bundle with the timer *profile*, before any drill: what changed."""
    held = ctx.deployment(ProfileName(profile))
    done = deploy(held.plan, held.connectors, held.secrets, held.fencing, Report())
    changed = [f"{s.host} {s.step}: {s.message}" for s in done.results if s.changed]
    return changed or ["ran the deployer: nothing to change"]


def scenario_list() -> list[dict[str, object]]:
    """What `drill list` says of each drill: what it does and what it is judged on."""
    return [
        {
            "name": cls.name,
            "description": cls.description,
            "judged_on": "failover, healing and data"
            if cls.judged_on_failover
            else "healing and data (no failover budget: the probes see a long outage)",
            "heal_target_s": cls.heal_target_s,
        }
        for cls in scenarios.DRILLS
    ]


def _table(results: list[DrillResult]) -> Table:
    table = Table(title="hastack drill", title_justify="left")
    if not results:
        return table
    for column in drill_report.summary_row(results[0]):
        table.add_column(column)
    for result in results:
        row = drill_report.summary_row(result)
        row["result"] = "[green]pass[/green]" if result.passed else "[red]FAIL[/red]"
        table.add_row(*row.values())
    return table


def _write(
    directory: Path,
    results: list[DrillResult],
    skipped: list[tuple[str, str]],
    meta: dict[str, str],
) -> list[Path]:
    files = {
        "drills.json": drill_report.to_json(results, skipped, meta),
        "drills.md": drill_report.to_markdown(results, skipped, meta),
        "drills.html": drill_report.to_html(results, skipped, meta),
    }
    try:
        for name, text in files.items():
            (directory / name).write_text(text)
    except OSError as error:
        raise path_error(error, f"write {REPORT}", REPORT_FIX) from error
    return [directory / name for name in files]


@click.command(name="drill")
@click.argument("scenario")
@click.option(
    "--profile",
    type=click.Choice([p.value for p in ProfileName]),
    default=None,
    help="Timer profile to deploy before the drills (default: the bundle's, no deploy).",
)
@click.option(
    "--report",
    "report_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Write drills.json, drills.md and drills.html here.",
)
@output.json_option("the results (or the scenarios, for `list`)")
@click.option("--yes", is_flag=True, help="Drill a target that is not a lab.")
@click.pass_obj
def drill(
    ctx: Context,
    scenario: str,
    profile: str | None,
    report_dir: str | None,
    as_json: bool,
    yes: bool,
) -> None:
    """Inject SCENARIO (or `all`) under live load, undo it, measure how long the deployment
    takes to heal by itself, report; `list` lists them."""
    if scenario == "list":
        if as_json:
            output.emit_json({"scenarios": scenario_list()})
            return
        for cls in scenarios.DRILLS:
            output.line(f"{cls.name:30} {cls.description}")
        return
    chosen = scenarios.DRILLS if scenario == "all" else (scenarios.by_name(scenario),)
    require_root()
    quiet_clients(ctx.verbose)
    # Where the report goes is settled before the drills, not after an hour of them.
    chosen_dir = ctx.writable(Path(report_dir), REPORT, REPORT_FIX) if report_dir else None
    target = lab_target(ctx, profile)
    directory = chosen_dir or ctx.writable(
        ctx.deployment_dir(target.plan.topology.name) / "drills", REPORT
    )
    if profile:
        output.progress(f"deploying the {profile} timer profile first")
        for line in deploy_profile(ctx, profile):
            output.progress(f"  {line}")
    results, skipped = _run_all(chosen, target, yes, all_mode=scenario == "all")
    meta = {
        "deployment": target.plan.topology.name,
        "bundle": str(target.plan.topology.file),
        "applications": ", ".join(sorted(target.plan.kinds)),
        "profile": target.plan.profile.name.value,
        "command": f"hastack drill {scenario}" + (f" --profile {profile}" if profile else ""),
        "finished": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    written = _write(directory, results, skipped, meta)
    if as_json:
        output.emit_json(json.loads(drill_report.to_json(results, skipped, meta)))
    else:
        output.out.print(_table(results))
        for name, why in skipped:
            output.line(f"{name}: skipped: {why}")
        for result in results:
            for failure in result.failures():
                output.line(f"{result.drill}: {failure}")
        output.line(f"report: {', '.join(map(str, written))}")
    # Exit 3 when any drill failed or did not run: a suite is only as good as all of it.
    raise SystemExit(0 if results and not skipped and all(r.passed for r in results) else 3)


def _run_all(
    chosen: Sequence[type[Drill]], target: Target, yes: bool, *, all_mode: bool
) -> tuple[list[DrillResult], list[tuple[str, str]]]:
    results: list[DrillResult] = []
    skipped: list[tuple[str, str]] = []
    for cls in chosen:
        drill_obj = cls()
        reasons = drill_obj.preconditions(target.plan, target) if all_mode else []
        if reasons:
            skipped.append((cls.name, "; ".join(reasons)))
            output.progress(f"{cls.name}: skipped: {'; '.join(reasons)}")
            continue
        try:
            results.append(run_drill(drill_obj, target, yes=yes, say=output.progress))
        except DrillAborted as exc:
            if not all_mode:
                raise
            skipped.append((cls.name, str(exc)))
            output.progress(f"{cls.name}: not run: {exc}")
    return results, skipped


@click.group(name="recover")
def recover() -> None:
    """Bring a clustered service back after a full outage."""


@recover.command(name="galera")
@output.json_option("the steps done")
@click.pass_obj
def recover_galera_cmd(ctx: Context, as_json: bool) -> None:
    """Clear Galera's failures in Pacemaker; bootstrap without a member that stays down.

    Recovery is automatic: Pacemaker's galera agent bootstraps from the most advanced
    member after any outage. Use this when the resource failed for good, or when a member
    stays down after a full outage (the agent waits for every member's position).
    """
    require_root()
    held = ctx.deployment()
    report = Report(on_step=lambda r: output.progress(f"[{r.host}] {r.step}: {r.message}"))
    recover_galera(held.plan, held.connectors, held.secrets, report)
    if as_json:
        output.emit_json(report.to_dict())
        return
    output.line(
        "recover galera: "
        + ("done" if report.changed else "every member was Promoted and Synced already")
    )
