"""memcached on every controller; clients list all of them (no replication, no VIP)."""

from .base import HaModel, ServiceKind, provides

KIND = ServiceKind(
    name="memcached",
    charms=("memcached",),
    ha_model=HaModel.NATIVE_CLUSTER,
    summary="memcached on every controller; clients list all of them (no replication, no VIP)",
    packages=("memcached",),
    api_ports=(),
    quorum=None,
    starts_after=(),
    needs=(),
    endpoints=(provides("cache", "memcache"),),
    min_units=2,
    cluster_port=None,
    health_checks=("memcached.up",),
    renderers=("memcached",),
    lab_supported=True,
    option_names=frozenset(("size", "allow-ufw-ip6-softfail")),
)
