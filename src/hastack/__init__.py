"""hastack: plan, deploy, prove and operate a highly available OpenStack control plane."""

__version__ = "0.1.0"
