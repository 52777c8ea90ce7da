"""Swift in three zones and Glance on it, behind their VIPs, proven with the real clients:
an image made with `openstack image create` is an object on disk in every zone, and each
Glance unit returns its bytes; an object written through the Swift VIP reads back; status
judges the rings, servers, units and replication of every zone.

Then two drills under image and object load (the Swift object and Glance image probes run in
every drill here): a Glance unit killed costs no request, and a controller powered off - a
storage zone, a Swift proxy and a Glance unit with it - costs no object and no image sent
after the fault. These tests run on the cloud lab (examples/lab-cloud.yaml); the core's
drills are in test_drills.py, on the core lab.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from drill_checks import assert_green, assert_invariants, assert_probe, drill, repaired
from openstack_probe import openstack_cli

from conftest import DeployedLab, status_json
from hastack.kinds.swift_proxy import rings

pytestmark = pytest.mark.lab
LAB = "cloud"
GLANCE = "glance"
GLANCE_UNIT_PORT = 9282
STORAGE = ("swift-storage-z1", "swift-storage-z2", "swift-storage-z3")
__all__ = ["repaired"]  # the autouse fixture: a drill that did not heal is redeployed after


def _clouds(lab: DeployedLab) -> Path:
    return lab.state_dir / "deployments" / lab.plan.topology.name / "clouds.yaml"


def _cli(lab: DeployedLab, *args: str, clouds: Path | None = None) -> str:
    done = openstack_cli(clouds or _clouds(lab), *args, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def image(deployed: DeployedLab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:  # type: ignore[type-arg]
    """An image of 3 MiB of random bytes made through the Glance VIP with the real client."""
    path = tmp_path_factory.mktemp("image") / "disk.raw"
    path.write_bytes(os.urandom(3 * 1024 * 1024))
    name = f"hastack-test-{uuid.uuid4().hex[:8]}"
    _cli(
        deployed,
        "image", "create", "--disk-format", "raw", "--container-format", "bare",
        "--file", str(path), name,
    )  # fmt: skip
    shown = json.loads(_cli(deployed, "image", "show", name, "-f", "json"))
    yield {**shown, "path": path}
    _cli(deployed, "image", "delete", shown["id"])


def test_an_image_is_active_with_the_bytes_uploaded(image: dict) -> None:  # type: ignore[type-arg]
    data = image["path"].read_bytes()
    assert image["status"] == "active"
    assert image["size"] == len(data)
    assert image["checksum"] == hashlib.md5(data, usedforsecurity=False).hexdigest()


def test_the_image_is_an_object_on_disk_in_every_zone(
    deployed: DeployedLab,
    image: dict,  # type: ignore[type-arg]
) -> None:
    """Glance's single-tenant store: container `glance` of the service project; Swift's own
    swift-get-nodes says where the ring puts the object, and each zone's disk holds it."""
    service = _cli(deployed, "project", "show", "service", "-f", "value", "-c", "id").strip()
    ctl = deployed.node("ctl-1")
    where = ctl.check(
        ["swift-get-nodes", "/etc/swift/object.ring.gz", f"AUTH_{service}", GLANCE, image["id"]]
    ).stdout
    partition = re.search(r"^Partition\s+(\d+)$", where, re.M)
    digest = re.search(r"^Hash\s+([0-9a-f]{32})$", where, re.M)
    assert partition and digest, where
    found = {}
    for app in STORAGE:
        (unit,) = deployed.plan.units_of(app)
        part, name = partition.group(1), digest.group(1)
        directory = f"{rings.DEVICES}/{app}/objects/{part}/{name[-3:]}/{name}"
        listing = deployed.node(unit.host).run(["sh", "-c", f"stat -c '%n %s' {directory}/*.data"])
        assert listing.ok, f"{app} on {unit.host}: no object in {directory}: {listing.stderr}"
        found[app] = int(listing.stdout.split()[-1])
    assert found == dict.fromkeys(STORAGE, image["size"])


def test_every_glance_unit_returns_the_same_bytes(
    deployed: DeployedLab,
    image: dict,  # type: ignore[type-arg]
    tmp_path: Path,
) -> None:
    """`openstack image save` from each unit in turn (the image endpoint overridden)."""
    clouds = json.loads(json.dumps(_yaml(_clouds(deployed))))
    wanted = image["path"].read_bytes()
    for unit in deployed.plan.units_of(GLANCE):
        address = deployed.plan.host(unit.host).address()
        cloud = clouds["clouds"]["hastack"]
        cloud["image_endpoint_override"] = f"http://{address}:{GLANCE_UNIT_PORT}"
        own = tmp_path / f"clouds-{unit.host}.yaml"
        own.write_text(json.dumps(clouds))
        saved = tmp_path / f"{unit.host}.raw"
        _cli(deployed, "image", "save", "--file", str(saved), image["id"], clouds=own)
        assert saved.read_bytes() == wanted, f"glance on {unit.host} returned other bytes"


def test_an_object_written_through_the_swift_vip_reads_back(
    deployed: DeployedLab, tmp_path: Path
) -> None:
    container = f"hastack-test-{uuid.uuid4().hex[:8]}"
    source = tmp_path / "object"
    source.write_bytes(os.urandom(100_000))
    _cli(deployed, "container", "create", container)
    try:
        _cli(deployed, "object", "create", "--name", "one", container, str(source))
        back = tmp_path / "back"
        _cli(deployed, "object", "save", "--file", str(back), container, "one")
        assert back.read_bytes() == source.read_bytes()
        listed = json.loads(_cli(deployed, "object", "list", container, "-f", "json"))
        assert [o["Name"] for o in listed] == ["one"]
    finally:
        _cli(deployed, "object", "delete", container, "one")
        _cli(deployed, "container", "delete", container)


def test_status_judges_swift_and_glance_on_every_unit(deployed: DeployedLab) -> None:
    code, report = status_json(deployed)
    results = report["results"]
    assert isinstance(results, list)
    by_check: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for result in results:
        by_check.setdefault(result["check"], []).append(result)
    hosts = {h.name for h in deployed.plan.hosts}
    for check in ("swift.rings", "swift.units", "swift.replication", "swift.servers"):
        assert by_check.get(check), f"status has no {check}"
        assert all(r["status"] == "ok" for r in by_check[check]), by_check[check]
    for app in (GLANCE, "swift-proxy"):
        answering = {
            r["subject"].rsplit(" on ", 1)[-1]
            for r in by_check["api.units"]
            if r["subject"].startswith(f"{app}/") and r["status"] == "ok"
        }
        assert answering == hosts, f"{app} answers on {answering}, not on every host"
    assert code == 0, [r for r in results if r["status"] != "ok"]


def test_a_second_lab_up_changes_nothing_on_the_cloud(deployed: DeployedLab) -> None:
    """Rings, devices, Swift's units, Glance's schema and registrations: all found as planned."""
    done = deployed.cli("lab", "up", str(deployed.bundle), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [s for s in report["steps"] if s["changed"]] == []
    said = {s["step"] for s in report["steps"]}
    assert {"swift-proxy-object-ring", "swift-storage-z1", "glance-db"} <= said, said


def test_a_killed_glance_unit_costs_no_image_download(
    deployed: DeployedLab, tmp_path: Path
) -> None:
    """HAProxy routes around the dead unit (a zero budget: no request may fail) and systemd
    starts glance-api again (Restart=on-failure) - healed with no deploy."""
    result = drill(deployed, "glance-unit-killed", tmp_path)
    assert_invariants(result)
    assert result["injected"].startswith("SIGKILLed glance-api on ")
    assert result["predicted"]["seconds"] == 0
    assert_probe(result, "image download")
    assert_green(deployed)


def test_a_storage_node_powered_off_costs_no_object_or_image(
    deployed: DeployedLab, tmp_path: Path
) -> None:
    """A controller and the zone on it lost: every object write+read and image download sent
    after the fault succeeds through the survivors (two of three replicas suffice), and the
    zone's replication is green again by itself once the node is back."""
    result = drill(deployed, "backend-power-off", tmp_path)
    assert_invariants(result)
    assert result["injected"].startswith("powered off ")
    for what in ("object put+get", "image download"):
        assert_probe(result, what)
        probe = next(p["measure"] for p in result["probes"] if what in p["name"])
        assert probe["failed"] - probe["in_flight"] == 0, (what, probe)
    assert_green(deployed)  # swift.replication among the checks


def _yaml(path: Path) -> dict:  # type: ignore[type-arg]
    from ruamel.yaml import YAML

    loaded = YAML(typ="safe").load(path.read_text())
    assert isinstance(loaded, dict)
    return loaded
