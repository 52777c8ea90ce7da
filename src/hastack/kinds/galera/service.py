"""What hastack does with Galera: render, its Pacemaker resources, deploy, judge, budget a
member's loss."""

from __future__ import annotations

from collections.abc import Mapping

from ...health import gather
from ...health.status import CheckResult
from ...hosts import Connector
from ...plan import Plan
from ...plan.model import BudgetItem, FailoverBudget
from ...plan.profiles import TimerProfile
from ..base import Service
from . import KIND, deploy, health, render, resources

VIEW_CHANGE_S = 1.5  # inactive check period + new primary view (measured)


def check(plan: Plan, app: str, hosts: Mapping[str, Connector]) -> list[CheckResult]:
    units = plan.units_of(app)
    members = {u.host: hosts[u.host] for u in units if u.host in hosts}
    return health.evaluate_galera(gather.galera(members), len(units))


def budgets(app: str, profile: TimerProfile) -> tuple[FailoverBudget, ...]:
    suspect = BudgetItem(
        f"evs.suspect_timeout PT{profile.galera_suspect_s}S", float(profile.galera_suspect_s)
    )
    view = BudgetItem("inactive check + new primary view", VIEW_CHANGE_S)
    return (FailoverBudget("galera-member-loss", f"writes to {app}", (suspect, view)),)


SERVICE = Service(
    KIND,
    render=render.render,
    deploy=deploy.ensure,
    health=check,
    budgets=budgets,
    cluster_resources=resources.cluster_resources,
)
