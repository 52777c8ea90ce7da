"""The plan as tables: placement, clusters, phases, failure analysis, failover budget."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from .. import catalog, plan
from . import output

FAILURE_ROWS = 200  # rows per failure table; `hastack plan --json` has every case


def print_plan(result: plan.Plan, pairs: bool) -> None:
    topo = result.topology
    console = output.out
    console.print(
        f"[bold]{topo.name}[/bold] ({topo.format}, {topo.file}) profile "
        f"[bold]{result.profile.name.value}[/bold], VIPs by {topo.settings.vip_provider.value}"
    )
    console.print(placement_table(result))
    for cluster in result.clusters:
        console.print(cluster_table(cluster))
    console.print(phase_table(result))
    console.print(failure_table(result, result.single_failures, "single machine failures"))
    if pairs:
        title = "two-machine failures" + (" (sampled)" if result.double_failures_sampled else "")
        console.print(failure_table(result, result.double_failures, title, only_down=True))
    console.print(budget_table(result))


def placement_table(result: plan.Plan) -> Table:
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


def cluster_table(cluster: plan.Cluster) -> Table:
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


def phase_table(result: plan.Plan) -> Table:
    table = Table(title="start phases")
    for column in ("phase", "applications", "why"):
        table.add_column(column)
    for phase in result.phases:
        table.add_row(str(phase.number), ", ".join(phase.applications), phase.reason)
    return table


def failure_table(
    result: plan.Plan, cases: tuple[plan.FailureCase, ...], title: str, only_down: bool = False
) -> Table:
    """One row per failure: the machines, every host lost with them (containers by their
    own names), the worst outcome, and the planner's sentence saying why."""
    table = Table(title=title, title_justify="left")
    table.add_column("machines failed", no_wrap=True)
    table.add_column("hosts lost")
    table.add_column("worst", no_wrap=True)
    table.add_column("why")
    shown = [c for c in cases if not only_down or c.worst() is plan.Outcome.DOWN]
    for case in shown[:FAILURE_ROWS]:
        table.add_row(
            ", ".join(case.machines),
            "\n".join(_hosts_lost(result, machine) for machine in case.machines),
            _outcome_text(case.worst()),
            _why(case),
        )
    notes = []
    if only_down:
        notes.append(f"{len(shown)} of {len(cases)} pairs take a service down")
    if len(shown) > FAILURE_ROWS:
        notes.append(
            f"the first {FAILURE_ROWS} of {len(shown)} shown; `hastack plan --json` has all"
        )
    table.caption = "; ".join(notes) or None
    return table


def _hosts_lost(result: plan.Plan, machine: str) -> str:
    """``0: ctl-1 with its containers ctl-1-lxd-0, ctl-1-lxd-1``."""
    on = [h for h in result.hosts if h.machine == machine]
    own = ", ".join(h.name for h in on if h.container is None) or "(no host of its own)"
    containers = [h.name for h in on if h.container is not None]
    return f"{machine}: {own}" + (
        f" with its containers {', '.join(containers)}" if containers else ""
    )


def _why(case: plan.FailureCase) -> Text:
    if case.why:
        return Text(case.why)
    if not case.affected:
        return Text("every service keeps running")
    lines = [
        Text.assemble(f"{o.application} ", _outcome_text(o.outcome), f": {o.reason}")
        for o in case.affected
    ]
    return Text("\n").join(lines)


def _outcome_text(outcome: plan.Outcome) -> Text:
    return Text(outcome.value, style=output.STATUS_STYLE.get(outcome.value, ""))


def budget_table(result: plan.Plan) -> Table:
    table = Table(title=f"failover budget ({result.profile.name.value} profile)")
    for column in ("scenario", "subject", "predicted", "made of"):
        table.add_column(column)
    for budget in result.budgets:
        parts = "; ".join(f"{i.label} {i.seconds:g} s" for i in budget.items)
        table.add_row(budget.scenario, budget.subject, f"{budget.seconds:g} s", parts)
    return table
