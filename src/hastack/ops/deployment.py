"""A deployment as the commands after ``lab up`` work on it: loaded once, in one place.

``hastack status``, ``drill``, ``recover`` and ``rotate-keys`` all act on the deployment the
lab holds; each gets it from ``on_lab`` rather than rebuilding plan, secrets and connectors.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

from .. import plan
from ..hosts import Connector
from ..lab.lab import Lab
from ..plan.fencing import lab_fencing
from ..plan.model import FenceDevice
from ..secrets import SecretStore
from ..topology import ProfileName, Topology
from ..topology.load import load


@dataclasses.dataclass(frozen=True)
class Deployment:
    """What the deployer and the operations need: the plan, the secrets it was deployed
    with, a connector per host and how each host is fenced."""

    topology: Topology
    plan: plan.Plan
    secrets: SecretStore
    connectors: Mapping[str, Connector]
    fencing: Mapping[str, FenceDevice]


def deployment_dir(state_dir: Path, name: str) -> Path:
    """Per-deployment state (secrets, generated client files, reports) under *state_dir*."""
    return state_dir / "deployments" / name


def on_lab(
    lab: Lab, bundle: Path, state_dir: Path, profile: ProfileName | None = None
) -> Deployment:
    """The deployment of *bundle* on *lab*, planned with *profile* (default: the bundle's);
    a plan with errors raises ``PlanError``."""
    topo = load(bundle)
    result = plan.build_checked(topo, profile)
    return Deployment(
        topology=topo,
        plan=result,
        secrets=SecretStore(deployment_dir(state_dir, topo.name)),
        connectors={h.name: lab.connector(h.name) for h in result.hosts},
        fencing=lab_fencing(result),
    )
