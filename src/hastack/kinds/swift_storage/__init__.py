"""Object storage zone (account, container, object servers); replicas span zones."""

from ...catalog.base import HaModel, ServiceKind, provides

KIND = ServiceKind(
    name="swift-storage",
    charms=("swift-storage",),
    ha_model=HaModel.PER_HOST,
    summary="Object storage zone (account, container, object servers); replicas span zones",
    packages=("swift-account", "swift-container", "swift-object"),
    api_ports=(),
    quorum=None,
    starts_after=(),
    needs=(),
    endpoints=(provides("swift-storage", "swift"),),
    min_units=1,
    option_names=frozenset(("zone", "block-device")),
)
