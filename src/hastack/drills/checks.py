"""Predicates drills poll: each returns (met, what was seen) from the live target."""

from __future__ import annotations

import datetime
import time
from collections.abc import Sequence

from ..facts.pacemaker import ClusterStatus, Node
from .base import Predicate
from .target import Target


def vip_on_survivor(target: Target, vip: str, victims: Sequence[str]) -> Predicate:
    def check() -> tuple[bool, str]:
        holders = target.vip_holders()[vip]
        seen = f"VIP {vip} held by {', '.join(holders) or 'nobody'}"
        return len(holders) == 1 and holders[0] not in victims, seen

    return check


def vips_stay(target: Target, before: dict[str, tuple[str, ...]]) -> Predicate:
    def check() -> tuple[bool, str]:
        now = target.vip_holders()
        moved = [f"{vip} {before[vip]} -> {now[vip]}" for vip in before if now[vip] != before[vip]]
        return not moved, "; ".join(moved) or "every VIP stays on its holder"

    return check


def power_cycled(target: Target, host: str, boot_before: int | None) -> Predicate:
    """*host* was powered off through its BMC: it is off now, or it booted again since
    (fencing that reboots powers it straight back on)."""

    def check() -> tuple[bool, str]:
        boot = target.boot(host)
        if boot is None:
            return True, f"{host} is powered off"
        if boot != boot_before:
            return True, f"{host} was power-cycled (it runs again, a new boot)"
        return False, f"{host} is still on, the same boot"

    return check


def _survivors_see(target: Target, host: str) -> tuple[Node, ClusterStatus, str] | str:
    """*host* as the other nodes see it, with a sentence of what they see; or why they cannot
    say."""
    status = target.cluster_status(exclude=(host,))
    if status is None:
        return "no surviving node answers crm_mon"
    node = next((n for n in status.nodes if n.name == host), None)
    if node is None:
        return f"{host} is not in the membership list"
    state = "UNCLEAN" if node.unclean else "online" if node.online else "offline"
    seen = f"survivors see {host} {state}; DC {status.dc}, quorum {status.have_quorum}"
    return node, status, seen


def fenced_and_settled(target: Target, host: str, since: datetime.datetime) -> Predicate:
    """The survivors have quorum and know *host*'s fate: it is not UNCLEAN, and it is either
    offline or was fenced since *since* (fencing that reboots lets it rejoin at once)."""

    def check() -> tuple[bool, str]:
        view = _survivors_see(target, host)
        if isinstance(view, str):
            return False, view
        node, status, seen = view
        fenced = target.fenced_since(host, since)
        seen += f"; fenced ({fenced})" if fenced else ""
        settled = not node.unclean and (not node.online or fenced is not None)
        return settled and status.have_quorum, seen

    return check


def stopped_without_quorum(
    target: Target, survivors: Sequence[str], victims: Sequence[str]
) -> Predicate:
    """Survivors that are a minority know they lost quorum and hold no VIP
    (``no-quorum-policy=stop``)."""
    names = ", ".join(survivors)

    def check() -> tuple[bool, str]:
        status = target.cluster_status(exclude=tuple(victims))
        if status is None:
            return False, f"{names}: no crm_mon answer"
        held = sorted(v for v, hosts in target.vip_holders().items() if set(hosts) & {*survivors})
        seen = f"{names}: quorum {status.have_quorum}; hold {', '.join(held) or 'no VIP'}"
        return not status.have_quorum and not held, seen

    return check


def offline_and_clean(target: Target, host: str) -> Predicate:
    """The survivors see *host* offline and not UNCLEAN: fenced, or known to be down."""

    def check() -> tuple[bool, str]:
        view = _survivors_see(target, host)
        if isinstance(view, str):
            return False, view
        node, status, seen = view
        fenced = [e for e in status.fence_history if e.target == host and e.status == "success"]
        if fenced:
            seen += f"; fenced ({fenced[0].action}) by {fenced[0].delegate or fenced[0].origin}"
        return (not node.online and not node.unclean and status.have_quorum), seen

    return check


def new_dc(target: Target, old: str) -> Predicate:
    def check() -> tuple[bool, str]:
        status = target.cluster_status(exclude=(old,))
        if status is None:
            return False, "no surviving node answers crm_mon"
        seen = f"DC {status.dc}, quorum {status.have_quorum}"
        return bool(status.dc and status.dc != old and status.have_quorum), seen

    return check


def no_survivor_holds(target: Target, vips: Sequence[str], victim: str) -> Predicate:
    def check() -> tuple[bool, str]:
        held = target.vip_holders()
        others = {v: [h for h in held[v] if h != victim] for v in vips}
        bad = [f"{v} on {', '.join(hs)}" for v, hs in others.items() if hs]
        on = target.is_on(victim)
        seen = (
            f"{victim} {'on' if on else 'OFF'}; survivors hold "
            f"{'; '.join(bad) or 'none of its VIPs'}"
        )
        return on and not bad, seen

    return check


def healthy(target: Target) -> Predicate:
    def check() -> tuple[bool, str]:
        report = target.health()
        bad = [r for r in report.results if r.status.value != "ok"]
        seen = "; ".join(f"{r.check} {r.subject}: {r.status.value}" for r in bad[:4])
        return not bad, seen or "every check ok"

    return check


def working_again(target: Target, kind: str) -> Predicate:
    """The *kind* probes succeed again, counted from when this check first runs
    (so put it after the check that shows the failure was noticed)."""
    since: list[float] = []

    def check() -> tuple[bool, str]:
        if not since:
            since.append(time.monotonic())
        return target.observed.working_since(kind, since[0])

    return check
