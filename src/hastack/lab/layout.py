"""Where the lab keeps its state on the host.

::

    <root>/lab.json                     the spec (no password)
    <root>/bmc/bmcd.pid, bmcd.log       the BMC daemon (all nodes' BMCs, one process)
    <root>/bmc/<node>.log               one BMC's requests and actions
    <root>/nodes/<node>/init.pid        host PID of the node's PID 1 (node-init)
    <root>/nodes/<node>/init.log        node-init's output
    <root>/nodes/<node>/node.json       node-init's instructions (mounts, hostname)
    <root>/nodes/<node>/lock            serialises power actions on the node
    <root>/nodes/<node>/link-fault      present: power on keeps the links cut
    <root>/nodes/<node>/run/            the node's /run (emptied at every power on)
    <root>/nodes/<node>/disk/<path>     the node's own copy of <path>: its disk, kept
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
    def init_log(self) -> Path:
        return self.dir / "init.log"

    @property
    def config(self) -> Path:
        return self.dir / "node.json"

    @property
    def lock(self) -> Path:
        return self.dir / "lock"

    @property
    def link_fault(self) -> Path:
        return self.dir / "link-fault"

    @property
    def run(self) -> Path:
        return self.dir / "run"

    @property
    def ready(self) -> Path:
        """Written by node-init into the node's /run once its mounts are in place."""
        return self.run / "hastack-node-ready"

    @property
    def disk(self) -> Path:
        return self.dir / "disk"

    def on_disk(self, node_path: str) -> Path:
        """The host path holding the node's copy of *node_path* ("/etc/mysql")."""
        return self.disk / node_path.lstrip("/")

    @property
    def runtime_files(self) -> tuple[Path, ...]:
        return (self.init_pid, self.config, self.lock)


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
    def nodes_dir(self) -> Path:
        return self.root / "nodes"

    def node(self, name: str) -> NodeLayout:
        return NodeLayout(self.nodes_dir / name)

    def known_nodes(self) -> list[str]:
        """Node directories present on disk (even when lab.json is gone)."""
        if not self.nodes_dir.is_dir():
            return []
        return sorted(p.name for p in self.nodes_dir.iterdir() if p.is_dir())
