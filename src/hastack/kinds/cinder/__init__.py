"""Block storage API and scheduler, volumes in Ceph RBD."""

from ...catalog.base import (
    API_SERVICE,
    CEPH_CLIENT,
    IMAGES,
    ApiPort,
    HaModel,
    ServiceKind,
    provides,
)

KIND = ServiceKind(
    name="cinder",
    charms=("cinder",),
    ha_model=HaModel.STATELESS_API,
    summary="Block storage API and scheduler, volumes in Ceph RBD",
    packages=("cinder-api", "cinder-scheduler"),
    api_ports=(ApiPort("cinder-api", 8776, health_path="/healthcheck"),),
    quorum=None,
    starts_after=("galera", "rabbitmq", "keystone", "ceph", "glance"),
    needs=("galera", "rabbitmq", "keystone", "ceph"),
    endpoints=(
        provides("cinder-volume-service", "cinder"),
        *API_SERVICE,
        CEPH_CLIENT,
        IMAGES,
    ),
    min_units=2,
    option_names=frozenset(
        ("vip", "vip_cidr", "block-device", "corosync_transport", "openstack-origin")
    ),
)
