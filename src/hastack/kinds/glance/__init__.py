"""Image API, images stored in Ceph RBD."""

from ...catalog.base import API_SERVICE, CEPH_CLIENT, ApiPort, HaModel, ServiceKind, provides

KIND = ServiceKind(
    name="glance",
    charms=("glance",),
    ha_model=HaModel.STATELESS_API,
    summary="Image API, images stored in Ceph RBD",
    packages=("glance-api",),
    api_ports=(ApiPort("glance-api", 9292, health_path="/healthcheck"),),
    quorum=None,
    starts_after=("galera", "keystone", "ceph"),
    needs=("galera", "keystone", "ceph"),
    endpoints=(
        provides("image-service", "glance"),
        *API_SERVICE,
        CEPH_CLIENT,
    ),
    min_units=2,
    option_names=frozenset(("vip", "vip_cidr", "corosync_transport", "openstack-origin")),
)
