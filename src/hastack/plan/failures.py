"""Failure analysis: for every machine (and every pair), which services stay up and why.

A service is *down* when it loses quorum (fewer than floor(n/2)+1 voters), when no unit is
left, when the Pacemaker cluster holding its VIP loses quorum (``no-quorum-policy=stop``), or
when a service it depends on is down. It is *degraded* when it runs with fewer units.
"""

from __future__ import annotations

import collections
import dataclasses
import itertools
import random
from collections.abc import Sequence

from .. import catalog
from ..catalog import HaModel
from ..topology import Topology
from .model import Cluster, FailureCase, Host, Outcome, Phase, ServiceOutcome, Unit
from .validate import quorum_size

PAIR_SAMPLE_ABOVE = 60  # machines; above this, pairs are sampled
PAIR_SAMPLE_SIZE = PAIR_SAMPLE_ABOVE * (PAIR_SAMPLE_ABOVE - 1) // 2


@dataclasses.dataclass(frozen=True)
class _Service:
    name: str
    quorum: bool  # a quorum service: needs a majority of voters
    per_machine: dict[str, int]  # machine -> voters (units + arbitrator units)
    total: int
    cluster_machines: tuple[str, ...]  # machines of its Pacemaker cluster, if HA
    depends: tuple[str, ...]


def analyse(
    topo: Topology,
    hosts: tuple[Host, ...],
    units: tuple[Unit, ...],
    clusters: tuple[Cluster, ...],
    phases: tuple[Phase, ...],
    graph: dict[str, set[str]],
) -> tuple[tuple[FailureCase, ...], tuple[FailureCase, ...], bool]:
    """Single failures, pair failures, and whether the pairs were sampled."""
    machine_of = {h.name: h.machine for h in hosts}
    services = _services(topo, units, clusters, graph, machine_of)
    order = [app for phase in phases for app in phase.applications if app in services]
    machines = sorted({h.machine for h in hosts}, key=_machine_key)
    host_names: dict[str, list[str]] = collections.defaultdict(list)
    for host in hosts:
        host_names[host.machine].append(host.name)

    def case(failed: Sequence[str]) -> FailureCase:
        affected = _evaluate(services, order, set(failed))
        names = tuple(h for m in failed for h in host_names[m])
        return FailureCase(tuple(failed), names, affected)

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


def _services(
    topo: Topology,
    units: tuple[Unit, ...],
    clusters: tuple[Cluster, ...],
    graph: dict[str, set[str]],
    machine_of: dict[str, str],
) -> dict[str, _Service]:
    out: dict[str, _Service] = {}
    for name, app in topo.applications.items():
        kind = catalog.by_charm(app.charm)
        if kind is None or kind.ha_model is HaModel.SUBORDINATE:
            continue
        per_machine: collections.Counter[str] = collections.Counter(
            machine_of[u.host] for u in units if u.application == name
        )
        if kind.quorum is not None:
            for other in topo.related(name):
                other_kind = catalog.by_charm(topo.applications[other].charm)
                if other_kind is not None and other_kind.name == kind.quorum.arbitrator:
                    per_machine.update(machine_of[u.host] for u in units if u.application == other)
        cluster = next((c for c in clusters if name in c.applications), None)
        cluster_machines = tuple(machine_of[h] for h in cluster.hosts) if cluster else ()
        out[name] = _Service(
            name,
            kind.quorum is not None,
            dict(per_machine),
            sum(per_machine.values()),
            cluster_machines,
            tuple(sorted(graph.get(name, ()))),
        )
    return out


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
    lost = sum(count for machine, count in service.per_machine.items() if machine in failed)
    alive = service.total - lost
    name = service.name
    if service.cluster_machines:
        members = len(service.cluster_machines)
        left = sum(1 for m in service.cluster_machines if m not in failed)
        if left < quorum_size(members):
            return ServiceOutcome(
                name,
                Outcome.DOWN,
                f"its Pacemaker cluster keeps {left} of {members} hosts, below quorum "
                f"({quorum_size(members)}): the VIP stops",
            )
    if service.quorum and alive < quorum_size(service.total):
        return ServiceOutcome(
            name,
            Outcome.DOWN,
            f"{alive} of {service.total} members left; quorum needs {quorum_size(service.total)}",
        )
    if alive == 0:
        return ServiceOutcome(name, Outcome.DOWN, f"no unit left of {service.total}")
    down_deps = [d for d in service.depends if earlier.get(d, _OK).outcome is Outcome.DOWN]
    if down_deps:
        return ServiceOutcome(name, Outcome.DOWN, f"needs {', '.join(down_deps)}, which is down")
    if alive < service.total:
        return ServiceOutcome(
            name, Outcome.DEGRADED, f"{alive} of {service.total} units left, still serving"
        )
    return ServiceOutcome(name, Outcome.OK, "unaffected")


_OK = ServiceOutcome("", Outcome.OK, "")


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
