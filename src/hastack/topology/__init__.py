"""The declarative model (``model``) and its only parser (``load``)."""

from .model import (
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
]
