"""Where a planner finding points: the line and column of what it is about.

A finding about an application's value (``applications.keystone.options.vip``) points at
that value when the loader recorded where it was written, else at the application's name;
a finding about a relation points at the relation.
"""

from __future__ import annotations

from ..errors import Finding
from ..topology import Application, Relation, Source


def finding_at(app: Application, path: str, message: str, severity: str = "error") -> Finding:
    """A finding about *app* at *path*, placed where the bundle wrote that value."""
    below = path.removeprefix(f"applications.{app.name}.")
    return _placed(app.sources.get(below) or app.source, path, message, severity)


def finding_on(relation: Relation, message: str, severity: str = "error") -> Finding:
    """A finding about *relation*, placed where the bundle lists it."""
    return _placed(relation.source, relation.path, message, severity)


def _placed(source: Source | None, path: str, message: str, severity: str) -> Finding:
    return Finding(
        path=path,
        message=message,
        file=source.file if source else None,
        line=source.line if source else None,
        column=source.column if source else None,
        severity=severity,
    )


def names(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c": a list of names inside a sentence."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
