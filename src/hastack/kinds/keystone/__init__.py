"""Identity API (active/active behind HAProxy on the VIP)."""

from ...catalog.base import (
    AMQP,
    CACHE,
    HA,
    SHARED_DB,
    ApiPort,
    HaModel,
    LabPaths,
    ServiceKind,
    SubDir,
    provides,
    served_by_apache,
)

KIND = ServiceKind(
    name="keystone",
    charms=("keystone",),
    ha_model=HaModel.STATELESS_API,
    summary="Identity API (active/active behind HAProxy on the VIP)",
    packages=(
        "keystone",
        "apache2",
        "libapache2-mod-wsgi-py3",
        "python3-pymysql",
        "python3-memcache",
        "python3-openstackclient",
        "curl",
    ),
    api_ports=(ApiPort("public", 5000, health_path="/v3", resendable_posts=("/v3/auth/tokens",)),),
    quorum=None,
    starts_after=("galera", "memcached"),
    needs=("galera",),
    endpoints=(
        provides("identity-service", "keystone"),
        SHARED_DB,
        CACHE,
        AMQP,
        HA,
    ),
    min_units=2,
    option_names=frozenset(
        (
            "vip",
            "vip_cidr",
            "admin-user",
            "admin-password",
            "admin-token",
            "corosync_transport",
            "region",
            "openstack-origin",
            "worker-multiplier",
            "token-provider",
        )
    ),
    secrets=(("keystone-db-password", "alnum24"), ("keystone-admin-password", "alnum24")),
    lab=served_by_apache(
        LabPaths(
            log_dirs=(SubDir("keystone", "keystone:keystone", 0o750),),
        )
    ),
)
