"""Hypervisor host; not HA itself: fence the dead host, evacuate its instances."""

from .base import HaModel, ServiceKind

KIND = ServiceKind(
    name="nova-compute",
    charms=("nova-compute",),
    ha_model=HaModel.PER_HOST,
    summary="Hypervisor host; not HA itself: fence the dead host, evacuate its instances",
    packages=("nova-compute",),
    api_ports=(),
    quorum=None,
    depends_on=("rabbitmq", "nova-cloud-controller", "glance", "ceph"),
    min_units=2,
    cluster_port=None,
    health_checks=(),
    renderers=(),
    lab_supported=False,
    option_names=frozenset(("enable-live-migration", "migration-auth-type", "openstack-origin")),
)
