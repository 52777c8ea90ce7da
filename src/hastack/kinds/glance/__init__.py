"""Image API: glance-api active/active behind the VIP; images in Swift (one container of the
service project) or in Ceph RBD, whichever store the bundle relates it to."""

from ...catalog.base import (
    API_SERVICE,
    CACHE,
    CEPH_CLIENT,
    ApiPort,
    HaModel,
    LabPaths,
    ServiceKind,
    SubDir,
    provides,
    requires,
)

KIND = ServiceKind(
    name="glance",
    charms=("glance",),
    ha_model=HaModel.STATELESS_API,
    summary="Image API; images stored in Swift or Ceph RBD",
    packages=(
        "glance-api",
        "python3-pymysql",
        "python3-memcache",
        "python3-swiftclient",  # glance_store's swift driver
        "python3-openstackclient",  # `openstack image create`
        "curl",
    ),
    # one eventlet worker answers its check between downloads: slower than the profile allows
    api_ports=(ApiPort("glance-api", 9292, health_path="/healthcheck", check_timeout_ms=2000),),
    quorum=None,
    starts_after=("galera", "keystone", "memcached", "swift-proxy", "ceph"),
    needs=("galera", "keystone", "swift-proxy", "ceph"),
    either=(("swift-proxy", "ceph"),),  # its image store: one of them
    endpoints=(
        provides("image-service", "glance"),
        *API_SERVICE,
        CEPH_CLIENT,
        requires("object-store", "swift-proxy"),
        CACHE,
    ),
    min_units=2,
    option_names=frozenset(
        ("vip", "vip_cidr", "corosync_transport", "openstack-origin", "region")
    ),
    secrets=(("glance-db-password", "alnum24"), ("glance-password", "alnum24")),
    lab=LabPaths(log_dirs=(SubDir("glance", "glance:adm", 0o750),)),
)
