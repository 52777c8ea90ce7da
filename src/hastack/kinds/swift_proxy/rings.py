"""Swift's rings as the plan wants them, and the ``swift-ring-builder`` steps that get there.

A swift-proxy application owns three rings (account, container, object) over the devices of
the swift-storage applications related to it: one device per storage unit, in the zone its
application's ``zone`` option names (the seed's zone applications; a unit of an application
without one is a zone of its own host), on the host's storage address (management when the
bundle has no storage network), ``replicas`` copies (the proxy's option, 3 by default).

Pure: plan in, wanted rings out; a builder's state (read on the host by ``BUILDER_PROBE``)
and a wanted ring in, the builder commands out, each with its reason. Swift itself builds
and balances the rings; hastack only says what the devices are.
"""

from __future__ import annotations

import dataclasses
import json

from ...catalog.base import ReplicatedData
from ...errors import DeployError
from ...plan import Plan, queries
from ...topology import NetworkRole
from .. import swift_storage
from . import KIND

RING_DIR = "/etc/swift"
DEVICES = "/var/lib/swift/devices"  # a plain directory per device (mount_check = false)
REGION = 1
WEIGHT = 100.0
PART_POWER = 8  # 256 partitions: plenty for a lab and small clouds (the charm's default)
MIN_PART_HOURS = 1  # a partition moves once per hour at most while the layout changes

PORTS = {  # ring -> the storage server's port
    "account": swift_storage.ACCOUNT_PORT,
    "container": swift_storage.CONTAINER_PORT,
    "object": swift_storage.OBJECT_PORT,
}
NAMES = tuple(PORTS)


def builder_path(ring: str) -> str:
    return f"{RING_DIR}/{ring}.builder"


def ring_path(ring: str) -> str:
    return f"{RING_DIR}/{ring}.ring.gz"


@dataclasses.dataclass(frozen=True, order=True)
class Device:
    """One device of a ring: a storage unit's directory ``DEVICES/<device>``."""

    ip: str
    port: int
    device: str  # the storage application's name: unique on its host
    zone: int
    region: int = REGION
    weight: float = WEIGHT
    host: str = ""  # the plan's host name, for messages

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.ip, self.port, self.device)

    def describe(self) -> str:
        return f"z{self.zone} {self.ip}:{self.port}/{self.device}"


@dataclasses.dataclass(frozen=True)
class RingSpec:
    name: str  # "object"
    part_power: int
    replicas: int
    min_part_hours: int
    devices: tuple[Device, ...]


def storage_applications(plan: Plan, proxy: str) -> tuple[str, ...]:
    return queries.related(plan, proxy, swift_storage.KIND.name)


def _int_option(plan: Plan, app: str, option: str, default: int) -> int:
    written = plan.topology.applications[app].option_str(option)
    return int(written) if written.isdigit() and int(written) > 0 else default


def storage_address(plan: Plan, host: str) -> str:
    """Where a storage host's servers listen: its storage address, else management."""
    found = plan.host(host)
    try:
        return str(found.address(NetworkRole.STORAGE))
    except KeyError:
        return str(found.address(NetworkRole.MANAGEMENT))


def zones(plan: Plan, proxy: str) -> dict[tuple[str, str], int]:
    """(storage application, host) -> its zone: the application's ``zone`` option, else one
    zone per host (numbered after the highest option zone, in the plan's host order)."""
    rule = KIND.data
    assert isinstance(rule, ReplicatedData) and rule.zone_option is not None
    apps = storage_applications(plan, proxy)
    named = {
        a: int(z)
        for a in apps
        if (z := plan.topology.applications[a].option_str(rule.zone_option)).isdigit()
    }
    unnamed = [u.host for a in apps if a not in named for u in plan.units_of(a)]
    first = max(named.values(), default=0) + 1
    own = {h.name: first + i for i, h in enumerate(queries.ordered(plan, unnamed))}
    return {
        (u.application, u.host): named.get(a, own.get(u.host, 0))
        for a in apps
        for u in plan.units_of(a)
    }


def specs(plan: Plan, proxy: str) -> tuple[RingSpec, ...]:
    """The account, container and object rings *proxy* needs, from the plan."""
    zone_of = zones(plan, proxy)
    replicas = _int_option(plan, proxy, "replicas", 3)
    part_power = _int_option(plan, proxy, "partition-power", PART_POWER)
    hours = plan.topology.applications[proxy].option_str("min-hours")
    min_hours = int(hours) if hours.isdigit() else MIN_PART_HOURS
    out = []
    for name, port in PORTS.items():
        devices = sorted(
            Device(storage_address(plan, host), port, app, zone, host=host)
            for (app, host), zone in zone_of.items()
        )
        out.append(RingSpec(name, part_power, replicas, min_hours, tuple(devices)))
    return tuple(out)


# --- the builder as it is: read on the builder host with Swift's own library -------------

BUILDER_PROBE = """
import json, os, sys
from swift.common.ring import RingBuilder
found = {}
for name in sys.argv[1:]:
    path = "/etc/swift/%s.builder" % name
    if not os.path.exists(path):
        found[name] = None
        continue
    b = RingBuilder.load(path)
    keys = ("id", "region", "zone", "ip", "port", "device", "weight")
    found[name] = {
        "part_power": b.part_power, "replicas": b.replicas,
        "min_part_hours": b.min_part_hours, "devs_changed": bool(b.devs_changed),
        "ring": os.path.exists("/etc/swift/%s.ring.gz" % name),
        "devices": [{k: d[k] for k in keys} for d in b.devs if d is not None],
    }
print(json.dumps(found))
"""


@dataclasses.dataclass(frozen=True)
class BuiltDevice:
    id: int
    device: Device


@dataclasses.dataclass(frozen=True)
class BuilderState:
    part_power: int
    replicas: float
    min_part_hours: int
    devs_changed: bool  # devices changed since the last rebalance
    ring_written: bool  # the .ring.gz is next to the builder
    devices: tuple[BuiltDevice, ...]


def parse_builders(text: str) -> dict[str, BuilderState | None]:
    """``BUILDER_PROBE``'s output: each ring's builder state, None where there is none."""
    found = json.loads(text)
    out: dict[str, BuilderState | None] = {}
    for name, state in found.items():
        if state is None:
            out[name] = None
            continue
        devices = tuple(
            BuiltDevice(
                int(d["id"]),
                Device(
                    str(d["ip"]),
                    int(d["port"]),
                    str(d["device"]),
                    int(d["zone"]),
                    int(d["region"]),
                    float(d["weight"]),
                ),
            )
            for d in state["devices"]
        )
        out[name] = BuilderState(
            int(state["part_power"]),
            float(state["replicas"]),
            int(state["min_part_hours"]),
            bool(state["devs_changed"]),
            bool(state["ring"]),
            devices,
        )
    return out


# --- from what is to what the plan wants ---------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Step:
    """One ``swift-ring-builder <builder> ARGS`` call and why."""

    args: tuple[str, ...]
    why: str


def _add(device: Device) -> Step:
    args = (
        "add",
        "--region",
        str(device.region),
        "--zone",
        str(device.zone),
        "--ip",
        device.ip,
        "--port",
        str(device.port),
        "--device",
        device.device,
        "--weight",
        f"{device.weight:g}",
    )
    return Step(args, f"add {device.describe()} ({device.host})")


def steps(spec: RingSpec, state: BuilderState | None) -> list[Step]:
    """The builder commands that make *state* the ring *spec* describes; ``[]`` when it is.
    A rebalance ends every list that changed a device; ``write_ring`` alone restores a
    missing ring file."""
    if state is None:
        create = ("create", str(spec.part_power), str(spec.replicas), str(spec.min_part_hours))
        made = f"{2**spec.part_power} partitions, {spec.replicas} replicas"
        return [
            Step(create, f"new {spec.name} ring: {made}"),
            *(_add(d) for d in spec.devices),
            Step(("rebalance",), f"place the partitions on {len(spec.devices)} devices"),
        ]
    if state.part_power != spec.part_power:
        raise DeployError(
            f"the {spec.name} ring has partition power {state.part_power}, the plan asks for "
            f"{spec.part_power}; hastack does not change it (Swift's partition power increase "
            f"is a procedure of its own): keep partition-power at {state.part_power}"
        )
    out: list[Step] = []
    if state.replicas != spec.replicas:
        out.append(
            Step(
                ("set_replicas", str(spec.replicas)),
                f"{state.replicas:g} replicas -> {spec.replicas}",
            )
        )
    if state.min_part_hours != spec.min_part_hours:
        out.append(
            Step(
                ("set_min_part_hours", str(spec.min_part_hours)),
                f"min_part_hours {state.min_part_hours} -> {spec.min_part_hours}",
            )
        )
    wanted = {d.key: d for d in spec.devices}
    built = {b.device.key: b for b in state.devices}
    for key, have in sorted(built.items()):
        want = wanted.get(key)
        if want is None:
            out.append(
                Step(
                    ("remove", f"d{have.id}", "--yes"),
                    f"remove {have.device.describe()}: not in the plan",
                )
            )
        elif (want.zone, want.region) != (have.device.zone, have.device.region):
            raise DeployError(
                f"the {spec.name} ring has {have.device.describe()} in zone "
                f"{have.device.zone}, the plan puts it in zone {want.zone}; Swift cannot move "
                "a device to another zone in place (a removed device's address stays taken "
                "until a rebalance): deploy without that storage unit first, then with it in "
                "its new zone"
            )
        elif want.weight != have.device.weight:
            out.append(
                Step(
                    ("set_weight", f"d{have.id}", f"{want.weight:g}"),
                    f"weight of {want.describe()} {have.device.weight:g} -> {want.weight:g}",
                )
            )
    out += [_add(d) for key, d in sorted(wanted.items()) if key not in built]
    if out or state.devs_changed:
        out.append(Step(("rebalance",), "place the partitions on the changed devices"))
    elif not state.ring_written:
        out.append(Step(("write_ring",), f"{ring_path(spec.name)} is missing"))
    return out
