"""The kinds registry: one package per kind, behaviour found from the catalog, and no
behaviour chosen by a kind's name outside its own package."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import hastack
from hastack import catalog, kinds
from hastack.catalog import HaModel

SRC = Path(hastack.__file__).parent
DEPLOYED = {
    "galera",
    "glance",
    "hacluster",
    "heat",
    "keystone",
    "memcached",
    "openstack-dashboard",
    "placement",
    "rabbitmq",
    "swift-proxy",
    "swift-storage",
}


def test_every_catalog_kind_has_its_package() -> None:
    for kind in catalog.KINDS:
        assert (SRC / "kinds" / kinds.package_name(kind.name) / "__init__.py").is_file()


def test_the_kinds_hastack_deploys() -> None:
    assert {name for name, s in kinds.services().items() if s.deployable} >= DEPLOYED


@pytest.mark.parametrize("name", sorted(DEPLOYED - {"hacluster"}))
def test_a_deployed_kind_with_units_is_judged_by_status(name: str) -> None:
    service = kinds.service(name)
    assert service.render is not None and service.deploy is not None
    assert service.health is not None, f"{name} is deployed but `hastack status` ignores it"


@pytest.mark.parametrize("kind", catalog.KINDS, ids=lambda k: k.name)
def test_a_stateless_api_is_drillable(kind: catalog.ServiceKind) -> None:
    service = kinds.service(kind.name)
    if kind.ha_model is HaModel.STATELESS_API and service.deployable:
        assert service.unit_process is not None, f"a drill cannot kill a {kind.name} unit"


def test_secrets_come_from_the_kinds() -> None:
    from hastack.secrets import NAMES

    declared = [name for kind in catalog.KINDS for name, _how in kind.secrets]
    assert len(declared) == len(set(declared)), "two kinds declare the same secret"
    assert set(NAMES) == set(declared)


def _kind_name_comparisons(path: Path) -> list[str]:
    names = {kind.name for kind in catalog.KINDS}
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            literals = [o.value for o in operands if isinstance(o, ast.Constant)]
            found += [
                f"{path.relative_to(SRC)}:{node.lineno}: {v!r}" for v in literals if v in names
            ]
    return found


def test_no_behaviour_is_chosen_by_a_kind_name_outside_its_package() -> None:
    outside = [p for p in SRC.rglob("*.py") if "kinds" not in p.relative_to(SRC).parts]
    found = [hit for path in sorted(outside) for hit in _kind_name_comparisons(path)]
    assert found == []
