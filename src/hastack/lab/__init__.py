"""The lab: N nodes that boot like machines (systemd-nspawn) on this machine, bridges and
virtual BMCs."""

from ..catalog import SubDir
from .lab import Lab, NodeStatus
from .spec import BridgeSpec, InterfaceSpec, LabSpec, NodeSpec, default_spec

__all__ = [
    "BridgeSpec",
    "InterfaceSpec",
    "Lab",
    "LabSpec",
    "NodeSpec",
    "NodeStatus",
    "SubDir",
    "default_spec",
]
