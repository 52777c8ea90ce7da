"""Start phases derived from relations (Red Hat whitepaper, figure 1), never hand-listed.

An application starts after every related application whose kind it depends on: database
and messaging, then identity, then image/block/network, then compute, then the dashboard.
"""

from __future__ import annotations

import graphlib
from collections.abc import Callable

from .. import catalog
from ..catalog import HaModel, ServiceKind
from ..errors import Finding
from ..topology import Topology
from .model import Phase


def starts_after(kind: ServiceKind) -> tuple[str, ...]:
    return kind.starts_after


def needs(kind: ServiceKind) -> tuple[str, ...]:
    return kind.needs


def dependencies(
    topo: Topology, on: Callable[[ServiceKind], tuple[str, ...]] = starts_after
) -> dict[str, set[str]]:
    """application -> the related applications whose kind is *on* its kind: by default the
    ones it must start after; the failure analysis asks for what it needs at runtime."""
    kinds = {
        name: kind
        for name, app in topo.applications.items()
        if (kind := catalog.by_charm(app.charm)) is not None
        and kind.ha_model is not HaModel.SUBORDINATE
    }
    graph: dict[str, set[str]] = {name: set() for name in kinds}
    for relation in topo.relations:
        a, b = relation.applications()
        if a not in kinds or b not in kinds:
            continue
        if kinds[b].name in on(kinds[a]):
            graph[a].add(b)
        if kinds[a].name in on(kinds[b]):
            graph[b].add(a)
    return graph


def phases(topo: Topology) -> tuple[tuple[Phase, ...], list[Finding]]:
    graph = dependencies(topo)
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter(graph)
    try:
        sorter.prepare()
    except graphlib.CycleError as error:
        cycle: list[str] = list(error.args[1])
        return (), [
            Finding(
                "relations",
                "the start order has a cycle: "
                + " -> ".join(cycle)
                + "; each of these waits for the next, so none can start first. Remove "
                "one of these relations",
            )
        ]
    out: list[Phase] = []
    while sorter.is_active():
        ready = tuple(sorted(sorter.get_ready()))
        out.append(Phase(len(out) + 1, ready, _reason(ready, graph)))
        sorter.done(*ready)
    return tuple(out), []


def _reason(ready: tuple[str, ...], graph: dict[str, set[str]]) -> str:
    needs = sorted({dep for app in ready for dep in graph[app]})
    if not needs:
        return "no dependencies"
    return "after " + ", ".join(needs)
