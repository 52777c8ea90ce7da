"""memcached on every controller; clients list all of them (no replication, no VIP)."""

from ...catalog.base import HaModel, LabPaths, ServiceKind, SubDir, provides

PORT = 11211

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
    client_port=PORT,
    option_names=frozenset(("size", "allow-ufw-ip6-softfail")),
    lab=LabPaths(
        run_dirs=(SubDir("memcached", "memcache:memcache"),),
    ),
)
