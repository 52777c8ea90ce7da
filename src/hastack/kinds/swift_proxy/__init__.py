"""Object storage API proxy."""

from ...catalog.base import (
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
    summary="Object storage API proxy",
    packages=("swift-proxy",),
    api_ports=(ApiPort("swift-proxy", 8080, health_path="/healthcheck"),),
    quorum=None,
    starts_after=("keystone", "swift-storage"),
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
        HA,
    ),
    min_units=2,
    option_names=frozenset(
        ("vip", "vip_cidr", "zone-assignment", "replicas", "swift-hash", "corosync_transport")
    ),
)
