"""The lab's networks on the host: bridges, node network namespaces, veths, BMC addresses.

Every function is idempotent and returns what it did as sentences (empty: nothing to do).
"""

from __future__ import annotations

import json
import logging

from .. import errors
from ..facts.network import parse_ip_addr
from .proc import NETNS_DIR, host_run
from .spec import BridgeSpec, NodeSpec

log = logging.getLogger(__name__)

DEFAULT_BRIDGES = ("hs-mgmt", "hs-ext", "hs-stor")


def links() -> dict[str, dict[str, object]]:
    """Host links by name, as ``ip -j link`` reports them."""
    out = host_run(["ip", "-j", "link", "show"]).stdout
    return {str(item["ifname"]): item for item in json.loads(out or "[]")}


def netns_exists(netns: str) -> bool:
    return (NETNS_DIR / netns).exists()


def ensure_bridge(bridge: BridgeSpec) -> list[str]:
    done = []
    if bridge.name not in links():
        host_run(["ip", "link", "add", bridge.name, "type", "bridge", "mcast_snooping", "0"])
        done.append(f"created bridge {bridge.name}")
    address = f"{bridge.host_address}/{bridge.prefixlen}"
    if not _has_address(bridge.name, bridge.host_address):
        host_run(["ip", "addr", "add", address, "dev", bridge.name])
        done.append(f"host address {address} on {bridge.name}")
    host_run(["ip", "link", "set", bridge.name, "up"])
    return done


def _has_address(dev: str, address: str) -> bool:
    out = host_run(["ip", "-j", "addr", "show", "dev", dev], check=False).stdout
    return any(a.address == address for a in parse_ip_addr(out or "[]"))


def ensure_bmc_address(node: NodeSpec, bridge: BridgeSpec) -> list[str]:
    if _has_address(bridge.name, node.bmc_address):
        return []
    host_run(["ip", "addr", "add", f"{node.bmc_address}/32", "dev", bridge.name])
    return [f"BMC address {node.bmc_address} of {node.name} on {bridge.name}"]


def ensure_netns(node: NodeSpec, *, links_up: bool) -> list[str]:
    """The node's network namespace, loopback, sysctls and one veth per bridge."""
    done = []
    ns = node.netns
    if not netns_exists(ns):
        host_run(["ip", "netns", "add", ns])
        done.append(f"created network namespace {ns}")
    host_run(["ip", "-n", ns, "link", "set", "lo", "up"])
    host_run(["ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.ip_nonlocal_bind=1"])
    existing = links()
    for iface in node.interfaces:
        if iface.host_name not in existing:
            peer = ["peer", "name", iface.name, "netns", ns]
            host_run(["ip", "link", "add", iface.host_name, "type", "veth", *peer])
            done.append(f"veth {iface.host_name} on {iface.bridge} <-> {ns}:{iface.name}")
        host_run(["ip", "link", "set", iface.host_name, "master", iface.bridge])
        cidr = f"{iface.address}/{iface.prefixlen}"
        host_run(["ip", "-n", ns, "addr", "replace", cidr, "dev", iface.name])
        host_run(["ip", "-n", ns, "link", "set", iface.name, "up"])
    if links_up:
        set_links(node, up=True)
    return done


def set_links(node: NodeSpec, *, up: bool) -> None:
    """Host-side veths of *node* up or down: down = the node's cables are pulled."""
    state = "up" if up else "down"
    for iface in node.interfaces:
        host_run(["ip", "link", "set", iface.host_name, state])


def flush_addresses(node: NodeSpec) -> None:
    """Drop every address inside the node (a powered-off machine keeps none, e.g. a VIP
    IPaddr2 added); ``ensure_netns`` puts the node's own addresses back."""
    for iface in node.interfaces:
        host_run(["ip", "-n", node.netns, "addr", "flush", "dev", iface.name], check=False)


def unpower_nics(node: NodeSpec) -> None:
    """A powered-off machine's NICs: down and without addresses, so that nothing answers
    (not even ARP for a VIP it held) when its switch port comes back up."""
    flush_addresses(node)
    for iface in node.interfaces:
        host_run(["ip", "-n", node.netns, "link", "set", iface.name, "down"], check=False)


def links_state(node: NodeSpec) -> dict[str, bool]:
    """Host veth name -> administratively up?"""
    existing = links()
    return {
        i.host_name: "UP" in existing.get(i.host_name, {}).get("flags", [])  # type: ignore[operator]
        for i in node.interfaces
    }


def delete_netns(netns: str) -> list[str]:
    if not netns_exists(netns):
        return []
    host_run(["ip", "netns", "delete", netns])
    return [f"deleted network namespace {netns}"]


def delete_link(name: str) -> list[str]:
    """Delete a host link; a veth may vanish by itself meanwhile (its netns was deleted)."""
    if name not in links():
        return []
    result = host_run(["ip", "link", "delete", name], check=False)
    if result.returncode != 0 and name in links():
        raise errors.LabError(f"`ip link delete {name}` failed: {result.stderr.strip()}")
    return [f"deleted link {name}"]


def lab_links(bridges: set[str], veths: set[str]) -> list[str]:
    """Existing links that belong to the lab: its bridges, their ports, and named veths."""
    found = []
    for name, item in links().items():
        if not name.startswith("hs-"):
            continue
        if name in bridges or name in veths or item.get("master") in bridges:
            found.append(name)
    return sorted(found)
