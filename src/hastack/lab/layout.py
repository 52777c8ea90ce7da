"""Where the lab keeps its state on the host.

::

    <root>/lab.json                     the spec (no password)
    <root>/bmc/bmcd.pid, bmcd.log       the BMC daemon (all nodes' BMCs, one process)
    <root>/bmc/<node>.log               one BMC's requests and actions
    <root>/rootfs/                      mount point of this host's / (read-only), per node
    <root>/nodes/<node>/init.pid        host PID of the node's PID 1 (its systemd)
    <root>/nodes/<node>/nspawn.pid      host PID of the node's systemd-nspawn
    <root>/nodes/<node>/console.log     the node's console (systemd-nspawn's output)
    <root>/nodes/<node>/lock            serialises power actions on the node
    <root>/nodes/<node>/link-fault      present: power on keeps the links cut
    <root>/nodes/<node>/host-units      host-enabled units already disabled in the node
    <root>/nodes/<node>/disk/{etc,var,root}
                                        the node's disk: overlays on this host's /etc, /var, /root
"""

from __future__ import annotations

import dataclasses
from pathlib import Path


@dataclasses.dataclass(frozen=True)
class NodeLayout:
    dir: Path

    @property
    def name(self) -> str:
        return self.dir.name

    @property
    def init_pid(self) -> Path:
        return self.dir / "init.pid"

    @property
    def nspawn_pid(self) -> Path:
        return self.dir / "nspawn.pid"

    @property
    def console_log(self) -> Path:
        return self.dir / "console.log"

    @property
    def rootfs(self) -> Path:
        """The lab's mount point for this host's root (``<root>/rootfs``)."""
        return self.dir.parent.parent / "rootfs"

    @property
    def host_units(self) -> Path:
        return self.dir / "host-units"

    @property
    def lock(self) -> Path:
        return self.dir / "lock"

    @property
    def link_fault(self) -> Path:
        return self.dir / "link-fault"

    @property
    def disk(self) -> Path:
        return self.dir / "disk"

    def on_disk(self, node_path: str) -> Path:
        """Where the node's own copy of *node_path* ("/etc/mysql/my.cnf") lies on the host
        once the node wrote it (the overlay's upper directory); until then the node reads
        this host's file."""
        return self.disk / node_path.lstrip("/")

    @property
    def runtime_files(self) -> tuple[Path, ...]:
        return (self.init_pid, self.nspawn_pid, self.lock)


@dataclasses.dataclass(frozen=True)
class LabLayout:
    root: Path

    @property
    def spec(self) -> Path:
        return self.root / "lab.json"

    @property
    def bmc_dir(self) -> Path:
        return self.root / "bmc"

    @property
    def bmc_pid(self) -> Path:
        return self.bmc_dir / "bmcd.pid"

    @property
    def bmc_log(self) -> Path:
        return self.bmc_dir / "bmcd.log"

    def bmc_node_log(self, node: str) -> Path:
        return self.bmc_dir / f"{node}.log"

    @property
    def rootfs(self) -> Path:
        return self.root / "rootfs"

    @property
    def nodes_dir(self) -> Path:
        return self.root / "nodes"

    def node(self, name: str) -> NodeLayout:
        return NodeLayout(self.nodes_dir / name)

    def known_nodes(self) -> list[str]:
        """Node directories present on disk (even when lab.json is gone)."""
        if not self.nodes_dir.is_dir():
            return []
        return sorted(p.name for p in self.nodes_dir.iterdir() if p.is_dir())
