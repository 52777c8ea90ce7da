"""The planner: a pure function from a Topology to a Plan (placement, HA layout, checks,
failure analysis, failover budgets, start phases)."""

from __future__ import annotations

from .. import catalog
from ..catalog import HaModel
from ..errors import PlanError
from ..topology import ProfileName, Topology
from . import budget, failures, ha, phases, placement, validate
from .model import (
    Backend,
    BudgetItem,
    Cluster,
    FailoverBudget,
    FailureCase,
    FenceDevice,
    Frontend,
    Host,
    HostAddress,
    Outcome,
    Phase,
    Plan,
    ServiceOutcome,
    Unit,
    Vip,
)
from .profiles import PROFILES, TimerProfile


def build(topo: Topology, profile: ProfileName | None = None) -> Plan:
    """Plan *topo*; findings (errors and warnings) are in the Plan, nothing is raised."""
    timers = PROFILES[profile or topo.settings.profile]
    placed = placement.place(topo)
    layout = ha.layout(topo, placed.hosts, placed.units)
    start, phase_findings = phases.phases(topo)
    findings = [
        *topo.warnings,
        *placed.findings,
        *validate.validate(topo, placed.hosts, placed.units),
        *layout.findings,
        *phase_findings,
    ]
    singles, doubles, sampled = failures.analyse(topo, placed.hosts, placed.units, layout.clusters)
    kinds = {
        name: kind.name
        for name, app in topo.applications.items()
        if (kind := catalog.by_charm(app.charm)) is not None
    }
    return Plan(
        topology=topo,
        profile=timers,
        hosts=placed.hosts,
        units=placed.units,
        clusters=layout.clusters,
        phases=start,
        findings=tuple(findings),
        single_failures=singles,
        double_failures=doubles,
        double_failures_sampled=sampled,
        budgets=budget.budgets(topo, timers, layout.clusters, placed.units),
        kinds=kinds,
    )


def build_checked(topo: Topology, profile: ProfileName | None = None) -> Plan:
    """Like ``build`` but raise PlanError when the plan has errors."""
    result = build(topo, profile)
    if result.errors:
        raise PlanError(result.errors)
    return result


__all__ = [
    "PROFILES",
    "Backend",
    "BudgetItem",
    "Cluster",
    "FailoverBudget",
    "FailureCase",
    "FenceDevice",
    "Frontend",
    "HaModel",
    "Host",
    "HostAddress",
    "Outcome",
    "Phase",
    "Plan",
    "ServiceOutcome",
    "TimerProfile",
    "Unit",
    "Vip",
    "build",
    "build_checked",
]
