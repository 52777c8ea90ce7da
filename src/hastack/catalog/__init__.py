"""The service kinds hastack knows: the ``KIND`` of each package under ``hastack/kinds/``."""

from __future__ import annotations

import difflib
import importlib
import pkgutil

from .. import kinds as _kinds
from .base import (
    ApiPort,
    HaModel,
    LabPaths,
    QuorumRule,
    RelationEndpoint,
    ReplicatedData,
    ServiceKind,
    SubDir,
)


def _discover() -> tuple[ServiceKind, ...]:
    """``KIND`` of every package under ``hastack/kinds/``, by name."""
    found = [
        importlib.import_module(f"{_kinds.__name__}.{module.name}").KIND
        for module in pkgutil.iter_modules(_kinds.__path__)
        if module.ispkg
    ]
    return tuple(sorted(found, key=lambda kind: kind.name))


KINDS: tuple[ServiceKind, ...] = _discover()
CLUSTER_KIND = "hacluster"  # the cluster layer: every cluster member runs it

_BY_NAME: dict[str, ServiceKind] = {kind.name: kind for kind in KINDS}
_BY_CHARM: dict[str, ServiceKind] = {charm: kind for kind in KINDS for charm in kind.charms}


def by_name(name: str) -> ServiceKind:
    """The kind named *name* (a canonical kind name, not a charm)."""
    return _BY_NAME[name]


def by_charm(charm: str) -> ServiceKind | None:
    """The kind a charm name means, or None when hastack does not know the charm."""
    return _BY_CHARM.get(charm)


def closest_charm(charm: str) -> str | None:
    """The known charm name closest to *charm*, for "did you mean" hints."""
    matches = difflib.get_close_matches(charm, sorted(_BY_CHARM), n=1, cutoff=0.5)
    return matches[0] if matches else None


def known_charms() -> tuple[str, ...]:
    return tuple(sorted(_BY_CHARM))


__all__ = [
    "CLUSTER_KIND",
    "KINDS",
    "ApiPort",
    "HaModel",
    "LabPaths",
    "QuorumRule",
    "RelationEndpoint",
    "ReplicatedData",
    "ServiceKind",
    "SubDir",
    "by_charm",
    "by_name",
    "closest_charm",
    "known_charms",
]
