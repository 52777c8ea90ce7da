"""Hypervisor host; not HA itself: fence the dead host, evacuate its instances."""

from ...catalog.base import AMQP, CEPH_CLIENT, IMAGES, SHARED_DB, HaModel, ServiceKind, requires

KIND = ServiceKind(
    name="nova-compute",
    charms=("nova-compute",),
    ha_model=HaModel.PER_HOST,
    summary="Hypervisor host; not HA itself: fence the dead host, evacuate its instances",
    packages=("nova-compute",),
    api_ports=(),
    quorum=None,
    starts_after=("rabbitmq", "nova-cloud-controller", "glance", "ceph"),
    needs=("rabbitmq", "nova-cloud-controller", "ceph"),
    endpoints=(
        requires("cloud-compute", "nova-compute"),
        SHARED_DB,
        AMQP,
        IMAGES,
        CEPH_CLIENT,
    ),
    min_units=2,
    option_names=frozenset(("enable-live-migration", "migration-auth-type", "openstack-origin")),
)
