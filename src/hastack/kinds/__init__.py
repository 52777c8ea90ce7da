"""Service kinds, one package each, and the registry of what hastack does with them.

``kinds/<kind>/__init__.py`` holds the kind's catalog data (``KIND``; ``hastack.catalog``
collects them) and nothing that imports the rest of hastack, so the planner can read the
catalog without the deployer. ``kinds/<kind>/service.py``, where there is one, holds
``SERVICE``: its renderer, deploy step, reload rule, health checks, budgets and drill hooks.
A kind without ``service.py`` is known to the planner but not deployed yet.

This package's own import is light on purpose: the registry is built on first use.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
from typing import TYPE_CHECKING

# The catalog imports every kind's data. Imported here first, a kind imported on its own
# (``import hastack.kinds.galera.health``) finds the catalog whole; otherwise the kind's
# ``catalog.base`` import would start the catalog, which would find that kind half-imported.
from .. import catalog

if TYPE_CHECKING:
    from .base import Service


def package_name(kind: str) -> str:
    """The package of a kind: "openstack-dashboard" lives in ``kinds/openstack_dashboard``."""
    return kind.replace("-", "_")


@functools.cache
def services() -> dict[str, Service]:
    """Every catalog kind's behaviour, by kind name (an empty ``Service`` when it has none)."""
    from .base import Service

    found: dict[str, Service] = {}
    for kind in catalog.KINDS:
        module = f"{__name__}.{package_name(kind.name)}.service"
        if importlib.util.find_spec(module) is None:
            found[kind.name] = Service(kind)
            continue
        service = importlib.import_module(module).SERVICE
        if not isinstance(service, Service) or service.kind is not kind:
            raise TypeError(
                f"{module}.SERVICE must be the Service of the catalog kind {kind.name}"
            )
        found[kind.name] = service
    return found


def service(kind: str) -> Service:
    """The behaviour of the kind named *kind* (KeyError for a name the catalog lacks)."""
    return services()[kind]


def deployable(kind: str) -> bool:
    """hastack deploys this kind: it renders its files or runs its deploy step."""
    found = services().get(kind)
    return found is not None and found.deployable
