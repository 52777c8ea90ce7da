"""The deployer: runs a Plan through Connectors, phase by phase, idempotently."""
