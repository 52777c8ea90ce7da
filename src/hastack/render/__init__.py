"""Renderers: pure functions from a Plan to the config files one host needs.

Every renderer has the same signature and returns ``[]`` when the host needs none of its
files; ``RENDERERS`` names them as the catalog does (``ServiceKind.renderers``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from .. import catalog
from ..plan.model import Cluster, FenceDevice, Plan
from ..secrets import SecretStore
from . import (
    corosync,
    galera,
    haproxy,
    horizon,
    keepalived,
    keystone,
    memcached,
    pacemaker,
    rabbitmq,
)
from .base import RenderedFile, header

Renderer = Callable[[Plan, str, SecretStore, Mapping[str, FenceDevice]], list[RenderedFile]]

RENDERERS: dict[str, Renderer] = {
    "corosync": corosync.render,
    "pacemaker": pacemaker.render,
    "haproxy": haproxy.render,
    "keepalived": keepalived.render,
    "galera": galera.render,
    "rabbitmq": rabbitmq.render,
    "memcached": memcached.render,
    "keystone": keystone.render,
    "horizon": horizon.render,
}

CLUSTER_KIND = "hacluster"  # the catalog kind whose renderers every cluster host runs


def renderer_names(plan: Plan, host: str) -> tuple[str, ...]:
    """The renderers *host* needs: its units' kinds, plus the cluster's when in one."""
    kinds = {unit.kind for unit in plan.units_on(host)}
    if plan.cluster_of(host) is not None:
        kinds.add(CLUSTER_KIND)
    names = {name for kind in kinds for name in catalog.by_name(kind).renderers}
    return tuple(name for name in RENDERERS if name in names)


def render_host(
    plan: Plan,
    host: str,
    secrets: SecretStore,
    fencing: Mapping[str, FenceDevice],
    only: Collection[str] | None = None,
) -> list[RenderedFile]:
    """Every file *host* needs, sorted by path; *only* limits it to those renderers."""
    plan.host(host)  # KeyError for an unknown host
    files = [
        rendered
        for name in renderer_names(plan, host)
        if only is None or name in only
        for rendered in RENDERERS[name](plan, host, secrets, fencing)
    ]
    return sorted(files, key=lambda f: f.path)


def render_cluster_cib(plan: Plan, cluster: Cluster, fencing: Mapping[str, FenceDevice]) -> str:
    """The cluster's full CIB XML (BMC passwords as ``lrm://`` references)."""
    return pacemaker.cluster_cib(plan, cluster, fencing)


def render_cluster_crm(plan: Plan, cluster: Cluster, fencing: Mapping[str, FenceDevice]) -> str:
    """The same configuration as crm shell text."""
    return pacemaker.cluster_crm(plan, cluster, fencing)


__all__ = [
    "RENDERERS",
    "RenderedFile",
    "Renderer",
    "header",
    "render_cluster_cib",
    "render_cluster_crm",
    "render_host",
    "renderer_names",
]
