"""Horizon web dashboard, sessions in memcached."""

from .base import CACHE, HA, IDENTITY, ApiPort, HaModel, ServiceKind

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
    api_ports=(ApiPort("http", 80, health_path="/auth/login/"),),
    quorum=None,
    starts_after=("keystone", "memcached"),
    needs=("keystone", "memcached"),
    endpoints=(
        IDENTITY,
        CACHE,
        HA,
    ),
    min_units=2,
    cluster_port=None,
    health_checks=("haproxy.backends", "api.units"),
    renderers=("horizon",),
    lab_supported=True,
    option_names=frozenset(("vip", "vip_cidr", "corosync_transport", "openstack-origin")),
)
