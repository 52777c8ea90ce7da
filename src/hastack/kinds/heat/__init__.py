"""Orchestration: heat-api and heat-api-cfn active/active behind the VIP, heat-engine on
every unit taking RPC work from RabbitMQ's quorum queues."""

from ...catalog.base import (
    API_SERVICE,
    CACHE,
    ApiPort,
    HaModel,
    LabPaths,
    ServiceKind,
    SubDir,
    served_by_apache,
)

KIND = ServiceKind(
    name="heat",
    charms=("heat",),
    ha_model=HaModel.STATELESS_API,
    summary="Orchestration API (heat-api, heat-api-cfn) and engines",
    packages=(
        "heat-api",
        "heat-api-cfn",
        "heat-engine",
        "apache2",
        "libapache2-mod-wsgi-py3",
        "python3-pymysql",
        "python3-memcache",
        "python3-heatclient",  # `openstack stack create`
        "curl",
    ),
    # frontends "heat-api" and "heat-cfn"; "/" is each API's version list, without auth
    api_ports=(
        ApiPort("api", 8004, health_path="/"),
        ApiPort("cfn", 8000, health_path="/"),
    ),
    quorum=None,
    starts_after=("galera", "rabbitmq", "keystone", "memcached"),
    needs=("galera", "rabbitmq", "keystone"),
    endpoints=(*API_SERVICE, CACHE),
    min_units=2,
    option_names=frozenset(
        ("vip", "vip_cidr", "corosync_transport", "openstack-origin", "region")
    ),
    secrets=(("heat-db-password", "alnum24"), ("heat-password", "alnum24")),
    lab=served_by_apache(
        LabPaths(
            log_dirs=(SubDir("heat", "heat:heat", 0o750),),
        )
    ),
)
