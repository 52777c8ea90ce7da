"""Placement x3 behind its VIP, proven with the real OpenStack client and raw HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from openstack_probe import issue_token, openstack_cli, public_vip

from conftest import DeployedLab, status_json
from hastack.kinds.placement import service as placement
from hastack.openstack import identity

pytestmark = pytest.mark.lab
APP = "placement"
CLI_TIMEOUT_S = 120  # the client's start costs 2-5 s on a loaded two-core machine


def _clouds(lab: DeployedLab):  # type: ignore[no-untyped-def]
    return lab.state_dir / "deployments" / lab.plan.topology.name / "clouds.yaml"


def _get(url: str, token: str | None) -> int:
    headers = {"X-Auth-Token": token} if token else {}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_resource_provider_list_through_the_vip(deployed: DeployedLab) -> None:
    done = openstack_cli(
        _clouds(deployed), "resource", "provider", "list", "-f", "json", timeout=CLI_TIMEOUT_S
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []  # no compute node reports to it yet


def test_the_vip_answers_only_with_a_token(deployed: DeployedLab) -> None:
    vip = f"http://{public_vip(deployed.plan, APP)}:8778"
    keystone = f"http://{public_vip(deployed.plan, 'keystone')}:5000"
    password = deployed.secrets.get("keystone-admin-password").reveal()
    assert _get(f"{vip}/resource_providers", None) == 401  # keystonemiddleware said no
    token = issue_token(keystone, password)
    assert _get(f"{vip}/resource_providers", token) == 200


def test_the_catalog_has_placement_on_the_vips(deployed: DeployedLab) -> None:
    done = openstack_cli(
        _clouds(deployed), "endpoint", "list", "--service", "placement", "-f", "json",
        timeout=CLI_TIMEOUT_S,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = {row["Interface"]: row["URL"] for row in json.loads(done.stdout)}
    entry = placement.SPEC.identity.services[0]
    assert found == identity.endpoint_urls(deployed.plan, APP, entry)


def test_status_judges_every_placement_unit(deployed: DeployedLab) -> None:
    _code, report = status_json(deployed)
    rows = [
        r
        for r in report["results"]  # type: ignore[union-attr]
        if r["check"] == "api.units" and r["subject"].startswith("placement/")  # type: ignore[index]
    ]
    assert sorted(r["subject"] for r in rows) == [  # type: ignore[index]
        f"{u.name} placement-api on {u.host}" for u in deployed.plan.units_of(APP)
    ]
    assert all(r["status"] == "ok" for r in rows), rows  # type: ignore[index]
