"""Ceph monitors (Paxos quorum); the ceph charm also runs OSDs on its units."""

from ...catalog.base import HaModel, QuorumRule, ReplicatedData, ServiceKind, provides

KIND = ServiceKind(
    name="ceph",
    charms=("ceph", "ceph-mon"),
    ha_model=HaModel.NATIVE_CLUSTER,
    summary="Ceph monitors (Paxos quorum); the ceph charm also runs OSDs on its units",
    packages=("ceph-mon",),
    api_ports=(),
    quorum=QuorumRule(minimum=3),
    starts_after=(),
    needs=(),
    data=ReplicatedData(
        holders="ceph-osd",
        noun="placement groups",
        quorum_name="min_size",
        copies=3,
        reads_need_quorum=True,
        holding_charms=("ceph",),  # the ceph charm runs OSDs too; ceph-mon does not
    ),
    endpoints=(
        provides("client", "ceph-client"),
        provides("osd", "ceph-osd"),
    ),
    min_units=3,
    option_names=frozenset(
        ("fsid", "monitor-count", "monitor-secret", "osd-devices", "osd-reformat", "source")
    ),
)
