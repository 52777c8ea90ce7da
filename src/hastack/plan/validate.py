"""Rules the planner enforces on a loaded topology (seed "OpenStack HA guide").

Each ``check_*`` returns findings; ``validate`` runs them all so every problem is reported in
one run. Messages are UI: they say what is wrong, where, and how to fix it.
"""

from __future__ import annotations

import collections
from collections.abc import Callable

from .. import catalog
from ..catalog import HaModel
from ..errors import Finding
from ..topology import Topology
from . import addresses, relations, storage
from .findings import finding_at
from .model import Host, Unit


def quorum_size(members: int) -> int:
    """Votes needed for a majority of *members*: floor(n/2) + 1."""
    return members // 2 + 1


def arbitrators(topo: Topology, app: str) -> int:
    """Units of the arbitrator applications its kind's quorum rule names (garbd for Galera)
    related to *app*."""
    kind = catalog.by_charm(topo.applications[app].charm)
    arbitrator = kind.quorum.arbitrator if kind is not None and kind.quorum else None
    total = 0
    for other in topo.related(app):
        other_kind = catalog.by_charm(topo.applications[other].charm)
        if arbitrator is not None and other_kind is not None and other_kind.name == arbitrator:
            total += topo.applications[other].num_units
    return total


def check_quorum(
    topo: Topology, hosts: tuple[Host, ...], units: tuple[Unit, ...]
) -> list[Finding]:
    out = []
    for name, app in sorted(topo.applications.items()):
        kind = catalog.by_charm(app.charm)
        if kind is None or kind.quorum is None or kind.ha_model is HaModel.SUBORDINATE:
            continue
        voters = app.num_units + arbitrators(topo, name)
        path = f"applications.{name}.num_units"
        hint = f"use {kind.quorum.minimum}" + (
            f", or 2 plus a {kind.quorum.arbitrator} arbitrator" if kind.quorum.arbitrator else ""
        )
        if voters < kind.quorum.minimum:
            what = "member cannot" if voters == 1 else "members cannot"
            out.append(
                finding_at(app, path, f"{voters} {what} keep quorum after one failure; {hint}")
            )
        elif voters % 2 == 0:
            out.append(
                finding_at(
                    app,
                    path,
                    f"{voters} members tolerate no more failures than {voters - 1} and can "
                    f"split evenly; use an odd number ({voters - 1} or {voters + 1})",
                )
            )
    return out


def check_failure_domains(
    topo: Topology, hosts: tuple[Host, ...], units: tuple[Unit, ...]
) -> list[Finding]:
    machine = {h.name: h.machine for h in hosts}
    out = []
    for name, app in sorted(topo.applications.items()):
        kind = catalog.by_charm(app.charm)
        if kind is None:
            continue
        per_machine = collections.Counter(machine[u.host] for u in units if u.application == name)
        shared = sorted(m for m, count in per_machine.items() if count > 1)
        if not shared:
            continue
        path = f"applications.{name}.to"
        where = ", ".join(f"machine {m}" for m in shared)
        if kind.quorum is not None:
            out.append(
                finding_at(
                    app,
                    path,
                    f"two members of the quorum service {name} share {where}: losing it "
                    "loses both; place every member on its own machine",
                )
            )
        elif kind.ha_model is HaModel.STATELESS_API:
            out.append(
                finding_at(
                    app,
                    path,
                    f"units of {name} share {where}, so one machine failure takes several; "
                    "spread them over distinct machines",
                    "warning",
                )
            )
    return out


def check_ha_size(
    topo: Topology, hosts: tuple[Host, ...], units: tuple[Unit, ...]
) -> list[Finding]:
    out = []
    for name, app in sorted(topo.applications.items()):
        kind = catalog.by_charm(app.charm)
        if kind is None or kind.ha_model not in (HaModel.STATELESS_API, HaModel.ACTIVE_PASSIVE):
            continue
        if app.num_units < kind.min_units:
            out.append(
                finding_at(
                    app,
                    f"applications.{name}.num_units",
                    f"{name} has {app.num_units} unit(s): no N+1 capacity, one failure stops "
                    f"it; use {kind.min_units} or more (3 behind a VIP)",
                    "warning",
                )
            )
    return out


Check = Callable[[Topology, tuple[Host, ...], tuple[Unit, ...]], list[Finding]]

CHECKS: tuple[Check, ...] = (
    check_quorum,
    check_failure_domains,
    check_ha_size,
    relations.check_needed_relations,
    relations.check_relation_ends,
    relations.check_subordinates,
    relations.check_arbitrators,
    relations.check_vips_to_hold,
    addresses.check_vip_addresses,
    storage.check_copies,
)


def validate(topo: Topology, hosts: tuple[Host, ...], units: tuple[Unit, ...]) -> list[Finding]:
    return [finding for check in CHECKS for finding in check(topo, hosts, units)]
