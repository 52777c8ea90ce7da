"""Object storage API proxy."""

from .base import ApiPort, HaModel, ServiceKind

KIND = ServiceKind(
    name="swift-proxy",
    charms=("swift-proxy",),
    ha_model=HaModel.STATELESS_API,
    summary="Object storage API proxy",
    packages=("swift-proxy",),
    api_ports=(ApiPort("swift-proxy", 8080, health_path="/healthcheck"),),
    quorum=None,
    depends_on=("keystone", "swift-storage"),
    min_units=2,
    cluster_port=None,
    health_checks=("haproxy.backends",),
    renderers=(),
    lab_supported=False,
    option_names=frozenset(
        ("vip", "vip_cidr", "zone-assignment", "replicas", "swift-hash", "corosync_transport")
    ),
)
