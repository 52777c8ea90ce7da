"""Placement API: resource providers and allocations for Nova (active/active on the VIP)."""

from ...catalog.base import (
    CACHE,
    HA,
    IDENTITY,
    SHARED_DB,
    ApiPort,
    HaModel,
    LabPaths,
    ServiceKind,
    SubDir,
    served_by_apache,
)

KIND = ServiceKind(
    name="placement",
    charms=("placement",),
    ha_model=HaModel.STATELESS_API,
    summary="Placement API: resource providers and allocations (active/active on the VIP)",
    packages=(
        "placement-api",
        "apache2",
        "libapache2-mod-wsgi-py3",
        "python3-pymysql",
        "python3-memcache",
        "python3-osc-placement",  # `openstack resource provider list`
        "curl",
    ),
    api_ports=(ApiPort("placement", 8778, health_path="/"),),
    quorum=None,
    starts_after=("galera", "keystone", "memcached"),
    needs=("galera", "keystone"),
    endpoints=(SHARED_DB, IDENTITY, CACHE, HA),
    min_units=2,
    option_names=frozenset(
        ("vip", "vip_cidr", "corosync_transport", "openstack-origin", "region")
    ),
    secrets=(("placement-db-password", "alnum24"), ("placement-password", "alnum24")),
    lab=served_by_apache(
        LabPaths(
            log_dirs=(SubDir("placement", "placement:placement", 0o750),),
        )
    ),
)
