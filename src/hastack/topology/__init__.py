"""The declarative model (``model``) and its only parser (``load``)."""

from .load import load, loads
from .model import (
    DEFAULT_NETWORKS,
    Application,
    Endpoint,
    FenceLoopGuard,
    Fencing,
    FencingAction,
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
    "FenceLoopGuard",
    "Fencing",
    "FencingAction",
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
