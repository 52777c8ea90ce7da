"""What hastack does with RabbitMQ: render, cluster, judge, budget a leader's loss."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

from ...health import gather
from ...health.status import CheckResult
from ...hosts import Connector
from ...plan import Plan
from ...plan.model import BudgetItem, FailoverBudget
from ...plan.profiles import TimerProfile
from ..base import Service
from . import KIND, deploy, health, render

LINK_LOSS_S = 10.25  # quorum queue leader re-election after a cut link (measured)


def check(plan: Plan, app: str, hosts: Mapping[str, Connector]) -> list[CheckResult]:
    units = plan.units_of(app)
    members = {u.host: hosts[u.host] for u in units if u.host in hosts}
    nodes = [render.node_name(u.host) for u in units]
    with ThreadPoolExecutor(max_workers=2) as pool:  # each rabbitmqctl boots an Erlang VM
        status = pool.submit(gather.rabbitmq, members, nodes)
        queues = pool.submit(gather.quorum_queues, members)
        return health.evaluate_rabbitmq(status.result(), nodes, queues.result())


def budgets(app: str, profile: TimerProfile) -> tuple[FailoverBudget, ...]:
    election = BudgetItem("Ra leader re-election after a cut link (measured)", LINK_LOSS_S)
    return (
        FailoverBudget(
            "rabbitmq-leader-link-loss",
            f"quorum queue publishes on {app}",
            (election,),
            note="a killed process is noticed at once (RST); a cut link is not",
        ),
    )


SERVICE = Service(KIND, render=render.render, deploy=deploy.ensure, health=check, budgets=budgets)
