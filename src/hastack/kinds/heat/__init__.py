"""Orchestration API (heat-api, heat-api-cfn) and engines."""

from ...catalog.base import API_SERVICE, ApiPort, HaModel, ServiceKind

KIND = ServiceKind(
    name="heat",
    charms=("heat",),
    ha_model=HaModel.STATELESS_API,
    summary="Orchestration API (heat-api, heat-api-cfn) and engines",
    packages=("heat-api", "heat-api-cfn", "heat-engine"),
    api_ports=(
        ApiPort("heat-api", 8004, health_path="/"),
        ApiPort("heat-api-cfn", 8000, health_path="/"),
    ),
    quorum=None,
    starts_after=("galera", "rabbitmq", "keystone"),
    needs=("galera", "rabbitmq", "keystone"),
    endpoints=API_SERVICE,
    min_units=2,
    option_names=frozenset(("vip", "vip_cidr", "corosync_transport", "openstack-origin")),
)
