"""The lab: N nodes made of Linux namespaces on this machine, bridges and virtual BMCs."""

from ..catalog import NodeMount, SubDir
from .lab import Lab, NodeStatus
from .spec import BridgeSpec, InterfaceSpec, LabSpec, NodeSpec, default_spec

__all__ = [
    "BridgeSpec",
    "InterfaceSpec",
    "Lab",
    "LabSpec",
    "NodeMount",
    "NodeSpec",
    "NodeStatus",
    "SubDir",
    "default_spec",
]
