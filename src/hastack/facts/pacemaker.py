"""``crm_mon --output-as=xml -1`` (Pacemaker 2.1) → ``ClusterStatus``."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from lxml import etree

from . import Fact, ParseError, xml_root

_SOURCE = "crm_mon XML"
_COLLECTIVES = frozenset(("clone", "group", "bundle", "replica"))
_RUNNING_ROLES = frozenset(("Started", "Promoted", "Unpromoted", "Master", "Slave"))


@dataclasses.dataclass(frozen=True)
class Node:
    name: str
    online: bool
    standby: bool
    unclean: bool
    is_dc: bool
    maintenance: bool
    pending: bool = False
    shutdown: bool = False


@dataclasses.dataclass(frozen=True)
class Resource:
    """One primitive instance; a clone yields one per instance, all with the same ``id``."""

    id: str
    agent: str  # "ocf:heartbeat:IPaddr2", "lsb:haproxy", "stonith:fence_ipmilan"
    role: str  # "Started", "Stopped", "Promoted", ...
    active: bool
    failed: bool
    managed: bool
    nodes: tuple[str, ...]  # where it runs (more than one: running where it should not)
    parents: tuple[str, ...] = ()  # enclosing clone/group/bundle ids, outermost first

    @property
    def parent(self) -> str | None:
        return self.parents[-1] if self.parents else None

    @property
    def is_stonith(self) -> bool:
        return self.agent.startswith("stonith:")

    @property
    def running(self) -> bool:
        return self.active and not self.failed and self.role in _RUNNING_ROLES and bool(self.nodes)

    def belongs_to(self, resource_id: str) -> bool:
        """True for its own id and for the id of any enclosing clone, group or bundle."""
        return resource_id == self.id or resource_id in self.parents


@dataclasses.dataclass(frozen=True)
class FailedAction:
    resource: str
    operation: str  # "monitor", "start", ...
    interval_ms: int  # 0 for a probe or a one-shot action
    node: str
    exit_status: str  # "not running", "error", ...
    exit_code: int
    exit_reason: str
    last_change: str

    @property
    def label(self) -> str:
        """ "monitor (10s)", "probe", "start"."""
        if self.operation == "monitor" and self.interval_ms == 0:
            return "probe"
        if self.interval_ms:
            seconds = self.interval_ms / 1000
            return f"{self.operation} ({seconds:g}s)"
        return self.operation


@dataclasses.dataclass(frozen=True)
class FenceEvent:
    target: str
    action: str  # "reboot", "off", "on"
    status: str  # "success", "failed", "pending"
    origin: str
    delegate: str
    completed: str
    exit_reason: str = ""


@dataclasses.dataclass(frozen=True)
class ClusterStatus:
    nodes: tuple[Node, ...]
    have_quorum: bool
    dc: str | None
    stonith_enabled: bool
    resources: tuple[Resource, ...]
    failed_actions: tuple[FailedAction, ...]
    fence_history: tuple[FenceEvent, ...] = ()  # newest first, as crm_mon lists it

    def node(self, name: str) -> Node | None:
        return next((n for n in self.nodes if n.name == name), None)

    def instances(self, resource_id: str) -> tuple[Resource, ...]:
        """Every primitive instance that is, or belongs to, *resource_id*."""
        return tuple(r for r in self.resources if r.belongs_to(resource_id))


def parse_crm_mon(xml: str) -> ClusterStatus:
    """Parse the output of ``crm_mon --output-as=xml -1``."""
    root = _root(xml)
    summary = root.find("summary")
    nodes_el = root.find("nodes")
    if summary is None or nodes_el is None:
        raise ParseError(_SOURCE, "no <summary> or <nodes>; is this `crm_mon --output-as=xml`?")
    dc_el = summary.find("current_dc")
    dc_present = dc_el is not None and _flag(dc_el, "present")
    options = summary.find("cluster_options")
    resources_el = root.find("resources")
    failures_el = root.find("failures")
    fencing_el = root.find("fence_history")
    return ClusterStatus(
        nodes=tuple(_node(el) for el in nodes_el.iter("node")),
        have_quorum=dc_present and dc_el is not None and _flag(dc_el, "with_quorum"),
        dc=dc_el.get("name") if dc_present and dc_el is not None else None,
        stonith_enabled=options is None or _flag(options, "stonith-enabled", default=True),
        resources=tuple(_resources(resources_el, ())) if resources_el is not None else (),
        failed_actions=tuple(_failure(el) for el in failures_el.iter("failure"))
        if failures_el is not None
        else (),
        fence_history=tuple(_fence_event(el) for el in fencing_el.iter("fence_event"))
        if fencing_el is not None
        else (),
    )


CRM_MON: Fact[ClusterStatus] = Fact(
    "the Pacemaker cluster status", ("crm_mon", "--output-as=xml", "-1"), parse_crm_mon
)


def _root(xml: str) -> etree._Element:
    root = xml_root(xml, _SOURCE, "pacemaker-result")
    status = root.find("status")
    if status is not None and status.get("code", "0") != "0":
        raise ParseError(
            _SOURCE, f"crm_mon reported error {status.get('code')}: {status.get('message', '')}"
        )
    return root


def _flag(el: etree._Element, name: str, *, default: bool = False) -> bool:
    value = el.get(name)
    return default if value is None else value == "true"


def _required(el: etree._Element, name: str) -> str:
    value = el.get(name)
    if value is None:
        raise ParseError(_SOURCE, f"<{el.tag}> on line {el.sourceline} has no {name!r} attribute")
    return str(value)


def _node(el: etree._Element) -> Node:
    return Node(
        name=_required(el, "name"),
        online=_flag(el, "online"),
        standby=_flag(el, "standby"),
        unclean=_flag(el, "unclean"),
        is_dc=_flag(el, "is_dc"),
        maintenance=_flag(el, "maintenance"),
        pending=_flag(el, "pending"),
        shutdown=_flag(el, "shutdown"),
    )


def _resources(parent: etree._Element, parents: tuple[str, ...]) -> Iterator[Resource]:
    for el in parent:
        if el.tag == "resource":
            yield Resource(
                id=_required(el, "id"),
                agent=el.get("resource_agent", ""),
                role=el.get("role", "Unknown"),
                active=_flag(el, "active"),
                failed=_flag(el, "failed"),
                managed=_flag(el, "managed", default=True),
                nodes=tuple(_required(n, "name") for n in el.iter("node")),
                parents=parents,
            )
        elif el.tag in _COLLECTIVES:
            own = el.get("id")
            # a bundle's <replica id="0"> is an index, not a resource id
            inner = (*parents, own) if own is not None and el.tag != "replica" else parents
            yield from _resources(el, inner)


def _failure(el: etree._Element) -> FailedAction:
    task = el.get("task", "")
    interval = int(el.get("interval", "0") or 0)
    resource = el.get("resource") or _resource_from_op_key(_required(el, "op_key"), task, interval)
    return FailedAction(
        resource=resource,
        operation=task,
        interval_ms=interval,
        node=_required(el, "node"),
        exit_status=el.get("exitstatus", ""),
        exit_code=int(el.get("exitcode", "1") or 1),
        exit_reason=el.get("exitreason", ""),
        last_change=el.get("last-rc-change", ""),
    )


def _resource_from_op_key(op_key: str, task: str, interval: int) -> str:
    suffix = f"_{task}_{interval}"
    if task and op_key.endswith(suffix):
        return op_key[: -len(suffix)]
    return op_key.rsplit("_", 2)[0]


def _fence_event(el: etree._Element) -> FenceEvent:
    return FenceEvent(
        target=_required(el, "target"),
        action=el.get("action", ""),
        status=el.get("status", ""),
        origin=el.get("origin", ""),
        delegate=el.get("delegate", ""),
        completed=el.get("completed", ""),
        exit_reason=el.get("exit-reason", ""),
    )
