"""Ceph monitors (Paxos quorum); the ceph charm also runs OSDs on its units."""

from .base import HaModel, QuorumRule, ServiceKind

KIND = ServiceKind(
    name="ceph",
    charms=("ceph", "ceph-mon"),
    ha_model=HaModel.NATIVE_CLUSTER,
    summary="Ceph monitors (Paxos quorum); the ceph charm also runs OSDs on its units",
    packages=("ceph-mon",),
    api_ports=(),
    quorum=QuorumRule(minimum=3),
    depends_on=(),
    min_units=3,
    cluster_port=6789,
    health_checks=(),
    renderers=(),
    lab_supported=False,
    option_names=frozenset(
        ("fsid", "monitor-count", "monitor-secret", "osd-devices", "osd-reformat", "source")
    ),
)
