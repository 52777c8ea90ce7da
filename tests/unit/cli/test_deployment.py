"""The deployment the lab holds is loaded in one place: plan, secrets, connectors, fencing."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import CORE
from hastack.cli.context import Context
from hastack.lab.lab import Lab
from hastack.lab.spec import spec_to_dict
from hastack.ops.lab_up import DEPLOYMENT_FILE, spec_from_plan
from hastack.plan import build_checked
from hastack.secret import Secret
from hastack.topology.load import load
from hastack.topology.model import ProfileName


def held_lab(state: Path) -> None:
    """A lab state directory as `lab up` of CORE leaves it (no nodes need to run)."""
    lab = Lab(state / "lab")
    spec = spec_from_plan(build_checked(load(CORE)), str(lab.layout.root), Secret("pw"))
    lab.layout.spec.parent.mkdir(parents=True, exist_ok=True)
    lab.layout.spec.write_text(json.dumps(spec_to_dict(spec)))
    (lab.layout.root / DEPLOYMENT_FILE).write_text(json.dumps({"name": "x", "file": str(CORE)}))


def test_the_deployment_the_lab_holds(tmp_path: Path) -> None:
    held_lab(tmp_path)
    held = Context(tmp_path).deployment()
    hosts = [h.name for h in held.plan.hosts]
    assert held.topology.name == held.plan.topology.name
    assert sorted(held.connectors) == sorted(held.fencing) == sorted(hosts)
    assert all(held.connectors[h].name == h for h in hosts)
    assert held.secrets.path == tmp_path / "deployments" / "lab-core" / "secrets.json"


def test_planned_with_another_profile(tmp_path: Path) -> None:
    held_lab(tmp_path)
    default = Context(tmp_path).deployment()
    other = next(p for p in ProfileName if p is not default.topology.settings.profile)
    assert Context(tmp_path).deployment(other).plan.profile != default.plan.profile
