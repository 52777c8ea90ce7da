"""The lab: N nodes that boot like machines on this machine, with bridges and virtual BMCs.

``Lab(root).up(spec)`` builds what is missing and powers the nodes on; ``down()`` removes
every namespace, bridge, veth, mount and process it made and keeps the nodes' disks (unless
``wipe=True``). Every method returns or raises complete sentences.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import json
import logging
import os
import shutil
import signal
from pathlib import Path

from .. import errors
from ..hosts.lab import LabConnector
from ..hosts.local import LocalConnector
from ..secret import Secret
from ..wait import WaitTimeout, wait_until
from . import bmc, bmcmute, boot, net, power, proc
from .layout import LabLayout
from .spec import DEFAULT_ROOT, LabSpec, NodeSpec, spec_from_dict, spec_to_dict, validate

log = logging.getLogger(__name__)

TOOLS = {
    "ip": "iproute2",
    "unshare": "util-linux",
    "nsenter": "util-linux",
    "setsid": "util-linux",
    "mount": "mount",
    "sysctl": "procps",
    "systemd-nspawn": "systemd-container",
}
POWER_ACTIONS = ("on", "off", "soft", "cycle", "status")
BOOT_TIMEOUT = 120.0


@dataclasses.dataclass(frozen=True)
class NodeStatus:
    name: str
    running: bool
    init_pid: int | None
    bmc_address: str
    bmc_up: bool
    links_up: bool
    link_fault: bool


def require_root() -> None:
    if os.geteuid() != 0:
        raise errors.LabError("hastack lab needs root: run it with sudo")


def require_tools() -> None:
    missing = [
        f"`{tool}` (Debian package {package})"
        for tool, package in TOOLS.items()
        if shutil.which(tool, path=proc.SBIN_PATH) is None
    ]
    if importlib.util.find_spec("pyghmi") is None:
        missing.append("the Python package pyghmi (pip install pyghmi)")
    if missing:
        raise errors.LabError("hastack lab needs " + ", ".join(missing) + "; install them first")


class Lab:
    """One lab, identified by its state directory."""

    def __init__(self, root: str | Path = DEFAULT_ROOT) -> None:
        self.layout = LabLayout(Path(root))
        self._spec: LabSpec | None = None

    # -- the spec --------------------------------------------------------------------------
    @property
    def spec(self) -> LabSpec:
        """The spec of the running lab (from ``up`` or ``lab.json``)."""
        if self._spec is None:
            if not self.layout.spec.exists():
                raise errors.LabError(
                    f"no lab is set up in {self.layout.root}; create it with `hastack lab up`"
                )
            data = json.loads(self.layout.spec.read_text())
            self._spec = spec_from_dict(data, Secret(""))  # the password stays with the BMCs
        return self._spec

    def _node(self, name: str) -> NodeSpec:
        try:
            return self.spec.node(name)
        except KeyError as exc:
            raise errors.LabError(str(exc.args[0])) from exc

    # -- up / down -------------------------------------------------------------------------
    def up(self, spec: LabSpec) -> list[str]:
        """Create what is missing and power on nodes that are off; running nodes stay as is."""
        require_root()
        require_tools()
        if Path(spec.root) != self.layout.root:
            raise errors.LabError(
                f"the spec's root {spec.root} differs from this lab's {self.layout.root}"
            )
        problems = validate(spec)
        if problems:
            raise errors.LabError("the lab spec is invalid: " + "; ".join(problems))
        done: list[str] = boot.ensure_hierarchies()
        self.layout.nodes_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.layout.root, 0o755)
        for bridge in spec.bridges:
            done += net.ensure_bridge(bridge)
        for node in spec.nodes:
            try:
                done += net.ensure_netns(node, links_up=False)
            except errors.LabError as exc:
                raise errors.LabError(
                    f"cannot create the network of lab node {node.name}: {exc}"
                ) from exc
            done += net.ensure_bmc_address(node, spec.management)
        done += self._save_spec(spec)
        done += bmc.start(spec, self.layout)
        booting = [n for n in spec.nodes if not power.is_on(n, self.layout.node(n.name))]
        for node in booting:
            done.append(power.power_on(spec, node, self.layout.node(node.name)))
        for node in booting:
            done += self.wait_booted(node.name)
        for line in done:
            log.info("%s", line)
        return done

    def wait_booted(self, name: str, timeout: float = BOOT_TIMEOUT) -> list[str]:
        """Wait until the node's systemd has finished booting; say which units failed."""
        conn = self.connector(name)

        def booted() -> tuple[str | None, str]:
            # --wait needs systemd's bus, which the first second of a boot has not made yet
            done = conn.run(["systemctl", "is-system-running", "--wait"], timeout=timeout)
            state = done.stdout.strip()
            if state in ("running", "degraded"):
                return state, state
            return None, state or done.stderr.strip() or "no answer"

        try:
            state = wait_until(booted, what=f"{name} booted", timeout=timeout, interval=0.3)
        except WaitTimeout as late:
            raise errors.LabError(
                f"lab node {name} did not finish booting within {timeout:g} s (last seen: "
                f"{late.last}); see `hastack lab exec {name} -- systemctl list-jobs`"
            ) from late
        if state == "running":
            return []
        failed = conn.run(["systemctl", "--failed", "--plain", "--no-legend"]).stdout
        units = " ".join(line.split()[0] for line in failed.splitlines() if line.strip())
        return [f"{name} booted with failed units: {units or 'none listed'}"]

    def _save_spec(self, spec: LabSpec) -> list[str]:
        text = json.dumps(spec_to_dict(spec), indent=2, sort_keys=True) + "\n"
        old = self.layout.spec.read_text() if self.layout.spec.exists() else None
        self._spec = spec
        if old == text:
            return []
        tmp = self.layout.spec.with_suffix(".tmp")
        tmp.write_text(text)
        tmp.replace(self.layout.spec)
        if old is not None:  # the BMCs must learn the new nodes
            return [*bmc.stop(self.layout), f"updated {self.layout.spec}"]
        return [f"wrote {self.layout.spec}"]

    def down(self, *, wipe: bool = False) -> list[str]:
        """Remove every process, namespace, link and runtime file; keep disks unless *wipe*."""
        require_root()
        spec = self.spec if self.layout.spec.exists() else None
        names = set(self.layout.known_nodes()) | set(_orphan_nodes(self.layout.root))
        if spec is not None:
            names |= {n.name for n in spec.nodes}
        done = self._stop_nodes(sorted(names), spec.stop_grace if spec else 20.0)
        done += bmc.stop(self.layout)
        if spec is not None:
            muted = bmcmute.muted()
            done += [bmcmute.unmute(n.bmc_address) for n in spec.nodes if n.bmc_address in muted]
        done += self._remove_network(sorted(names), spec)
        done += self._remove_runtime(sorted(names), wipe)
        self._spec = None
        for line in done:
            log.info("%s", line)
        return done

    def _stop_nodes(self, names: list[str], grace: float) -> list[str]:
        """Shut every node down cleanly at once (systemd stops its units); cut the power of
        those still up after *grace* seconds."""
        leaders = {}
        for name in names:
            pid = power.init_pid(_bare(name), self.layout.node(name))
            nspawn = boot.nspawn_of(pid) if pid is not None else None
            if pid is not None and nspawn is not None:
                leaders[name] = pid
                proc.signal_pid(nspawn, signal.SIGTERM)
        left = proc.wait_gone(leaders.values(), grace)
        for pid in left:
            proc.signal_pid(pid, signal.SIGKILL)
        proc.wait_gone(left, 5.0)
        done = [
            f"stopped {name}" + (" (power cut after the grace period)" if pid in left else "")
            for name, pid in sorted(leaders.items())
        ]
        for name in names:  # stray processes, e.g. a half-started node
            for pid in proc.netns_pids(f"hs-{name}"):
                proc.signal_pid(pid, signal.SIGKILL)
            proc.wait_netns_empty(f"hs-{name}", 3.0)
            power.wait_nspawn_gone(_bare(name), self.layout.node(name))
            done += boot.cleanup(_bare(name))
        return done

    def _remove_network(self, names: list[str], spec: LabSpec | None) -> list[str]:
        done: list[str] = []
        for name in names:
            done += net.delete_netns(f"hs-{name}")
        bridges = set(net.DEFAULT_BRIDGES) | ({b.name for b in spec.bridges} if spec else set())
        veths = {f"hs-{name}{s}" for name in names for s in "mes"}
        if spec:
            veths |= {i.host_name for n in spec.nodes for i in n.interfaces}
        for link in net.lab_links(bridges, veths):
            if link not in bridges:
                done += net.delete_link(link)
        for bridge in sorted(bridges):
            done += net.delete_link(bridge)
        return done

    def _remove_runtime(self, names: list[str], wipe: bool) -> list[str]:
        if wipe:
            if self.layout.root.exists():
                shutil.rmtree(self.layout.root)
                return [f"wiped {self.layout.root} (node disks included)"]
            return []
        for name in names:
            for path in self.layout.node(name).runtime_files:
                path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            self.layout.rootfs.rmdir()
        removed = self.layout.spec.exists()
        self.layout.spec.unlink(missing_ok=True)
        return (
            [f"removed runtime files; node disks kept in {self.layout.nodes_dir}"]
            if removed
            else []
        )

    # -- power and links -------------------------------------------------------------------
    def power(self, name: str, action: str) -> str:
        """``on``, ``off`` (hard), ``soft`` (graceful, waits), ``cycle`` or ``status``."""
        require_root()
        node, layout = self._node(name), self.layout.node(name)
        if action == "status":
            return f"{name} is {'on' if power.is_on(node, layout) else 'off'}"
        if action == "on":
            return power.power_on(self.spec, node, layout)
        if action == "off":
            return power.power_off(node, layout)
        if action == "soft":
            return power.power_soft(node, layout, wait=self.spec.stop_grace + 2.0)
        if action == "cycle":
            return power.power_off(node, layout) + "; " + power.power_on(self.spec, node, layout)
        raise errors.LabError(
            f"unknown power action {action!r}; use one of {', '.join(POWER_ACTIONS)}"
        )

    def cut_links(self, name: str, *, persistent: bool = False) -> str:
        """Links down on the host side; the node keeps running (a partition, not a crash)."""
        return power.cut_links(self._node(name), self.layout.node(name), persistent=persistent)

    def restore_links(self, name: str) -> str:
        return power.restore_links(self._node(name), self.layout.node(name))

    def mute_bmc(self, name: str) -> str:
        """Make *name*'s BMC stop answering IPMI (fencing it cannot succeed)."""
        require_root()
        return bmcmute.mute(self._node(name).bmc_address)

    def unmute_bmc(self, name: str) -> str:
        require_root()
        return bmcmute.unmute(self._node(name).bmc_address)

    # -- observing and connecting ----------------------------------------------------------
    def status(self) -> list[NodeStatus]:
        bmc_up = bmc.running_pid(self.layout) is not None
        result = []
        for node in self.spec.nodes:
            layout = self.layout.node(node.name)
            pid = power.init_pid(node, layout)
            links = net.links_state(node) if net.netns_exists(node.netns) else {}
            result.append(
                NodeStatus(
                    name=node.name,
                    running=pid is not None,
                    init_pid=pid,
                    bmc_address=node.bmc_address,
                    bmc_up=bmc_up,
                    links_up=bool(links) and all(links.values()),
                    link_fault=layout.link_fault.exists(),
                )
            )
        return result

    def connector(self, name: str) -> LabConnector:
        node, layout = self._node(name), self.layout.node(name)
        return LabConnector(name, lambda: power.init_pid(node, layout))

    def host_connector(self) -> LocalConnector:
        return LocalConnector("localhost")


def _orphan_nodes(root: Path) -> list[str]:
    """Nodes of the lab in *root* whose network namespace still holds a running node
    (state files lost). Another lab's nodes (booted from disks under another root) are left
    alone: labs on other networks run side by side."""
    found = []
    for netns in sorted(p.name for p in proc.NETNS_DIR.glob("hs-*")):
        pid = proc.find_node_init(netns)
        nspawn = boot.nspawn_of(pid) if pid is not None else None
        if nspawn is not None and _booted_from(nspawn, root):
            found.append(netns.removeprefix("hs-"))
    return found


def _booted_from(nspawn: int, root: Path) -> bool:
    """Does the nspawn *nspawn* run a node whose disk lies under *root*?"""
    try:
        argv = Path(f"/proc/{nspawn}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    disks = b":" + str(root / "nodes").encode() + b"/"
    return any(a.startswith(b"--overlay=") and disks in a for a in argv)


def _bare(name: str) -> NodeSpec:
    """A node known only by name (its netns is all ``init_pid`` needs)."""
    return NodeSpec(name=name, interfaces=(), bmc_address="")
