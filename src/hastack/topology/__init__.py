"""The declarative model (``model``) and its only parser (``load``)."""

from .load import load, loads
from .model import (
    DEFAULT_NETWORKS,
    Application,
    Endpoint,
    Machine,
    Network,
    NetworkRole,
    OptionValue,
    Placement,
    ProfileName,
    Relation,
    Settings,
    Source,
    Topology,
    VipProvider,
)

__all__ = [
    "DEFAULT_NETWORKS",
    "Application",
    "Endpoint",
    "Machine",
    "Network",
    "NetworkRole",
    "OptionValue",
    "Placement",
    "ProfileName",
    "Relation",
    "Settings",
    "Source",
    "Topology",
    "VipProvider",
    "load",
    "loads",
]
