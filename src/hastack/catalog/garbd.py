"""Galera arbitrator: votes in the Galera quorum without holding data."""

from .base import HaModel, ServiceKind

KIND = ServiceKind(
    name="garbd",
    charms=("garbd", "galera-arbitrator"),
    ha_model=HaModel.NATIVE_CLUSTER,
    summary="Galera arbitrator: votes in the Galera quorum without holding data",
    packages=("galera-arbitrator-4",),
    api_ports=(),
    quorum=None,
    depends_on=("galera",),
    min_units=1,
    cluster_port=4567,
    health_checks=(),
    renderers=(),
    lab_supported=False,
    option_names=frozenset(()),
)
