"""The ``relations:`` section: pairs of endpoints, and juju-deployer's one-to-many pairs."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from .document import Report, describe, did_you_mean, is_list
from .model import Endpoint, Relation, Source

_PAIR_EXAMPLE = "such as `[keystone, mysql]` or `[keystone:shared-db, mysql:shared-db]`"


def read_relations(
    report: Report,
    section: Any,
    path: str,
    applications: Collection[str],
    at: Source | None,
) -> tuple[Relation, ...]:
    """Every relation in *section*; both ends must name one of *applications*."""
    if section is None:
        return ()
    if not is_list(section):
        report.error(
            path,
            f"relations is {describe(section)}; it must be a list of pairs, {_PAIR_EXAMPLE}.",
            at,
        )
        return ()
    out: list[Relation] = []
    for index, pair in enumerate(section):
        where, at = f"{path}[{index}]", report.item_at(section, index)
        if not is_list(pair) or len(pair) != 2:
            count = f"is {describe(pair)}"
            if is_list(pair):
                count = f"names {len(pair)} endpoint{'' if len(pair) == 1 else 's'}"
            report.error(
                where,
                f"this relation {count}; a relation joins exactly two applications, "
                f"{_PAIR_EXAMPLE}.",
                at,
            )
            continue
        out.extend(_pairs(report, pair, where, at, applications))
    return tuple(out)


def _pairs(
    report: Report, pair: Any, path: str, at: Source | None, applications: Collection[str]
) -> list[Relation]:
    first = _endpoint(report, pair[0], f"{path}[0]", report.item_at(pair, 0), applications)
    others = pair[1] if is_list(pair[1]) else [pair[1]]  # juju-deployer: [a, [b, c]]
    out: list[Relation] = []
    for index, other in enumerate(others):
        if is_list(pair[1]):
            where, other_at = f"{path}[1][{index}]", report.item_at(pair[1], index)
        else:
            where, other_at = f"{path}[1]", report.item_at(pair, 1)
        second = _endpoint(report, other, where, other_at, applications)
        if first is not None and second is not None:
            if is_list(pair[1]):
                out.append(Relation(first, second, other_at, where))
            else:
                out.append(Relation(first, second, at, path))
    return out


def _endpoint(
    report: Report, value: Any, path: str, at: Source | None, applications: Collection[str]
) -> Endpoint | None:
    if not isinstance(value, str) or not value.strip():
        report.error(
            path,
            f"this end of the relation is {describe(value)}; write an application name, "
            "optionally with its endpoint: 'mysql' or 'mysql:shared-db'.",
            at,
        )
        return None
    app, _, name = value.strip().partition(":")
    if app not in applications:
        report.error(
            path,
            f"the relation names '{app}', which is not an application in this bundle"
            f"{did_you_mean(app, applications)}; add that application or correct the name.",
            at,
        )
        return None
    return Endpoint(app, name or None)
