"""Network node: L3, DHCP and metadata agents (singletons that move on failure)."""

from ...catalog.base import AMQP, SHARED_DB, HaModel, ServiceKind, requires

KIND = ServiceKind(
    name="neutron-gateway",
    charms=("neutron-gateway", "quantum-gateway"),
    ha_model=HaModel.ACTIVE_PASSIVE,
    summary="Network node: L3, DHCP and metadata agents (singletons that move on failure)",
    packages=("neutron-l3-agent", "neutron-dhcp-agent", "neutron-metadata-agent"),
    api_ports=(),
    quorum=None,
    starts_after=("galera", "rabbitmq", "nova-cloud-controller"),
    needs=("rabbitmq", "nova-cloud-controller"),
    endpoints=(
        SHARED_DB,
        AMQP,
        requires("quantum-network-service", "quantum"),
    ),
    min_units=2,
    option_names=frozenset(("ext-port", "openstack-origin")),
)
