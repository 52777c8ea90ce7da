"""validate, plan, render, secrets: the pure half of hastack on the command line."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from .. import catalog, plan, render
from ..errors import PlanError
from ..plan import export
from ..plan.fencing import lab_fencing as fencing_for
from ..secrets import SecretStore
from ..topology import ProfileName
from ..topology.load import load
from . import output
from .context import Context

PROFILE = click.option(
    "--profile",
    type=click.Choice([p.value for p in ProfileName]),
    default=None,
    help="Timer profile (default: the bundle's, else reference).",
)


@click.command()
@click.argument("bundle", required=False, type=click.Path(dir_okay=False))
@click.option("--list-charms", is_flag=True, help="List the charms hastack knows and exit.")
def validate(bundle: str | None, list_charms: bool) -> None:
    """Check BUNDLE: syntax, schema, quorum, placement and VIP rules. Exit 1 on errors."""
    if list_charms:
        for kind in catalog.KINDS:
            output.out.print(f"{kind.name:22} {', '.join(kind.charms)}", highlight=False)
        return
    if bundle is None:
        raise click.UsageError("give a BUNDLE to validate (or --list-charms)")
    result = plan.build(load(bundle))
    _print_findings(result)
    if result.errors:
        raise PlanError(result.errors)
    output.progress(f"{bundle}: valid ({len(result.warnings)} warning(s))")


@click.command(name="plan")
@click.argument("bundle", type=click.Path(dir_okay=False))
@PROFILE
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@click.option("--pairs/--no-pairs", default=True, help="Show the two-machine failure table.")
def plan_cmd(bundle: str, profile: str | None, as_json: bool, pairs: bool) -> None:
    """Show placement, findings, failure analysis, failover budget and start phases."""
    result = plan.build(load(bundle), ProfileName(profile) if profile else None)
    if as_json:
        output.emit_json(export.to_dict(result))
    else:
        _print_plan(result, pairs)
    if result.errors:
        raise SystemExit(1)


@click.command(name="render")
@click.argument("bundle", type=click.Path(dir_okay=False))
@click.option("-o", "--output-dir", required=True, type=click.Path(file_okay=False))
@PROFILE
@click.pass_obj
def render_cmd(ctx: Context, bundle: str, output_dir: str, profile: str | None) -> None:
    """Write every config file, one directory per host, for review or other tools."""
    topo = load(bundle)
    result = plan.build_checked(topo, ProfileName(profile) if profile else None)
    store = SecretStore(ctx.deployment_dir(topo.name))
    if store.ensure():
        output.progress(f"generated secrets in {store.path} (mode 0600)")
    fencing = fencing_for(result)
    root = Path(output_dir)
    count = 0
    for host in result.hosts:
        for item in render.render_host(result, host.name, store, fencing):
            target = root / host.name / item.path.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(item.text)
            target.chmod(item.mode if not item.secret else item.mode & 0o700)
            count += 1
    output.progress(f"wrote {count} files for {len(result.hosts)} hosts under {root}")


@click.group()
def secrets() -> None:
    """Show the generated secrets of a deployment (they are never printed otherwise)."""


@secrets.command(name="show")
@click.argument("deployment")
@click.option("--name", "names", multiple=True, help="Only these secrets.")
@click.pass_obj
def secrets_show(ctx: Context, deployment: str, names: tuple[str, ...]) -> None:
    """Print the secrets of DEPLOYMENT (the bundle's name)."""
    store = SecretStore(ctx.deployment_dir(deployment))
    if not store.names():
        raise click.ClickException(
            f"deployment {deployment!r} has no secrets under {store.path.parent}; "
            "run `hastack lab up` or `hastack render` first"
        )
    for name in names or store.names():
        output.out.print(f"{name}: {store.get(name).reveal()}", highlight=False)


def _print_findings(result: plan.Plan) -> None:
    for finding in result.findings:
        output.err.print(f"{output.styled(finding.severity)}: {finding}", highlight=False)


def _print_plan(result: plan.Plan, pairs: bool) -> None:
    topo = result.topology
    console = output.out
    console.print(
        f"[bold]{topo.name}[/bold] ({topo.format}, {topo.file}) profile "
        f"[bold]{result.profile.name.value}[/bold], VIPs by {topo.settings.vip_provider.value}"
    )
    _print_findings(result)
    console.print(_placement_table(result))
    for cluster in result.clusters:
        console.print(_cluster_table(cluster))
    console.print(_phase_table(result))
    console.print(_failure_table(result, result.single_failures, "single machine failures"))
    if pairs:
        title = "two-machine failures" + (" (sampled)" if result.double_failures_sampled else "")
        console.print(_failure_table(result, result.double_failures, title, only_bad=True))
    console.print(_budget_table(result))


def _placement_table(result: plan.Plan) -> Table:
    table = Table(title="placement")
    for column in ("application", "kind", "HA model", "units", "hosts"):
        table.add_column(column)
    for name, app in sorted(result.topology.applications.items()):
        kind = catalog.by_charm(app.charm)
        units = result.units_of(name)
        table.add_row(
            name,
            kind.name if kind else "?",
            kind.ha_model.value if kind else "?",
            str(len(units)),
            ", ".join(u.host for u in units) or "(subordinate)",
        )
    return table


def _cluster_table(cluster: plan.Cluster) -> Table:
    table = Table(title=f"cluster {cluster.name}: {', '.join(cluster.hosts)}")
    for column in ("frontend", "listens on", "backends"):
        table.add_column(column)
    for vip in cluster.vips:
        table.add_row(f"VIP ({vip.application})", f"{vip.address} on {vip.interface}", "")
    for fe in cluster.frontends:
        backends = ", ".join(
            f"{b.host}:{b.port}" + (" (backup)" if b.backup else "") for b in fe.backends
        )
        listens = ", ".join(f"{v}:{fe.port}" for v in fe.vips)
        table.add_row(fe.name, listens, backends)
    return table


def _phase_table(result: plan.Plan) -> Table:
    table = Table(title="start phases")
    for column in ("phase", "applications", "why"):
        table.add_column(column)
    for phase in result.phases:
        table.add_row(str(phase.number), ", ".join(phase.applications), phase.reason)
    return table


def _failure_table(
    result: plan.Plan, cases: tuple[plan.FailureCase, ...], title: str, only_bad: bool = False
) -> Table:
    apps = [a for a in sorted(result.topology.applications) if result.units_of(a)]
    table = Table(title=title)
    table.add_column("machines failed")
    for app in apps:
        table.add_column(app)
    shown = [c for c in cases if not only_bad or c.worst() is plan.Outcome.DOWN]
    for case in shown[:200]:
        cells = []
        for app in apps:
            found = case.outcome_of(app)
            cells.append(output.styled(found.outcome.value if found else "ok"))
        label = ", ".join(f"{m} ({h})" for m, h in zip(case.machines, case.hosts, strict=False))
        table.add_row(label, *cells)
    if only_bad:
        table.caption = f"{len(shown)} of {len(cases)} pairs take a service down"
    return table


def _budget_table(result: plan.Plan) -> Table:
    table = Table(title=f"failover budget ({result.profile.name.value} profile)")
    for column in ("scenario", "subject", "predicted", "made of"):
        table.add_column(column)
    for budget in result.budgets:
        parts = "; ".join(f"{i.label} {i.seconds:g} s" for i in budget.items)
        table.add_row(budget.scenario, budget.subject, f"{budget.seconds:g} s", parts)
    return table
