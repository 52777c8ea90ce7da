"""Object storage API: swift-proxy active/active behind the VIP, authenticating through
Keystone; it owns the rings (built from the related swift-storage zones)."""

from ...catalog.base import (
    CACHE,
    HA,
    IDENTITY,
    ApiPort,
    HaModel,
    ReplicatedData,
    ServiceKind,
    provides,
    requires,
)

KIND = ServiceKind(
    name="swift-proxy",
    charms=("swift-proxy",),
    ha_model=HaModel.STATELESS_API,
    summary="Object storage API proxy; builds the rings from its storage zones",
    packages=(
        "swift-proxy",  # pulls swift: swift-ring-builder, /etc/swift
        "python3-keystonemiddleware",  # the authtoken filter; swift-proxy does not pull it
        "python3-memcache",
        "python3-swiftclient",  # `openstack object ...` and `swift`
        "curl",
    ),
    api_ports=(ApiPort("swift-proxy", 8080, health_path="/healthcheck"),),
    quorum=None,
    starts_after=("keystone", "swift-storage", "memcached"),
    needs=("keystone",),
    data=ReplicatedData(
        holders="swift-storage",
        noun="objects",
        quorum_name="write quorum",
        copies=3,
        copies_option="replicas",
        handoffs=True,
        zone_option="zone",
    ),
    endpoints=(
        provides("object-store", "swift-proxy"),
        requires("swift-storage", "swift"),
        IDENTITY,
        CACHE,
        HA,
    ),
    min_units=2,
    option_names=frozenset(
        (
            "vip",
            "vip_cidr",
            "zone-assignment",
            "replicas",
            "partition-power",
            "min-hours",
            "swift-hash",
            "corosync_transport",
            "openstack-origin",
        )
    ),
    secrets=(
        ("swift-password", "alnum24"),
        ("swift-hash-path-suffix", "alnum32"),
        ("swift-hash-path-prefix", "alnum32"),
    ),
)
