"""Connectors: lab nodes (namespaces on this machine), SSH hosts, and a fake for tests."""

from .base import CommandResult, Connector

__all__ = ["CommandResult", "Connector"]
