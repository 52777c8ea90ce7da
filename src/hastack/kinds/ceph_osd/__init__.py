"""Ceph object storage daemons; data replicated by CRUSH across hosts."""

from ...catalog.base import HaModel, ServiceKind, requires

KIND = ServiceKind(
    name="ceph-osd",
    charms=("ceph-osd",),
    ha_model=HaModel.PER_HOST,
    summary="Ceph object storage daemons; data replicated by CRUSH across hosts",
    packages=("ceph-osd",),
    api_ports=(),
    quorum=None,
    starts_after=("ceph",),
    needs=("ceph",),
    endpoints=(requires("mon", "ceph-osd"),),
    min_units=3,
    option_names=frozenset(("osd-devices", "osd-reformat", "source")),
)
