"""The rings built on the proxy's leader and copied to every Swift host, on fake hosts; the
ring and storage checks of `hastack status`."""

from __future__ import annotations

import base64
import json

from golden_cases import build

from hastack.apply.report import Report
from hastack.health.api import ApiProbe
from hastack.health.status import Status
from hastack.hosts import CommandResult
from hastack.hosts.fake import Call, FakeHost
from hastack.kinds.swift_proxy import builder, health, rings
from hastack.kinds.swift_storage import health as storage_health

RINGS = tuple(rings.ring_path(n) for n in rings.NAMES)
BUILDERS = tuple(rings.builder_path(n) for n in rings.NAMES)


def _hosts() -> dict[str, FakeHost]:
    return {name: FakeHost(name) for name in ("ctl-1", "ctl-2", "ctl-3")}


def _md5(digests: dict[str, str]) -> object:
    def answer(host: FakeHost, call: Call) -> CommandResult:
        lines = [f"{digests[p]}  {p}\n" for p in call.argv[2:] if p in digests]
        return call.result(0 if len(lines) == len(call.argv) - 2 else 1, "".join(lines))

    return answer


def test_the_leader_builds_every_ring_from_nothing() -> None:
    hosts = _hosts()
    leader = hosts["ctl-1"]
    ran: list[tuple[str, ...]] = []
    empty = json.dumps(dict.fromkeys(rings.NAMES))
    leader.on(["/usr/bin/python3", "-c"], lambda h, c: c.result(0, empty))

    def ring_builder(host: FakeHost, call: Call) -> CommandResult:
        ran.append(call.argv[1:])
        return call.result()

    leader.on([builder.BUILDER], ring_builder)
    report = Report()
    builder.build(build("lab-cloud"), "swift-proxy", hosts, report)
    assert [r[:2] for r in ran if r[1] in ("create", "rebalance")] == [
        (rings.builder_path(n), verb) for n in rings.NAMES for verb in ("create", "rebalance")
    ]
    assert len(ran) == 3 * 5  # create, 3 adds, rebalance per ring
    assert hosts["ctl-2"].history == hosts["ctl-3"].history == []
    assert [(r.host, r.step, r.changed) for r in report.results] == [
        ("ctl-1", f"swift-proxy-{n}-ring", True) for n in rings.NAMES
    ]
    assert report.results[2].message.startswith("new object ring: 256 partitions, 3 replicas;")


def test_a_rebalance_held_back_by_min_part_hours_is_said_not_failed() -> None:
    hosts = _hosts()
    leader = hosts["ctl-1"]
    plan = build("lab-cloud")
    state = {
        s.name: {
            "part_power": 8,
            "replicas": 3.0,
            "min_part_hours": 1,
            "devs_changed": True,
            "ring": True,
            "devices": [
                {
                    "id": i,
                    "region": 1,
                    "zone": d.zone,
                    "ip": d.ip,
                    "port": d.port,
                    "device": d.device,
                    "weight": 100.0,
                }
                for i, d in enumerate(s.devices)
            ],
        }
        for s in rings.specs(plan, "swift-proxy")
    }
    leader.on(["/usr/bin/python3", "-c"], lambda h, c: c.result(0, json.dumps(state)))
    said = "No partitions could be reassigned. The time between rebalances must be at least"
    leader.on([builder.BUILDER], lambda h, c: c.result(1, said + " min_part_hours: 1 hours"))
    report = Report()
    builder.build(plan, "swift-proxy", hosts, report)
    assert report.results[0].message.startswith(
        "place the partitions on the changed devices (No partitions could be reassigned."
    )


def test_rings_go_to_every_swift_host_and_builders_to_the_other_proxies() -> None:
    hosts = _hosts()
    leader = hosts["ctl-1"]
    source = {p: f"{i:032x}" for i, p in enumerate(RINGS + BUILDERS)}
    leader.on(["md5sum"], _md5(source))
    payload = base64.b64encode(b"\x1f\x8b ring bytes").decode()
    leader.on(["base64", "-w", "0"], lambda h, c: c.result(0, payload))
    installed: dict[str, list[tuple[str, str]]] = {"ctl-2": [], "ctl-3": []}
    for name in ("ctl-2", "ctl-3"):
        seen = dict(source)
        if name == "ctl-3":
            seen[rings.ring_path("object")] = "f" * 32  # stale
        hosts[name].on(["md5sum"], _md5(seen if name == "ctl-3" else {}))

        def install(host: FakeHost, call: Call) -> CommandResult:
            installed[host.name].append((call.argv[-1], call.stdin))
            return call.result()

        hosts[name].on(["sh", "-c", builder.INSTALL], install)
    report = Report()
    builder.distribute(build("lab-cloud"), "swift-proxy", hosts, report)
    assert sorted(p for p, _ in installed["ctl-2"]) == sorted(RINGS + BUILDERS)
    assert installed["ctl-3"] == [(rings.ring_path("object"), payload)]
    messages = {r.host: (r.changed, r.message) for r in report.results}
    assert messages["ctl-3"] == (True, "copied object.ring.gz from ctl-1")


def test_ring_health_compares_every_host_with_the_builder() -> None:
    same = dict.fromkeys(RINGS, "a" * 32)
    stale = {**same, rings.ring_path("object"): "b" * 32}
    results = health.evaluate_rings(
        "swift-proxy", "ctl-1", {"ctl-1": same, "ctl-2": stale, "ctl-3": None}
    )
    assert [(r.subject, r.status) for r in results] == [
        ("swift-proxy rings on ctl-1", Status.OK),
        ("swift-proxy rings on ctl-2", Status.DEGRADED),
        ("swift-proxy rings on ctl-3", Status.DEGRADED),
    ]
    assert results[1].message.startswith(
        "on ctl-2 /etc/swift/object.ring.gz differs (compared with ctl-1, the ring builder):"
    )
    missing = health.evaluate_rings(
        "swift-proxy",
        "ctl-9",
        {"ctl-1": same, "ctl-2": {**same, rings.ring_path("account"): None}},
    )
    assert missing[1].message.startswith(
        "on ctl-2 /etc/swift/account.ring.gz is missing (compared with most hosts"
    )


def test_storage_servers_and_units_per_zone() -> None:
    targets = storage_health.targets(build("lab-cloud"), "swift-storage-z2")
    assert [t[0] for t in targets] == [
        "swift-storage-z2/0 account-server",
        "swift-storage-z2/0 container-server",
        "swift-storage-z2/0 object-server",
    ]
    assert targets[2][2] == "http://198.18.0.12:6200/healthcheck"
    probes = [ApiProbe(label, host, url, 200, "HTTP 200") for label, host, url in targets]
    probes[2] = ApiProbe(targets[2][0], "ctl-2", targets[2][2], None, "connection refused")
    results = storage_health.evaluate_servers("swift-storage-z2", probes)
    assert [r.status for r in results] == [Status.OK, Status.OK, Status.DEGRADED]
    units = storage_health.evaluate_units(
        "swift-storage-z2", {"ctl-2": ["swift-object-replicator.service"]}
    )
    assert units[0].status is Status.DEGRADED
    assert "swift-object-replicator.service not active" in units[0].message
    assert len(storage_health.ALL_UNITS) == 13  # 12 Swift units and rsync
