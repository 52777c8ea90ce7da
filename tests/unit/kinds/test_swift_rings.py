"""Swift's rings from the plan, and the builder steps from what a builder holds to them."""

from __future__ import annotations

import dataclasses
import json

import pytest
from golden_cases import build

from hastack.errors import DeployError
from hastack.kinds.swift_proxy import rings

DEVICES = [
    ("198.18.0.11", "swift-storage-z1", 1, "ctl-1"),
    ("198.18.0.12", "swift-storage-z2", 2, "ctl-2"),
    ("198.18.0.13", "swift-storage-z3", 3, "ctl-3"),
]


def _specs() -> dict[str, rings.RingSpec]:
    return {s.name: s for s in rings.specs(build("lab-cloud"), "swift-proxy")}


def test_three_rings_with_a_device_per_zone_on_each_storage_server_port() -> None:
    specs = _specs()
    assert list(specs) == ["account", "container", "object"]
    for name, port in (("account", 6202), ("container", 6201), ("object", 6200)):
        spec = specs[name]
        assert (spec.part_power, spec.replicas, spec.min_part_hours) == (8, 3, 1)
        assert [(d.ip, d.port, d.device, d.zone, d.host) for d in spec.devices] == [
            (ip, port, device, zone, host) for ip, device, zone, host in DEVICES
        ]


def test_an_application_without_a_zone_is_a_zone_of_its_own_host() -> None:
    plan = build("lab-cloud")
    apps = dict(plan.topology.applications)
    z3 = apps["swift-storage-z3"]
    apps["swift-storage-z3"] = dataclasses.replace(z3, options={})
    topology = dataclasses.replace(plan.topology, applications=apps)
    zones = rings.zones(dataclasses.replace(plan, topology=topology), "swift-proxy")
    assert zones == {
        ("swift-storage-z1", "ctl-1"): 1,
        ("swift-storage-z2", "ctl-2"): 2,
        ("swift-storage-z3", "ctl-3"): 3,  # the first zone after the named ones
    }


def _state(spec: rings.RingSpec, **changes: object) -> rings.BuilderState:
    built = tuple(rings.BuiltDevice(i, d) for i, d in enumerate(spec.devices))
    fields: dict[str, object] = {
        "part_power": spec.part_power,
        "replicas": float(spec.replicas),
        "min_part_hours": spec.min_part_hours,
        "devs_changed": False,
        "ring_written": True,
        "devices": built,
    }
    return rings.BuilderState(**{**fields, **changes})  # type: ignore[arg-type]


def test_a_new_ring_is_created_filled_and_balanced() -> None:
    spec = _specs()["object"]
    steps = rings.steps(spec, None)
    assert [s.args for s in steps] == [
        ("create", "8", "3", "1"),
        *(
            (
                "add",
                "--region",
                "1",
                "--zone",
                str(z),
                "--ip",
                ip,
                "--port",
                "6200",
                "--device",
                device,
                "--weight",
                "100",
            )
            for ip, device, z, _host in DEVICES
        ),
        ("rebalance",),
    ]
    assert steps[0].why == "new object ring: 256 partitions, 3 replicas"
    assert steps[1].why == "add z1 198.18.0.11:6200/swift-storage-z1 (ctl-1)"


def test_a_ring_as_planned_needs_nothing() -> None:
    spec = _specs()["object"]
    assert rings.steps(spec, _state(spec)) == []


def test_a_missing_ring_file_is_written_again_from_the_builder() -> None:
    spec = _specs()["account"]
    steps = rings.steps(spec, _state(spec, ring_written=False))
    assert [(s.args, s.why) for s in steps] == [
        (("write_ring",), "/etc/swift/account.ring.gz is missing")
    ]


def test_a_rebalance_deferred_by_min_part_hours_is_tried_again() -> None:
    spec = _specs()["object"]
    assert [s.args for s in rings.steps(spec, _state(spec, devs_changed=True))] == [("rebalance",)]


def test_a_new_zone_is_added_and_a_dropped_one_removed() -> None:
    spec = _specs()["container"]
    state = _state(spec)
    extra = rings.Device("198.18.0.14", 6201, "swift-storage-z4", 4, host="ctl-4")
    grown = dataclasses.replace(spec, devices=(*spec.devices, extra))
    assert [s.why for s in rings.steps(grown, state)] == [
        "add z4 198.18.0.14:6201/swift-storage-z4 (ctl-4)",
        "place the partitions on the changed devices",
    ]
    shrunk = dataclasses.replace(spec, devices=spec.devices[:2])
    assert [s.args for s in rings.steps(shrunk, state)] == [
        ("remove", "d2", "--yes"),
        ("rebalance",),
    ]


def test_replicas_and_weights_follow_the_plan() -> None:
    spec = _specs()["object"]
    lighter = dataclasses.replace(spec.devices[0], weight=50.0)
    wanted = dataclasses.replace(spec, replicas=2, devices=(lighter, *spec.devices[1:]))
    assert [s.args for s in rings.steps(wanted, _state(spec))] == [
        ("set_replicas", "2"),
        ("set_weight", "d0", "50"),
        ("rebalance",),
    ]


def test_a_zone_move_or_a_new_partition_power_is_refused_with_the_way_out() -> None:
    spec = _specs()["object"]
    moved = dataclasses.replace(spec.devices[2], zone=4)
    with pytest.raises(DeployError, match="cannot move a device to another zone in place"):
        rings.steps(dataclasses.replace(spec, devices=(*spec.devices[:2], moved)), _state(spec))
    with pytest.raises(DeployError) as error:
        rings.steps(dataclasses.replace(spec, part_power=10), _state(spec))
    assert str(error.value).endswith("keep partition-power at 8")


def test_the_builder_probe_output_is_parsed() -> None:
    text = json.dumps(
        {
            "account": None,
            "object": {
                "part_power": 8,
                "replicas": 3.0,
                "min_part_hours": 1,
                "devs_changed": False,
                "ring": True,
                "devices": [
                    {
                        "id": 0,
                        "region": 1,
                        "zone": 1,
                        "ip": "198.18.0.11",
                        "port": 6200,
                        "device": "swift-storage-z1",
                        "weight": 100.0,
                    },
                ],
            },
        }
    )
    found = rings.parse_builders(text)
    assert found["account"] is None
    state = found["object"]
    assert state is not None and state.ring_written and state.replicas == 3.0
    assert state.devices[0].device.key == ("198.18.0.11", 6200, "swift-storage-z1")
