"""juju-deployer files: named deployments, one of which is read, merged with its parents.

A juju-deployer file maps deployment names to ``{series, inherits, services, relations}``.
hastack reads the first deployment that no other inherits from and merges what it
inherits the way juju-deployer does: mappings merge key by key (the child wins),
``relations`` lists are concatenated, anything else is replaced.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .document import Report, check_keys, describe, did_you_mean, is_list, is_mapping, items

DEPLOYMENT_KEYS = frozenset(("services", "relations", "series", "inherits", "description"))


def looks_like_deployer(doc: Any, bundle_keys: frozenset[str]) -> bool:
    """True when no top-level key is a bundle key and some value looks like a deployment."""
    if any(str(key) in bundle_keys for key in doc):
        return False
    return any(is_mapping(v) and ("services" in v or "inherits" in v) for v in doc.values())


def flatten(report: Report, doc: Any, skip: frozenset[str]) -> tuple[str, Any]:
    """The chosen deployment's name and its body merged with every deployment it inherits."""
    deployments: dict[str, Any] = {}
    for name, body in items(doc):
        if name in skip:
            continue
        if not is_mapping(body):
            report.error(
                name,
                f"the deployment '{name}' is {describe(body)}; a juju-deployer deployment is a "
                "mapping with `services:` and `relations:`.",
                report.key_at(doc, name),
            )
            continue
        check_keys(report, body, name, DEPLOYMENT_KEYS, f"the deployment '{name}'")
        deployments[name] = body
    if not deployments:
        return "", CommentedMap()
    chosen = _choose(report, doc, deployments)
    return chosen, _merged(report, deployments, chosen, ())


def _parents(body: Any) -> list[Any]:
    inherits = body.get("inherits")
    if inherits is None:
        return []
    return list(inherits) if is_list(inherits) else [inherits]


def _choose(report: Report, doc: Any, deployments: dict[str, Any]) -> str:
    inherited = {str(p) for body in deployments.values() for p in _parents(body)}
    leaves = [name for name in deployments if name not in inherited] or list(deployments)
    if len(leaves) > 1:
        report.warn(
            leaves[0],
            f"the file holds {len(leaves)} deployments that nothing inherits from "
            f"({', '.join(leaves)}); hastack read the first, '{leaves[0]}'. To deploy another, "
            "move it above the others.",
            report.key_at(doc, leaves[0]),
        )
    return leaves[0]


def _merged(report: Report, deployments: dict[str, Any], name: str, chain: tuple[str, ...]) -> Any:
    body = deployments[name]
    merged: Any = CommentedMap()
    for parent in _parents(body):
        where = report.value_at(body, "inherits")
        if not isinstance(parent, str) or parent not in deployments:
            report.error(
                f"{name}.inherits",
                f"'{name}' inherits from {describe(parent)}, which is not a deployment in this "
                f"file{did_you_mean(str(parent), deployments)}; name one of "
                f"{', '.join(deployments)}.",
                where,
            )
        elif parent in chain or parent == name:
            report.error(
                f"{name}.inherits",
                f"'{name}' inherits from '{parent}', which inherits from '{name}' in turn; "
                "remove one of the two `inherits:`.",
                where,
            )
        else:
            merged = _merge(merged, _merged(report, deployments, parent, (*chain, name)))
    return _merge(merged, body)


def _merge(base: Any, over: Any, key: str = "") -> Any:
    """*over* merged onto *base* as juju-deployer does, keeping every line number."""
    if is_mapping(base) and is_mapping(over):
        out = CommentedMap()
        for source in (base, over):
            for k, value in source.items():
                out[k] = _merge(out[k], value, str(k)) if k in out and source is over else value
                if source.lc.data and k in source.lc.data:
                    out.lc.add_kv_line_col(k, source.lc.data[k])
        out.pop("inherits", None)
        out.lc.line, out.lc.col = over.lc.line, over.lc.col
        return out
    if key == "relations" and is_list(base) and is_list(over):
        seq = CommentedSeq([*base, *over])
        for offset, source in ((0, base), (len(base), over)):
            for index, position in (source.lc.data or {}).items():
                seq.lc.add_idx_line_col(offset + index, position)
        seq.lc.line, seq.lc.col = over.lc.line, over.lc.col
        return seq
    return over
