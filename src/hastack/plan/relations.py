"""Relations and subordinates that mean something.

A relation joins two different applications through an interface one provides and the
other requires (the catalog's ``endpoints``, as the charms' ``metadata.yaml`` declare
them), once. A subordinate (hacluster) rides on exactly one principal that can use it; an
arbitrator (garbd) votes in exactly one cluster; an application related to hacluster
gives Pacemaker a VIP to hold. A kind related to nothing it needs is reported too.
"""

from __future__ import annotations

import collections
from collections.abc import Iterator

from .. import catalog
from ..catalog import HaModel, RelationEndpoint, ServiceKind
from ..errors import Finding
from ..topology import Endpoint, Relation, Topology
from ..topology.document import did_you_mean
from .findings import finding_at, finding_on
from .model import Host, Unit

# Why a principal of each HA model gains nothing from a subordinate cluster manager.
CANNOT_USE_A_CLUSTER = {
    HaModel.NATIVE_CLUSTER: "it clusters by itself and its clients list every member, so "
    "Pacemaker would hold no VIP and only add a second cluster manager",
    HaModel.PER_HOST: "it runs once per host and is not made highly available by a VIP (a "
    "dead host is fenced and its work moved instead)",
    HaModel.ACTIVE_PASSIVE: "hastack does not run its agents as Pacemaker resources, so the "
    "cluster would hold nothing",
    HaModel.STATELESS_API: "it has no endpoint for it",
    HaModel.SUBORDINATE: "it is a subordinate too, and a subordinate runs inside a principal",
}


def kind_of(topo: Topology, app: str) -> ServiceKind | None:
    return catalog.by_charm(topo.applications[app].charm)


def check_relation_ends(
    topo: Topology, hosts: tuple[Host, ...], units: tuple[Unit, ...]
) -> list[Finding]:
    """Every relation joins two applications through a matching pair of endpoints, once."""
    out: list[Finding] = []
    first: dict[frozenset[tuple[str, str | None]], Relation] = {}
    for relation in topo.relations:
        problem = _meaningless(topo, relation)
        if problem is not None:
            out.append(finding_on(relation, problem))
            continue
        key = _identity(topo, relation)
        if key in first:
            out.append(finding_on(relation, _twice(relation, first[key]), "warning"))
        first.setdefault(key, relation)
    return out


def check_subordinates(
    topo: Topology, hosts: tuple[Host, ...], units: tuple[Unit, ...]
) -> list[Finding]:
    """A subordinate rides on one principal, and a principal carries one of each kind."""
    out: list[Finding] = []
    carried: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    for name, kind in _kinds(topo, HaModel.SUBORDINATE):
        app = topo.applications[name]
        principals = _principals(topo, name)
        for principal in principals:
            carried[principal, kind.name].append(name)
        path = f"applications.{name}"
        if not principals:
            out.append(finding_at(app, path, _no_principal(name, kind), "warning"))
        elif len(principals) > 1:
            out.append(finding_at(app, path, _two_principals(name, kind, principals)))
    for (principal, kind_name), subordinates in sorted(carried.items()):
        if len(subordinates) > 1:
            message = _two_subordinates(principal, kind_name, subordinates)
            out.append(
                finding_at(topo.applications[principal], f"applications.{principal}", message)
            )
    return out


def check_vips_to_hold(
    topo: Topology, hosts: tuple[Host, ...], units: tuple[Unit, ...]
) -> list[Finding]:
    """A principal related to hacluster gives Pacemaker a VIP to hold."""
    out: list[Finding] = []
    for name, kind in _kinds(topo, HaModel.SUBORDINATE):
        for principal in _principals(topo, name):
            app = topo.applications[principal]
            if app.vips() or not _usable(topo, principal, name):
                continue
            message = (
                f"{principal} is related to {name} ({kind.name}) but sets no vip, so Pacemaker "
                f"has no address to move and clients have no single address for {principal}; "
                f"set options.vip to a free address, or remove the relation [{principal}, {name}]"
            )
            out.append(
                finding_at(app, f"applications.{principal}.options.vip", message, "warning")
            )
    return out


def check_arbitrators(
    topo: Topology, hosts: tuple[Host, ...], units: tuple[Unit, ...]
) -> list[Finding]:
    """An arbitrator (garbd) votes in one cluster of the kind it arbitrates, not none or two."""
    out: list[Finding] = []
    for voted in catalog.KINDS:
        if voted.quorum is None or voted.quorum.arbitrator is None:
            continue
        present = any(_is(topo, other, voted.name) for other in topo.applications)
        for name, _ in _kinds_named(topo, voted.quorum.arbitrator):
            app = topo.applications[name]
            clusters = [o for o in topo.related(name) if _is(topo, o, voted.name)]
            path = f"applications.{name}"
            if not present:  # with one present, check_needed_relations asks for the relation
                message = (
                    f"{name} ({voted.quorum.arbitrator}) arbitrates {voted.name} clusters, but "
                    f"the bundle has none, so it votes in no quorum and its units do nothing; "
                    f"add the {voted.name} cluster it should arbitrate and relate the two, or "
                    f"remove {name}"
                )
                out.append(finding_at(app, path, message, "warning"))
            elif len(clusters) > 1:
                message = (
                    f"{name} ({voted.quorum.arbitrator}) is related to {len(clusters)} "
                    f"{voted.name} applications ({', '.join(clusters)}), but an arbitrator "
                    f"joins one cluster, so it would be counted as a vote in each; give each "
                    f"{voted.name} cluster its own {voted.quorum.arbitrator} application"
                )
                out.append(finding_at(app, path, message))
    return out


def check_needed_relations(
    topo: Topology, hosts: tuple[Host, ...], units: tuple[Unit, ...]
) -> list[Finding]:
    """A kind that needs another kind present in the bundle must be related to it."""
    present: dict[str, list[str]] = collections.defaultdict(list)
    for name in sorted(topo.applications):
        kind = kind_of(topo, name)
        if kind is not None:
            present[kind.name].append(name)
    out = []
    for name, app in sorted(topo.applications.items()):
        kind = kind_of(topo, name)
        if kind is None:
            continue
        related = {k.name for other in topo.related(name) if (k := kind_of(topo, other))}
        wanted = dict.fromkeys((*kind.starts_after, *kind.needs))
        served = {k for group in kind.either if related & set(group) for k in group}
        for needed in wanted:
            if needed in present and needed not in related and needed not in served:
                candidates = " or ".join(present[needed])
                out.append(
                    finding_at(
                        app,
                        "relations",
                        f"{name} ({kind.name}) needs {needed} but is not related to "
                        f"{candidates}; add the relation [{name}, {present[needed][0]}]",
                        "warning",
                    )
                )
    return out


def _meaningless(topo: Topology, relation: Relation) -> str | None:
    """Why *relation* cannot mean anything, or None when it can."""
    a, b = relation.applications()
    if a == b:
        return (
            f"this relates {a} to itself, which means nothing: the units of one application "
            f"already reach each other (Juju's peer relation); remove it"
        )
    kind_a, kind_b = kind_of(topo, a), kind_of(topo, b)
    if kind_a is None or kind_b is None:
        return None  # an unknown charm is reported where it is named
    for end, kind in ((relation.a, kind_a), (relation.b, kind_b)):
        if end.name is not None and end.name not in {e.name for e in kind.endpoints}:
            return _no_such_endpoint(end, kind)
    if _matches(relation, kind_a, kind_b):
        return None
    for sub, sub_kind, other, other_kind in ((a, kind_a, b, kind_b), (b, kind_b, a, kind_a)):
        if sub_kind.ha_model is HaModel.SUBORDINATE:
            why = CANNOT_USE_A_CLUSTER[other_kind.ha_model]
            return (
                f"{other} ({other_kind.name}) cannot use the {sub_kind.name} subordinate "
                f"{sub}: {why}; remove the relation [{other}, {sub}]"
            )
    named = relation.a.name is not None or relation.b.name is not None
    what = (
        f"the endpoints {relation.a} and {relation.b} do not fit"
        if named
        else (f"{a} ({kind_a.name}) and {b} ({kind_b.name}) share no interface")
    )
    return (
        f"{what}: {relation.a} {_offers(kind_a, relation.a)}, and {relation.b} "
        f"{_offers(kind_b, relation.b)}, so Juju "
        f"would refuse the relation and nothing would pass over it; remove it, or relate "
        f"each to an application that provides what it requires"
    )


def _matches(
    relation: Relation, kind_a: ServiceKind, kind_b: ServiceKind
) -> list[tuple[RelationEndpoint, RelationEndpoint]]:
    """The endpoint pairs *relation* can join: one interface, one provider, one requirer."""
    return [
        (x, y)
        for x in _ends(kind_a, relation.a)
        for y in _ends(kind_b, relation.b)
        if x.interface == y.interface and x.provides != y.provides
    ]


def _ends(kind: ServiceKind, end: Endpoint) -> Iterator[RelationEndpoint]:
    return (e for e in kind.endpoints if end.name is None or e.name == end.name)


def _identity(topo: Topology, relation: Relation) -> frozenset[tuple[str, str | None]]:
    """What makes a relation itself: its applications and, when known, their endpoints."""
    a, b = relation.a, relation.b
    kind_a, kind_b = kind_of(topo, a.application), kind_of(topo, b.application)
    pairs = _matches(relation, kind_a, kind_b) if kind_a and kind_b else []
    if len(pairs) == 1:
        (x, y) = pairs[0]
        return frozenset(((a.application, x.name), (b.application, y.name)))
    return frozenset(((a.application, a.name), (b.application, b.name)))


def _principals(topo: Topology, subordinate: str) -> list[str]:
    """The applications *subordinate* runs inside: its related principals."""
    return [
        other
        for other in topo.related(subordinate)
        if (k := kind_of(topo, other)) is not None and k.ha_model is not HaModel.SUBORDINATE
    ]


def _usable(topo: Topology, principal: str, subordinate: str) -> bool:
    kind_p, kind_s = kind_of(topo, principal), kind_of(topo, subordinate)
    plain = Relation(Endpoint(principal), Endpoint(subordinate))
    return bool(kind_p and kind_s and _matches(plain, kind_p, kind_s))


def _kinds(topo: Topology, model: HaModel) -> Iterator[tuple[str, ServiceKind]]:
    for name in sorted(topo.applications):
        kind = kind_of(topo, name)
        if kind is not None and kind.ha_model is model:
            yield name, kind


def _kinds_named(topo: Topology, kind_name: str) -> Iterator[tuple[str, ServiceKind]]:
    for name in sorted(topo.applications):
        kind = kind_of(topo, name)
        if kind is not None and kind.name == kind_name:
            yield name, kind


def _is(topo: Topology, app: str, kind_name: str) -> bool:
    kind = kind_of(topo, app)
    return kind is not None and kind.name == kind_name


def _offers(kind: ServiceKind, end: Endpoint) -> str:
    given = sorted({e.interface for e in _ends(kind, end) if e.provides})
    taken = sorted({e.interface for e in _ends(kind, end) if not e.provides})
    parts = [f"provides {', '.join(given)}"] if given else []
    parts += [f"requires {', '.join(taken)}"] if taken else []
    return " and ".join(parts) or "takes no relations"


def _no_such_endpoint(end: Endpoint, kind: ServiceKind) -> str:
    names = sorted(e.name for e in kind.endpoints)
    return (
        f"{end.application} ({kind.name}) has no endpoint '{end.name}'"
        f"{did_you_mean(end.name or '', names)}, so Juju would refuse this relation; name one "
        f"of its endpoints ({', '.join(names)}) or leave the endpoint out"
    )


def _twice(relation: Relation, first: Relation) -> str:
    line = f", line {first.source.line}" if first.source and first.source.line else ""
    a, b = relation.applications()
    return (
        f"{a} and {b} are already related through the same endpoints ({first.path}{line}); "
        f"a relation exists once, so this one adds nothing; remove it"
    )


def _no_principal(name: str, kind: ServiceKind) -> str:
    return (
        f"{name} ({kind.name}) is related to no principal application, so it has no units "
        f"and does nothing (a subordinate runs only inside the units of a principal); relate "
        f"it to the application it should serve, or remove it"
    )


def _two_principals(name: str, kind: ServiceKind, principals: list[str]) -> str:
    return (
        f"{name} ({kind.name}) is related to {len(principals)} principals "
        f"({', '.join(principals)}), but the charm makes one cluster of every unit it runs "
        f"in while hastack builds clusters from the hosts principals share, so Juju and "
        f"hastack would build different clusters from this bundle; give each principal its "
        f"own {kind.name} application"
    )


def _two_subordinates(principal: str, kind_name: str, subordinates: list[str]) -> str:
    return (
        f"{principal} is related to {len(subordinates)} {kind_name} applications "
        f"({', '.join(subordinates)}), but a host runs one {kind_name}, so they would claim "
        f"the same units; relate {principal} to one of them and remove the other relations"
    )
