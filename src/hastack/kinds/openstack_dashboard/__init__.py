"""Horizon web dashboard, sessions in memcached."""

from ...catalog.base import (
    CACHE,
    HA,
    IDENTITY,
    ApiPort,
    HaModel,
    LabPaths,
    ServiceKind,
    served_by_apache,
)

KIND = ServiceKind(
    name="openstack-dashboard",
    charms=("openstack-dashboard", "horizon"),
    ha_model=HaModel.STATELESS_API,
    summary="Horizon web dashboard, sessions in memcached",
    packages=(
        "openstack-dashboard",
        "apache2",
        "libapache2-mod-wsgi-py3",
        "python3-memcache",
        "curl",
    ),
    # Checked at "/": Django's redirect to the login page, 5 ms, where rendering the login
    # page takes 25-55 ms - and every HAProxy checks every unit (fast profile: twice a second).
    api_ports=(ApiPort("http", 80, health_path="/", check_timeout_ms=2000),),
    quorum=None,
    starts_after=("keystone", "memcached"),
    needs=("keystone", "memcached"),
    endpoints=(
        IDENTITY,
        CACHE,
        HA,
    ),
    min_units=2,
    option_names=frozenset(("vip", "vip_cidr", "corosync_transport", "openstack-origin")),
    secrets=(("horizon-secret-key", "alnum48"),),  # Django's SECRET_KEY: the same on every unit
    lab=served_by_apache(LabPaths()),
)
