"""The service kinds hastack knows: one module each, registered here explicitly."""

from __future__ import annotations

import difflib

from . import (
    ceph,
    ceph_osd,
    cinder,
    galera,
    garbd,
    glance,
    hacluster,
    heat,
    keystone,
    memcached,
    neutron_gateway,
    nova_cloud_controller,
    nova_compute,
    openstack_dashboard,
    rabbitmq,
    swift_proxy,
    swift_storage,
)
from .base import ApiPort, HaModel, QuorumRule, RelationEndpoint, ReplicatedData, ServiceKind

KINDS: tuple[ServiceKind, ...] = (
    galera.KIND,
    garbd.KIND,
    rabbitmq.KIND,
    memcached.KIND,
    keystone.KIND,
    nova_cloud_controller.KIND,
    glance.KIND,
    cinder.KIND,
    neutron_gateway.KIND,
    nova_compute.KIND,
    ceph.KIND,
    ceph_osd.KIND,
    swift_proxy.KIND,
    swift_storage.KIND,
    openstack_dashboard.KIND,
    heat.KIND,
    hacluster.KIND,
)

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
    "KINDS",
    "ApiPort",
    "HaModel",
    "QuorumRule",
    "RelationEndpoint",
    "ReplicatedData",
    "ServiceKind",
    "by_charm",
    "by_name",
    "closest_charm",
    "known_charms",
]
