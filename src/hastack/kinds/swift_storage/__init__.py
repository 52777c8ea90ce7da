"""Object storage zone (account, container, object servers and their replicators, auditors
and updaters); replicas span zones."""

from ...catalog.base import HaModel, ServiceKind, provides

# the servers' ports (Swift 2.30's defaults): the rings name them, clients never use them
OBJECT_PORT = 6200
CONTAINER_PORT = 6201
ACCOUNT_PORT = 6202

KIND = ServiceKind(
    name="swift-storage",
    charms=("swift-storage",),
    ha_model=HaModel.PER_HOST,
    summary="Object storage zone (account, container, object servers); replicas span zones",
    packages=("swift-account", "swift-container", "swift-object", "rsync", "curl"),
    api_ports=(),
    quorum=None,
    starts_after=(),
    needs=(),
    endpoints=(provides("swift-storage", "swift"),),
    min_units=1,
    option_names=frozenset(("zone", "block-device", "openstack-origin")),
)
