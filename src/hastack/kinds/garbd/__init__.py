"""Galera arbitrator: votes in the Galera quorum without holding data."""

from ...catalog.base import HaModel, ServiceKind, requires

KIND = ServiceKind(
    name="garbd",
    charms=("garbd", "galera-arbitrator"),
    ha_model=HaModel.NATIVE_CLUSTER,
    summary="Galera arbitrator: votes in the Galera quorum without holding data",
    packages=("galera-arbitrator-4",),
    api_ports=(),
    quorum=None,
    starts_after=("galera",),
    needs=("galera",),
    endpoints=(requires("cluster", "galera"),),
    min_units=1,
    option_names=frozenset(()),
)
