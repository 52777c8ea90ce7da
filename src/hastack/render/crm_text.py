"""The CIB as crm shell text (``crm configure load update``), for humans and reviews."""

from __future__ import annotations

from collections.abc import Iterable

from .base import header
from .cib import Alert, Cib, Clone, Primitive

INDENT = "    "


def to_crm(cib: Cib) -> str:
    lines: list[str] = [header().rstrip("\n")]
    lines += [f"node {node.nodeid}: {node.name}" for node in cib.nodes]
    for primitive in cib.primitives:
        lines += _primitive(primitive)
    lines += [_clone(clone) for clone in cib.clones]
    lines += [
        f"location {loc.id} {loc.rsc} {_score(loc.score)}: {loc.node}" for loc in cib.locations
    ]
    lines += [
        f"colocation {col.id} {_score(col.score)}: {col.rsc} {col.with_rsc}"
        for col in cib.colocations
    ]
    lines += [f"order {o.id} {o.kind}: {o.first} {o.then}" for o in cib.orders]
    lines += _nvset("property", "cib-bootstrap-options", cib.properties)
    lines += _nvset("rsc_defaults", "rsc-options", cib.rsc_defaults)
    lines += _nvset("op_defaults", "op-options", cib.op_defaults)
    lines += [_alert(alert) for alert in cib.alerts]
    return "\n".join(lines) + "\n"


def _primitive(primitive: Primitive) -> list[str]:
    parts = [f"primitive {primitive.id} {primitive.agent}"]
    if primitive.params:
        parts.append("params " + " ".join(f"{k}={_quote(v)}" for k, v in primitive.params))
    for op in primitive.ops:
        role = f" role={op.role}" if op.role else ""
        timeout = f" timeout={op.timeout}" if op.timeout else ""
        parts.append(f"op {op.name}{role} interval={op.interval}{timeout}")
    return [(" \\\n" + INDENT).join(parts)]


def _clone(clone: Clone) -> str:
    if not clone.meta:
        return f"clone {clone.id} {clone.child}"
    meta = " ".join(f"{k}={_quote(v)}" for k, v in clone.meta)
    return (" \\\n" + INDENT).join([f"clone {clone.id} {clone.child}", f"meta {meta}"])


def _alert(alert: Alert) -> str:
    parts = [f"alert {alert.id} {_quote(alert.path)}"]
    if alert.meta:
        parts.append("meta " + " ".join(f"{k}={_quote(v)}" for k, v in alert.meta))
    if alert.attributes:
        parts.append("attributes " + " ".join(f"{k}={_quote(v)}" for k, v in alert.attributes))
    parts.append("select " + " ".join(alert.select))
    return (" \\\n" + INDENT).join(parts)


def _nvset(keyword: str, set_id: str, pairs: Iterable[tuple[str, str]]) -> list[str]:
    items = [f"{name}={_quote(value)}" for name, value in pairs]
    return [(" \\\n" + INDENT).join([f"{keyword} {set_id}:", *items])]


def _score(score: str) -> str:
    return {"INFINITY": "inf", "-INFINITY": "-inf"}.get(score, score)


def _quote(value: str) -> str:
    if value and all(c.isalnum() or c in "-_.:/@," for c in value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
