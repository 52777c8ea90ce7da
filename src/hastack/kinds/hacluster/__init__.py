"""Corosync + Pacemaker on the principal's units: VIPs, the HAProxy clone, fencing."""

from ...catalog.base import HaModel, LabPaths, QuorumRule, ServiceKind, SubDir, provides

PACEMAKER_OWNER = "hacluster:haclient"

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
    secrets=(
        ("corosync-authkey", "hex256"),  # corosync reads the raw bytes: 2048 bits
        ("haproxy-stats-password", "alnum24"),
        ("bmc-password", "alnum16"),
    ),
    lab=LabPaths(
        log_dirs=(
            SubDir("corosync"),
            SubDir("crmsh", PACEMAKER_OWNER, 0o775),
            SubDir("haproxy"),
            SubDir("pacemaker", PACEMAKER_OWNER, 0o770),
        ),
        run_dirs=(
            SubDir("crm", PACEMAKER_OWNER, 0o750),
            SubDir("fence-agents"),
            SubDir("haproxy", "haproxy:haproxy", 0o2775),
            SubDir("keepalived"),
            SubDir("lock", mode=0o1777),
            SubDir("pacemaker", PACEMAKER_OWNER, 0o750),
            SubDir("resource-agents"),
        ),
    ),
)
