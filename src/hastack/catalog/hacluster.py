"""Corosync + Pacemaker on the principal's units: VIPs, the HAProxy clone, fencing."""

from .base import HaModel, QuorumRule, ServiceKind, provides

KIND = ServiceKind(
    name="hacluster",
    charms=("hacluster",),
    ha_model=HaModel.SUBORDINATE,
    summary="Corosync + Pacemaker on the principal's units: VIPs, the HAProxy clone, fencing",
    packages=(
        "corosync",
        "pacemaker",
        "crmsh",
        "resource-agents",
        "fence-agents",
        "haproxy",
        "ipmitool",
    ),
    api_ports=(),
    quorum=QuorumRule(minimum=3),
    starts_after=(),
    needs=(),
    endpoints=(provides("ha", "hacluster"),),
    min_units=0,
    cluster_port=5405,
    health_checks=("pacemaker.cluster", "vip.single-holder"),
    renderers=("corosync", "pacemaker", "haproxy", "keepalived"),
    lab_supported=True,
    option_names=frozenset(
        (
            "corosync_transport",
            "cluster_count",
            "corosync_key",
            "ha-bindiface",
            "ha-mcastport",
            "stonith_enabled",
            "maas_url",
            "maas_credentials",
        )
    ),
)
