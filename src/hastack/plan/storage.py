"""Replicated stores in the failure analysis: a store needs enough copies, not every holder.

Swift keeps each object as ``replicas`` copies on distinct hosts, one per zone while there
are enough zones; a read succeeds while one copy is left, and a write needs half the
copies rounded up (Swift 2.30's quorum for a replicated policy), landing on a handoff host
when a primary is lost. Ceph keeps each placement group as ``size`` copies on distinct
hosts (CRUSH's default failure domain) and blocks I/O to a placement group left with
fewer than ``min_size`` (size - size // 2) copies, until the lost OSDs are marked out and
the data is copied again.
"""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Mapping

from .. import catalog
from ..catalog import ReplicatedData
from ..errors import Finding
from ..topology import Application, Topology
from .findings import finding_at
from .model import Host, Outcome, Unit


@dataclasses.dataclass(frozen=True)
class Store:
    """One replicated data set: its owner, how many copies, and the hosts that hold them."""

    owner: str  # the application clients reach it through ("swift-proxy", "ceph")
    rule: ReplicatedData
    copies: int
    holders: tuple[str, ...]  # applications whose units hold copies (the owner's may too)
    domain_of: Mapping[str, str]  # holding host -> its failure domain (zone, else the host)
    hosts_on: Mapping[str, tuple[str, ...]]  # machine -> the holding hosts on it

    @property
    def quorum(self) -> int:
        """Copies a write needs (Swift's quorum, Ceph's min_size): half, rounded up."""
        return (self.copies + 1) // 2


@dataclasses.dataclass(frozen=True)
class Verdict:
    """What a failure does to a store: the outcome, where, and what it means."""

    outcome: Outcome
    where: str  # "1 of the 3 hosts holding its objects lost (ctl-15)"
    meaning: str  # "objects keep at least 2 of 3 copies, so reads and writes go on ..."


def stores(
    topo: Topology, units: tuple[Unit, ...], machine_of: Mapping[str, str]
) -> dict[str, Store]:
    """Every replicated store of *topo*, by owner; *machine_of* maps hosts to machines."""
    out: dict[str, Store] = {}
    for name, app in sorted(topo.applications.items()):
        kind = catalog.by_charm(app.charm)
        if kind is None or kind.data is None:
            continue
        rule = kind.data
        holders = [
            other
            for other in topo.related(name)
            if (k := catalog.by_charm(topo.applications[other].charm)) and k.name == rule.holders
        ]
        if app.charm in rule.holding_charms:
            holders.append(name)
        held = [u for u in units if u.application in holders]
        hosts_on: dict[str, list[str]] = collections.defaultdict(list)
        for host in dict.fromkeys(u.host for u in held):
            hosts_on[machine_of[host]].append(host)
        out[name] = Store(
            name,
            rule,
            _copies(app, rule),
            tuple(sorted(holders)),
            {u.host: _domain(topo.applications[u.application], u, rule) for u in held},
            {machine: tuple(on) for machine, on in hosts_on.items()},
        )
    return out


def judge(store: Store, failed: set[str]) -> Verdict:
    """What losing the machines in *failed* does to *store* (worst-placed data first)."""
    lost = sorted(host for machine in failed for host in store.hosts_on.get(machine, ()))
    if not lost:
        return _OK
    rule, hosts = store.rule, len(store.domain_of)
    made = min(store.copies, hosts)  # copies go to distinct hosts
    per_domain = -(-made // len(set(store.domain_of.values())))
    lost_by_domain = collections.Counter(store.domain_of[host] for host in lost)
    gone = min(made, sum(min(per_domain, n) for n in lost_by_domain.values()))
    left, alive = made - gone, hosts - len(lost)
    where = f"{len(lost)} of the {hosts} hosts holding its {rule.noun} lost ({', '.join(lost)})"
    noun, need = rule.noun, f"{store.quorum} copies (its {rule.quorum_name})"
    if left == 0:
        return Verdict(
            Outcome.DOWN,
            where,
            f"{noun} with all {made} copies on the lost hosts are gone, so reads of them fail",
        )
    if rule.reads_need_quorum and left < store.quorum:
        return Verdict(
            Outcome.DOWN,
            where,
            f"{noun} with {gone} of their {made} copies on the lost hosts keep {left}, below "
            f"{rule.quorum_name} {store.quorum}, so I/O to them blocks until the data is "
            "copied again",
        )
    keep = f"{noun} keep at least {left} of {store.copies} copies"
    if rule.handoffs and alive < store.quorum:
        live = "only 1 host is left" if alive == 1 else f"only {alive} hosts are left"
        return Verdict(
            Outcome.READ_ONLY,
            where,
            f"{keep}, so reads succeed, but a write needs {need} on live hosts and {live}, "
            "so writes fail",
        )
    if not rule.handoffs and left < store.quorum:
        return Verdict(
            Outcome.READ_ONLY,
            where,
            f"{keep}, so reads succeed, but a write needs {need}, so writes to those with "
            f"{left} fail",
        )
    return Verdict(
        Outcome.DEGRADED,
        where,
        f"{keep}, so reads and writes go on (a write needs {store.quorum} copies, its "
        f"{rule.quorum_name})",
    )


_OK = Verdict(Outcome.OK, "", "")


def _copies(app: Application, rule: ReplicatedData) -> int:
    """The copies the owner asks for (its ``copies_option``), else the rule's default."""
    written = app.option_str(rule.copies_option) if rule.copies_option else ""
    return int(written) if written.isdigit() and int(written) > 0 else rule.copies


def _domain(app: Application, unit: Unit, rule: ReplicatedData) -> str:
    zone = app.option_str(rule.zone_option) if rule.zone_option else ""
    return f"zone {zone}" if zone else unit.host


def check_copies(
    topo: Topology, hosts: tuple[Host, ...], units: tuple[Unit, ...]
) -> list[Finding]:
    """A store has hosts for its copies: enough for a write, and one for each copy."""
    machine_of = {h.name: h.machine for h in hosts}
    out: list[Finding] = []
    for store in stores(topo, units, machine_of).values():
        app, rule, held = topo.applications[store.owner], store.rule, len(store.domain_of)
        path = f"applications.{store.owner}" + (
            f".options.{rule.copies_option}" if rule.copies_option else ""
        )
        if held < store.quorum:
            stops = "I/O blocks" if rule.reads_need_quorum else "writes fail"
            message = (
                f"{store.owner} keeps {store.copies} copies of its {rule.noun} on distinct "
                f"hosts, but {_hosts(held)} them, fewer than the {store.quorum} a write "
                f"needs (its {rule.quorum_name}), so {stops} even with every host up; add "
                f"{rule.holders} units related to it, on at least {store.copies} hosts"
            )
            out.append(finding_at(app, path, message))
        elif held < store.copies:
            message = (
                f"{store.owner} keeps {store.copies} copies of its {rule.noun} on distinct "
                f"hosts, but {_hosts(held)} them, so it makes only {held} and survives "
                f"fewer lost hosts than {store.copies} copies would; add {rule.holders} units "
                f"related to it, on at least {store.copies} hosts"
            )
            out.append(finding_at(app, path, message, "warning"))
    return out


def _hosts(count: int) -> str:
    return {0: "no hosts", 1: "only 1 host"}.get(count, f"only {count} hosts") + (
        " holds" if count == 1 else " hold"
    )
