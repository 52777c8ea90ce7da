"""What a lab is made of: bridges, nodes, BMCs and the per-node disks. Data only, no I/O.

The deployer builds a ``LabSpec`` from its plan; ``default_spec(n, password)`` gives the
embedded default (N controllers on a management and an external bridge). Every name the
lab creates starts with ``hs-`` so leftovers are easy to find.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

from .. import catalog
from ..catalog import LabPaths, SubDir
from ..secret import Secret

PREFIX = "hs-"
IFNAME_MAX = 15  # Linux interface names
DEFAULT_ROOT = "/var/lib/hastack/lab"
DEFAULT_BMC_USER = "admin"
FIRST_NODE_HOST = 10  # node i (1-based) gets .10+i on every bridge
FIRST_BMC_HOST = 200  # node i's BMC is .200+i on the management bridge
LAB_NETWORK = ipaddress.IPv4Network("198.18.0.0/15")  # RFC 2544, benchmarking
MAX_NODES = 53  # .201 .. .253 for BMCs; .254 is the host


@dataclasses.dataclass(frozen=True)
class BridgeSpec:
    """One lab network: a host bridge with the host's address on it."""

    name: str  # "hs-mgmt"
    cidr: str  # "198.18.0.0/24"
    host_address: str  # "198.18.0.254"
    suffix: str  # one letter for host-side veth names: "m" -> "hs-ctl-1m"

    @property
    def prefixlen(self) -> int:
        return ipaddress.ip_network(self.cidr).prefixlen

    def address(self, host: int) -> str:
        """The address of host number *host* inside this bridge's network."""
        return str(ipaddress.ip_network(self.cidr).network_address + host)


@dataclasses.dataclass(frozen=True)
class InterfaceSpec:
    """A node's leg on one bridge: a veth pair."""

    bridge: str  # "hs-mgmt"
    name: str  # inside the node: "eth0"
    host_name: str  # on the host, enslaved to the bridge: "hs-ctl-1m"
    address: str  # "198.18.0.11"
    prefixlen: int  # 24


@dataclasses.dataclass(frozen=True)
class NodeSpec:
    name: str  # "ctl-1"
    interfaces: tuple[InterfaceSpec, ...]
    bmc_address: str  # "198.18.0.201", a /32 on the management bridge (host side)

    @property
    def netns(self) -> str:
        return netns_name(self.name)

    @property
    def address(self) -> str:
        """The management address (first interface)."""
        return self.interfaces[0].address


def paths_of(kinds: Iterable[str]) -> LabPaths:
    """The lab paths of the cluster layer (every lab node is a cluster member) and of
    *kinds*, each path once (first wins)."""
    cluster = catalog.CLUSTER_KIND
    chosen = [catalog.by_name(cluster).lab]
    chosen += [catalog.by_name(k).lab for k in sorted(set(kinds) - {cluster})]

    return LabPaths(
        log_dirs=tuple(sorted(_unique(d for p in chosen for d in p.log_dirs), key=_path)),
        run_dirs=tuple(sorted(_unique(d for p in chosen for d in p.run_dirs), key=_path)),
    )


def _unique(items: Iterable[SubDir]) -> tuple[SubDir, ...]:
    first: dict[str, SubDir] = {}
    for item in items:
        first.setdefault(item.path, item)
    return tuple(first.values())


def _path(item: SubDir) -> str:
    return item.path


_ALL_PATHS = paths_of(kind.name for kind in catalog.KINDS)  # a lab made without a plan


@dataclasses.dataclass(frozen=True)
class LabSpec:
    nodes: tuple[NodeSpec, ...]
    bridges: tuple[BridgeSpec, ...]
    bmc_password: Secret = dataclasses.field(repr=False, compare=False)
    bmc_user: str = DEFAULT_BMC_USER
    root: str = DEFAULT_ROOT
    log_dirs: tuple[SubDir, ...] = _ALL_PATHS.log_dirs
    run_dirs: tuple[SubDir, ...] = _ALL_PATHS.run_dirs
    stop_grace: float = 20.0  # seconds a clean shutdown may take before the power is cut

    def node(self, name: str) -> NodeSpec:
        for node in self.nodes:
            if node.name == name:
                return node
        known = ", ".join(n.name for n in self.nodes) or "none"
        raise KeyError(f"the lab has no node {name!r} (nodes: {known})")

    @property
    def management(self) -> BridgeSpec:
        return self.bridges[0]


MANAGEMENT = BridgeSpec("hs-mgmt", "198.18.0.0/24", "198.18.0.254", "m")
EXTERNAL = BridgeSpec("hs-ext", "198.18.1.0/24", "198.18.1.254", "e")
STORAGE = BridgeSpec("hs-stor", "198.18.2.0/24", "198.18.2.254", "s")


def netns_name(node: str) -> str:
    return PREFIX + node


def veth_name(node: str, bridge: BridgeSpec) -> str:
    return f"{PREFIX}{node}{bridge.suffix}"


def node_spec(name: str, index: int, bridges: tuple[BridgeSpec, ...]) -> NodeSpec:
    """Node number *index* (1-based): eth<k> on bridge k at .10+index, BMC at .200+index."""
    if not 1 <= index <= MAX_NODES:
        raise ValueError(f"node index {index} is outside 1..{MAX_NODES}")
    interfaces = tuple(
        InterfaceSpec(
            bridge=b.name,
            name=f"eth{k}",
            host_name=veth_name(name, b),
            address=b.address(FIRST_NODE_HOST + index),
            prefixlen=b.prefixlen,
        )
        for k, b in enumerate(bridges)
    )
    return NodeSpec(name, interfaces, bridges[0].address(FIRST_BMC_HOST + index))


def default_spec(
    count: int,
    password: Secret,
    *,
    root: str = DEFAULT_ROOT,
    prefix: str = "ctl",
    storage: bool = False,
    user: str = DEFAULT_BMC_USER,
    bridges: tuple[BridgeSpec, ...] | None = None,
) -> LabSpec:
    """A bare lab: *count* nodes ``ctl-1..`` on hs-mgmt and hs-ext (+ hs-stor)."""
    if bridges is None:
        bridges = (MANAGEMENT, EXTERNAL, STORAGE) if storage else (MANAGEMENT, EXTERNAL)
    nodes = tuple(node_spec(f"{prefix}-{i}", i, bridges) for i in range(1, count + 1))
    spec = LabSpec(nodes=nodes, bridges=bridges, bmc_password=password, bmc_user=user, root=root)
    problems = validate(spec)
    if problems:
        raise ValueError("; ".join(problems))
    return spec


def validate(spec: LabSpec) -> list[str]:
    """Every problem with *spec*, as sentences; empty when it can be built."""
    problems: list[str] = []
    if not spec.nodes:
        problems.append("the lab needs at least one node")
    if not spec.bridges:
        problems.append("the lab needs at least one bridge (the management network)")
    for b in spec.bridges:
        if not b.name.startswith(PREFIX) or len(b.name) > IFNAME_MAX:
            problems.append(f"bridge {b.name!r} must start with {PREFIX!r} and have ≤15 chars")
        try:
            inside = ipaddress.IPv4Network(b.cidr).subnet_of(LAB_NETWORK)
        except ValueError:
            inside = False
        if not inside:
            problems.append(
                f"bridge {b.name} network {b.cidr} is not an IPv4 network in {LAB_NETWORK}"
            )
    seen: set[str] = set()
    for n in spec.nodes:
        if n.name in seen:
            problems.append(f"node {n.name} appears twice")
        seen.add(n.name)
        problems.extend(
            f"node {n.name}: interface name {i.host_name!r} is longer than 15 chars; "
            "use a node name of at most 11 characters"
            for i in n.interfaces
            if len(i.host_name) > IFNAME_MAX
        )
    return problems


def spec_to_dict(spec: LabSpec) -> dict[str, Any]:
    """A JSON-ready dict of *spec* without the BMC password."""
    data = dataclasses.asdict(spec)
    del data["bmc_password"]
    return data


def spec_from_dict(data: Mapping[str, Any], password: Secret) -> LabSpec:
    """The inverse of ``spec_to_dict``; the password comes from the caller."""

    def sub(items: Any) -> tuple[SubDir, ...]:
        return tuple(SubDir(**d) for d in items)

    return LabSpec(
        nodes=tuple(
            NodeSpec(
                name=n["name"],
                interfaces=tuple(InterfaceSpec(**i) for i in n["interfaces"]),
                bmc_address=n["bmc_address"],
            )
            for n in data["nodes"]
        ),
        bridges=tuple(BridgeSpec(**b) for b in data["bridges"]),
        bmc_password=password,
        bmc_user=data["bmc_user"],
        root=data["root"],
        log_dirs=sub(data["log_dirs"]),
        run_dirs=sub(data["run_dirs"]),
        stop_grace=data["stop_grace"],
    )
