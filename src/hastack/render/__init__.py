"""Renderers: pure functions from a Plan to the config files one host needs.

Each kind renders its own files (``Service.render`` in ``kinds/<kind>/service.py``); this
package holds the cluster layer's renderers (corosync, the CIB, HAProxy, keepalived), the
shared Jinja2 environment, and ``render_host``, which asks every kind on a host.
"""

from __future__ import annotations

from collections.abc import Mapping

from .. import catalog, kinds
from ..errors import RenderError
from ..plan.model import Cluster, FenceDevice, Plan
from ..secrets import SecretStore
from . import pacemaker
from .base import RenderedFile, header


def kinds_on(plan: Plan, host: str) -> tuple[str, ...]:
    """The kinds whose files *host* needs: its units' kinds, plus the cluster's when in one."""
    found = {unit.kind for unit in plan.units_on(host)}
    if plan.cluster_of(host) is not None:
        found.add(catalog.CLUSTER_KIND)
    return tuple(sorted(found))


def render_host(
    plan: Plan, host: str, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> list[RenderedFile]:
    """Every file *host* needs, sorted by path. Kinds that share a file (every Swift kind
    renders ``/etc/swift/swift.conf``) must render it alike: it is written once."""
    plan.host(host)  # KeyError for an unknown host
    files: dict[str, RenderedFile] = {}
    for kind in kinds_on(plan, host):
        if (render := kinds.service(kind).render) is None:
            continue
        for rendered in render(plan, host, secrets, fencing):
            first = files.setdefault(rendered.path, rendered)
            if first != rendered:
                raise RenderError(
                    f"{host}: two kinds render {rendered.path} differently ({kind} is one); "
                    "a shared file must come from one function"
                )
    return sorted(files.values(), key=lambda f: f.path)


def render_cluster_cib(plan: Plan, cluster: Cluster, fencing: Mapping[str, FenceDevice]) -> str:
    """The cluster's full CIB XML (BMC passwords as ``lrm://`` references)."""
    return pacemaker.cluster_cib(plan, cluster, fencing)


def render_cluster_crm(plan: Plan, cluster: Cluster, fencing: Mapping[str, FenceDevice]) -> str:
    """The same configuration as crm shell text."""
    return pacemaker.cluster_crm(plan, cluster, fencing)


__all__ = [
    "RenderedFile",
    "header",
    "kinds_on",
    "render_cluster_cib",
    "render_cluster_crm",
    "render_host",
]
