"""Block storage API and scheduler, volumes in Ceph RBD."""

from .base import ApiPort, HaModel, ServiceKind

KIND = ServiceKind(
    name="cinder",
    charms=("cinder",),
    ha_model=HaModel.STATELESS_API,
    summary="Block storage API and scheduler, volumes in Ceph RBD",
    packages=("cinder-api", "cinder-scheduler"),
    api_ports=(ApiPort("cinder-api", 8776, health_path="/healthcheck"),),
    quorum=None,
    depends_on=("galera", "rabbitmq", "keystone", "ceph", "glance"),
    min_units=2,
    cluster_port=None,
    health_checks=("haproxy.backends",),
    renderers=(),
    lab_supported=False,
    option_names=frozenset(
        ("vip", "vip_cidr", "block-device", "corosync_transport", "openstack-origin")
    ),
)
