"""Failover budgets: the predicted outage of each failure, from the timer profile.

Each budget is a sum of named contributions so a drill can put the measured outage beside
it and say which part was off. The constants that are not timers (transition, fence and VIP
start times) were measured on the lab (see DESIGN.md). A kind's own failures (a Galera
member, a RabbitMQ leader) are budgeted by the kind (``Service.budgets``).
"""

from __future__ import annotations

from .. import catalog, kinds
from ..topology import Topology, VipProvider
from .model import BudgetItem, Cluster, FailoverBudget, Unit
from .profiles import TimerProfile


def budgets(
    topo: Topology, profile: TimerProfile, clusters: tuple[Cluster, ...], units: tuple[Unit, ...]
) -> tuple[FailoverBudget, ...]:
    out: list[FailoverBudget] = []
    for cluster in clusters:
        for vip in cluster.vips:
            subject = f"VIP {vip.address} ({vip.application})"
            if cluster.vip_provider is VipProvider.KEEPALIVED:
                out.append(_keepalived(subject, profile))
            else:
                out.append(_pacemaker_power_off(subject, profile, len(cluster.hosts)))
                out.append(_haproxy_killed(subject, profile))
        out.extend(_backend_loss(frontend.name, profile) for frontend in cluster.frontends)
    for name, app in sorted(topo.applications.items()):
        kind = catalog.by_charm(app.charm)
        of_kind = kinds.service(kind.name).budgets if kind is not None else None
        if of_kind is not None:
            out.extend(of_kind(name, profile))
    return tuple(out)


def _pacemaker_power_off(subject: str, profile: TimerProfile, nodes: int) -> FailoverBudget:
    token = profile.runtime_token_ms(nodes) / 1000
    consensus = profile.runtime_consensus_ms(nodes) / 1000
    return FailoverBudget(
        "vip-holder-power-off",
        subject,
        (
            BudgetItem(f"corosync token ({token:g} s with {nodes} nodes)", token),
            BudgetItem(f"corosync consensus ({consensus:g} s)", consensus),
            BudgetItem("pacemaker transition on the DC", profile.transition_s),
            BudgetItem(
                f"fence_ipmilan off (power_wait {profile.fence_power_wait_s} s)",
                profile.fence_action_s,
            ),
            BudgetItem("IPaddr2 start + gratuitous ARP", profile.vip_start_s),
        ),
    )


def _haproxy_killed(subject: str, profile: TimerProfile) -> FailoverBudget:
    return FailoverBudget(
        "haproxy-killed-on-vip-holder",
        subject,
        (
            BudgetItem(
                f"haproxy clone monitor (worst case, every {profile.haproxy_monitor_s} s)",
                float(profile.haproxy_monitor_s),
            ),
            BudgetItem("pacemaker restarts haproxy (or moves the VIP)", profile.transition_s),
        ),
        note="worst case; on average half the monitor interval",
    )


def _keepalived(subject: str, profile: TimerProfile) -> FailoverBudget:
    advert = profile.vrrp_advert_s
    skew = round((256 - 100) / 256 * advert, 3)
    return FailoverBudget(
        "vip-holder-power-off",
        subject,
        (
            BudgetItem(f"VRRP master down: 3 x advert_int {advert:g} s", 3 * advert),
            BudgetItem("skew time of a priority-100 backup", skew),
        ),
    )


def _backend_loss(name: str, profile: TimerProfile) -> FailoverBudget:
    detect = profile.haproxy_inter_ms * profile.haproxy_fall / 1000
    return FailoverBudget(
        "backend-power-off",
        f"HAProxy backend of {name}",
        (BudgetItem("requests redispatched to a live server (retries + redispatch)", 0.0),),
        note=f"HAProxy marks the server down after inter x fall = {detect:g} s; until then "
        "failed connections are retried on another server",
    )
