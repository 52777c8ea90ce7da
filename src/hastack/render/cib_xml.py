"""The CIB as XML (lxml), in the schema Pacemaker 2.1.5 validates (pacemaker-3.9)."""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from .base import header
from .cib import Alert, Cib, Primitive

VALIDATE_WITH = "pacemaker-3.9"
FEATURE_SET = "3.16.1"  # what Pacemaker 2.1.5's `cibadmin --empty` writes


def to_xml(cib: Cib) -> str:
    root = etree.Element(
        "cib",
        {
            "validate-with": VALIDATE_WITH,
            "crm_feature_set": FEATURE_SET,
            "admin_epoch": "0",
            "epoch": "1",
            "num_updates": "0",
        },
    )
    config = etree.SubElement(root, "configuration")
    crm_config = etree.SubElement(config, "crm_config")
    _nvset(crm_config, "cluster_property_set", "cib-bootstrap-options", cib.properties)
    nodes = etree.SubElement(config, "nodes")
    for node in cib.nodes:
        etree.SubElement(nodes, "node", {"id": str(node.nodeid), "uname": node.name})
    _resources(etree.SubElement(config, "resources"), cib)
    _constraints(etree.SubElement(config, "constraints"), cib)
    _nvset(
        etree.SubElement(config, "rsc_defaults"),
        "meta_attributes",
        "rsc-options",
        cib.rsc_defaults,
    )
    _nvset(
        etree.SubElement(config, "op_defaults"), "meta_attributes", "op-options", cib.op_defaults
    )
    if cib.alerts:
        _alerts(etree.SubElement(config, "alerts"), cib.alerts)
    etree.SubElement(root, "status")
    etree.indent(root, space="  ")
    # the header comment comes first, before the root (no XML declaration: UTF-8 is implied)
    root.addprevious(etree.Comment(" " + header("").strip() + " "))
    text: str = etree.tostring(root.getroottree(), encoding="unicode", pretty_print=True)
    return text


def _nvset(
    parent: etree._Element, tag: str, set_id: str, pairs: Iterable[tuple[str, str]]
) -> None:
    group = etree.SubElement(parent, tag, {"id": set_id})
    for name, value in pairs:
        etree.SubElement(group, "nvpair", {"id": f"{set_id}-{name}", "name": name, "value": value})


def _resources(parent: etree._Element, cib: Cib) -> None:
    cloned = {clone.child: clone for clone in cib.clones}
    for primitive in cib.primitives:
        clone = cloned.get(primitive.id)
        if clone is None:
            _primitive(parent, primitive)
        else:
            element = etree.SubElement(parent, "clone", {"id": clone.id})
            if clone.meta:
                _nvset(element, "meta_attributes", f"{clone.id}-meta_attributes", clone.meta)
            _primitive(element, primitive)


def _primitive(parent: etree._Element, primitive: Primitive) -> None:
    attrs = {"id": primitive.id, "class": primitive.standard, "type": primitive.type}
    if primitive.provider:
        attrs["provider"] = primitive.provider
    element = etree.SubElement(parent, "primitive", attrs)
    if primitive.params:
        _nvset(
            element, "instance_attributes", f"{primitive.id}-instance_attributes", primitive.params
        )
    if primitive.ops:
        ops = etree.SubElement(element, "operations")
        for op in primitive.ops:
            role = f"-{op.role}" if op.role else ""
            op_attrs = {
                "id": f"{primitive.id}-{op.name}{role}-interval-{op.interval}",
                "name": op.name,
                "interval": op.interval,
            }
            if op.role:
                op_attrs["role"] = op.role
            if op.timeout:
                op_attrs["timeout"] = op.timeout
            etree.SubElement(ops, "op", op_attrs)


def _constraints(parent: etree._Element, cib: Cib) -> None:
    for loc in cib.locations:
        etree.SubElement(
            parent,
            "rsc_location",
            {"id": loc.id, "rsc": loc.rsc, "node": loc.node, "score": loc.score},
        )
    for col in cib.colocations:
        etree.SubElement(
            parent,
            "rsc_colocation",
            {"id": col.id, "rsc": col.rsc, "with-rsc": col.with_rsc, "score": col.score},
        )
    for order in cib.orders:
        etree.SubElement(
            parent,
            "rsc_order",
            {"id": order.id, "first": order.first, "then": order.then, "kind": order.kind},
        )


def _alerts(parent: etree._Element, alerts: Iterable[Alert]) -> None:
    for alert in alerts:
        element = etree.SubElement(parent, "alert", {"id": alert.id, "path": alert.path})
        select = etree.SubElement(element, "select")
        for kind in alert.select:
            etree.SubElement(select, f"select_{kind}")
        if alert.meta:
            _nvset(element, "meta_attributes", f"{alert.id}-meta_attributes", alert.meta)
        if alert.attributes:
            _nvset(
                element, "instance_attributes", f"{alert.id}-instance_attributes", alert.attributes
            )
