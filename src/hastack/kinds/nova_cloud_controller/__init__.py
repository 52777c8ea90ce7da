"""Compute and networking APIs: nova-api, placement, neutron-server, schedulers and conductors."""

from ...catalog.base import API_SERVICE, IMAGES, ApiPort, HaModel, ServiceKind, provides, requires

KIND = ServiceKind(
    name="nova-cloud-controller",
    charms=("nova-cloud-controller",),
    ha_model=HaModel.STATELESS_API,
    summary=(
        "Compute and networking APIs: nova-api, placement, neutron-server,"
        " schedulers and conductors"
    ),
    packages=(
        "nova-api",
        "nova-conductor",
        "nova-scheduler",
        "nova-novncproxy",
        "placement-api",
        "neutron-server",
    ),
    api_ports=(
        ApiPort("nova-api", 8774, health_path="/"),
        ApiPort("metadata", 8775),
        ApiPort("placement", 8778, health_path="/"),
        ApiPort("neutron", 9696, health_path="/"),
        ApiPort("novnc", 6080),
    ),
    quorum=None,
    starts_after=("galera", "rabbitmq", "keystone", "glance", "cinder"),
    needs=("galera", "rabbitmq", "keystone"),
    endpoints=(
        provides("cloud-compute", "nova-compute"),
        provides("quantum-network-service", "quantum"),
        *API_SERVICE,
        IMAGES,
        requires("cinder-volume-service", "cinder"),
    ),
    min_units=2,
    option_names=frozenset(
        (
            "vip",
            "vip_cidr",
            "network-manager",
            "quantum-security-groups",
            "neutron-security-groups",
            "corosync_transport",
            "openstack-origin",
        )
    ),
)
