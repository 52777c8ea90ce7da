"""Failure analysis: for every machine (and every pair), which services stay up and why.

A service is *down* when it loses quorum (fewer than floor(n/2)+1 voters), when no unit is
left, when the Pacemaker cluster holding its VIP loses quorum (``no-quorum-policy=stop``), or
when a service it needs at runtime (the catalog's ``needs``, not its start order) is down.
A replicated store (``storage``) is judged by the copies the failure leaves: down,
read-only or degraded; an application whose units hold those copies (a Swift zone, Ceph
OSDs) is judged the same way, not as a service that is down when its units are. Any other
service that lost units is *degraded*.
"""

from __future__ import annotations

import collections
import dataclasses
import graphlib
import itertools
import random
from collections.abc import Sequence

from .. import catalog
from ..topology import Topology
from . import phases, storage
from .findings import names
from .model import Cluster, FailureCase, Host, Outcome, ServiceOutcome, Unit
from .validate import quorum_size

PAIR_SAMPLE_ABOVE = 60  # machines; above this, pairs are sampled
PAIR_SAMPLE_SIZE = PAIR_SAMPLE_ABOVE * (PAIR_SAMPLE_ABOVE - 1) // 2


@dataclasses.dataclass(frozen=True)
class _Service:
    name: str
    quorum: bool  # a quorum service: needs a majority of voters
    voters: int  # its units (and its arbitrators' units)
    voters_on: dict[str, list[str]]  # machine -> hosts of those units
    cluster_size: int  # hosts of its Pacemaker cluster, if HA
    cluster_on: dict[str, list[str]]  # machine -> hosts of that cluster
    needs: tuple[str, ...]  # applications it cannot serve without
    store: storage.Store | None  # its data, when kept as copies on holders
    holds_for: tuple[storage.Store, ...]  # the stores its units hold copies for
    machines: frozenset[str]  # every machine whose loss touches it directly


@dataclasses.dataclass(frozen=True)
class _Finding:
    outcome: Outcome
    reason: str
    needed: tuple[str, ...] = ()  # set when the reason is a needed service that is down


def analyse(
    topo: Topology,
    hosts: tuple[Host, ...],
    units: tuple[Unit, ...],
    clusters: tuple[Cluster, ...],
) -> tuple[tuple[FailureCase, ...], tuple[FailureCase, ...], bool]:
    """Single failures, pair failures, and whether the pairs were sampled."""
    machine_of = {h.name: h.machine for h in hosts}
    services = _services(topo, units, clusters, machine_of)
    order = _order(services)
    machines = sorted({h.machine for h in hosts}, key=_machine_key)
    host_names: dict[str, list[str]] = collections.defaultdict(list)
    for host in hosts:
        host_names[host.machine].append(host.name)

    def case(failed: Sequence[str]) -> FailureCase:
        affected = _evaluate(services, order, set(failed))
        on_them = tuple(h for m in failed for h in host_names[m])
        return FailureCase(tuple(failed), on_them, affected, why(affected))

    singles = tuple(case((m,)) for m in machines)
    pairs_iter: Sequence[tuple[str, str]]
    sampled = len(machines) > PAIR_SAMPLE_ABOVE
    if sampled:
        all_count = len(machines) * (len(machines) - 1) // 2
        rng = random.Random(len(machines))  # deterministic for a given bundle size
        picks = sorted(rng.sample(range(all_count), PAIR_SAMPLE_SIZE))
        pairs_iter = [_pair_at(machines, index) for index in picks]
    else:
        pairs_iter = list(itertools.combinations(machines, 2))
    doubles = tuple(case(pair) for pair in pairs_iter)
    return singles, doubles, sampled


def runtime_needs(topo: Topology) -> dict[str, set[str]]:
    """application -> the related applications it cannot serve without (catalog ``needs``)."""
    return phases.dependencies(topo, phases.needs)


def why(affected: tuple[ServiceOutcome, ...]) -> str:
    """One sentence for a failure case: what goes down and why, then what still serves."""
    if not affected:
        return "every service keeps running"
    down = [o for o in affected if o.outcome is Outcome.DOWN]
    parts = [f"{o.application} down: {o.reason}" for o in down if not o.because]
    follow = [o for o in down if o.because]
    if follow:
        needed = sorted({d for o in follow for d in o.because})
        verb = "is" if len(needed) == 1 else "are"
        apps = names([o.application for o in follow])
        parts.append(f"{apps} down because {names(needed)} {verb} down")
    parts += [
        f"{o.application} read-only: {o.reason}"
        for o in affected
        if o.outcome is Outcome.READ_ONLY
    ]
    degraded = [o.application for o in affected if o.outcome is Outcome.DEGRADED]
    if degraded:
        parts.append(f"{names(degraded)} degraded, still serving")
    return "; ".join(parts)


def _services(
    topo: Topology,
    units: tuple[Unit, ...],
    clusters: tuple[Cluster, ...],
    machine_of: dict[str, str],
) -> dict[str, _Service]:
    needs = runtime_needs(topo)
    stores = storage.stores(topo, units, machine_of)
    out: dict[str, _Service] = {}
    for name in needs:
        kind = catalog.by_charm(topo.applications[name].charm)
        assert kind is not None  # runtime_needs keeps known kinds only
        voters = {name}
        if kind.quorum is not None:
            voters |= {
                other
                for other in topo.related(name)
                if (o := catalog.by_charm(topo.applications[other].charm))
                and o.name == kind.quorum.arbitrator
            }
        cluster = next((c for c in clusters if name in c.applications), None)
        cluster_hosts = cluster.hosts if cluster else ()
        voting = [u.host for u in units if u.application in voters]
        store = stores.get(name)
        holds_for = tuple(s for s in stores.values() if name in s.holders and s.owner != name)
        touching = [*voting, *cluster_hosts, *(store.domain_of if store else ())]
        out[name] = _Service(
            name,
            kind.quorum is not None,
            len(voting),
            _by_machine(voting, machine_of),
            len(cluster_hosts),
            _by_machine(cluster_hosts, machine_of),
            tuple(sorted(needs[name])),
            store,
            holds_for,
            frozenset(machine_of[host] for host in touching),
        )
    return out


def _order(services: dict[str, _Service]) -> list[str]:
    """Every service after the ones it needs, so their outcomes are known first."""
    graph = {name: set(service.needs) & services.keys() for name, service in services.items()}
    try:
        return list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError:  # needs are acyclic by kind; a cycle means no order to trust
        return sorted(services)


def _evaluate(
    services: dict[str, _Service], order: list[str], failed: set[str]
) -> tuple[ServiceOutcome, ...]:
    results: dict[str, ServiceOutcome] = {}
    for name in order:
        results[name] = _outcome(services[name], failed, results)
    affected = (r for r in results.values() if r.outcome is not Outcome.OK)
    return tuple(sorted(affected, key=lambda r: r.application))


def _outcome(
    service: _Service, failed: set[str], earlier: dict[str, ServiceOutcome]
) -> ServiceOutcome:
    needed = _needed(service, earlier)
    if not needed and failed.isdisjoint(service.machines):
        return ServiceOutcome(service.name, Outcome.OK, "unaffected")
    lost = tuple(sorted(h for m in failed for h in service.voters_on.get(m, ())))
    found = [*_own(service, failed, lost), *needed]
    if not found:
        return ServiceOutcome(service.name, Outcome.OK, "unaffected", lost)
    worst = max((f.outcome for f in found), key=lambda o: o.rank)
    chosen = [f for f in found if f.outcome is worst]
    own = [f for f in chosen if not f.needed]
    because = () if own else tuple(d for f in chosen for d in f.needed)
    reason = "; ".join(f.reason for f in own or chosen)
    return ServiceOutcome(service.name, worst, reason, lost, because)


def _own(service: _Service, failed: set[str], lost: tuple[str, ...]) -> list[_Finding]:
    """What the failure does to the service itself: its cluster, quorum, units and data."""
    found: list[_Finding] = []
    total, alive = service.voters, service.voters - len(lost)
    members = "members" if service.quorum else "units"
    gone = f" ({', '.join(lost)} lost)" if lost else ""
    cluster_lost = sorted(h for m in failed for h in service.cluster_on.get(m, ()))
    size = service.cluster_size
    if size and size - len(cluster_lost) < quorum_size(size):
        found.append(
            _Finding(
                Outcome.DOWN,
                f"its Pacemaker cluster keeps {size - len(cluster_lost)} of {size} hosts "
                f"({', '.join(cluster_lost)} lost), below quorum ({quorum_size(size)}): "
                "the VIP stops",
            )
        )
    if service.quorum and alive < quorum_size(total):
        found.append(
            _Finding(
                Outcome.DOWN,
                f"{alive} of {total} members left{gone}; quorum needs {quorum_size(total)}",
            )
        )
    elif alive == 0 and total and not service.holds_for:
        found.append(_Finding(Outcome.DOWN, f"no unit left of {total}{gone}"))
    if service.store is not None:
        verdict = storage.judge(service.store, failed)
        if verdict.outcome is not Outcome.OK:
            found.append(_Finding(verdict.outcome, f"{verdict.where}: {verdict.meaning}"))
    if lost and service.holds_for:
        for store in service.holds_for:
            verdict = storage.judge(store, failed)
            reason = f"{alive} of {total} units left{gone}; {store.owner}'s {verdict.meaning}"
            found.append(_Finding(verdict.outcome, reason))
    elif lost:
        reason = f"{alive} of {total} {members} left{gone}, still serving"
        found.append(_Finding(Outcome.DEGRADED, reason))
    return found


def _needed(service: _Service, earlier: dict[str, ServiceOutcome]) -> list[_Finding]:
    down = tuple(d for d in service.needs if earlier.get(d, _OK).outcome is Outcome.DOWN)
    if not down:
        return []
    verb = "is" if len(down) == 1 else "are"
    return [_Finding(Outcome.DOWN, f"needs {names(list(down))}, which {verb} down", down)]


_OK = ServiceOutcome("", Outcome.OK, "")


def _by_machine(hosts: Sequence[str], machine_of: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = collections.defaultdict(list)
    for host in hosts:
        out[machine_of[host]].append(host)
    return dict(out)


def _pair_at(machines: list[str], index: int) -> tuple[str, str]:
    """The index-th pair of the lexicographic combinations of *machines*."""
    n = len(machines)
    first = 0
    while index >= n - 1 - first:
        index -= n - 1 - first
        first += 1
    return machines[first], machines[first + 1 + index]


def _machine_key(machine: str) -> tuple[int, str]:
    return (int(machine), "") if machine.isdigit() else (1 << 30, machine)
