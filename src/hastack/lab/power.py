"""Power a lab node on and off: the functions both the ``Lab`` API and the BMCs call.

Power on = fresh /run, links up (unless the node has a link fault), start node-init in new
mount/UTS/IPC/PID namespaces inside the node's network namespace. Power off = cut the
links, then SIGKILL node-init: the kernel kills every process of the node's PID namespace;
its NICs then go down with no address, so a dead node answers nothing even when its
cables come back.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from .. import errors
from ..wait import WaitTimeout, wait_until
from . import disk, net, nodeinit, proc
from .layout import NodeLayout
from .spec import LabSpec, NodeSpec

log = logging.getLogger(__name__)

START_TIMEOUT = 15.0
OFF_TIMEOUT = 5.0
UNSHARE = (
    "unshare", "--mount", "--uts", "--ipc", "--pid", "--fork", "--mount-proc",
    "--propagation", "private",
)  # fmt: skip


@contextlib.contextmanager
def node_lock(layout: NodeLayout) -> Iterator[None]:
    """Serialise power actions on one node across processes (API, BMC daemon)."""
    layout.dir.mkdir(parents=True, exist_ok=True)
    with open(layout.lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def init_pid(node: NodeSpec, layout: NodeLayout) -> int | None:
    """The host PID of the node's init while the node runs, else None."""
    pid = proc.read_pid(layout.init_pid)
    if pid is not None and proc.is_node_init(pid, node.netns):
        return pid
    found = proc.find_node_init(node.netns)
    if found is not None and layout.dir.is_dir():
        proc.write_pid(layout.init_pid, found)
    return found


def is_on(node: NodeSpec, layout: NodeLayout) -> bool:
    return init_pid(node, layout) is not None


def init_argv(config: Path) -> list[str]:
    """How node-init is started: the standard-library script file, run in isolated mode."""
    return [sys.executable, "-I", nodeinit.__file__, str(config)]


def power_on(spec: LabSpec, node: NodeSpec, layout: NodeLayout) -> str:
    with node_lock(layout):
        if is_on(node, layout):
            return f"{node.name} is already on"
        started = time.monotonic()
        fault = layout.link_fault.exists()
        if net.netns_exists(node.netns):  # a machine loses its runtime addresses (VIPs)
            net.flush_addresses(node)
        net.ensure_netns(node, links_up=not fault)
        if fault:
            net.set_links(node, up=False)
        disk.prepare_runtime(spec, node, layout)
        disk.write_init_config(disk.init_config(spec, node, layout), layout)
        _launch(node, layout)
        pid = _wait_started(node, layout)
        proc.write_pid(layout.init_pid, pid)
    took = time.monotonic() - started
    note = " (links stay cut: link fault)" if fault else ""
    log.info("%s powered on in %.2f s, init pid %d%s", node.name, took, pid, note)
    return f"powered on {node.name} in {took:.2f} s{note}"


def _launch(node: NodeSpec, layout: NodeLayout) -> None:
    argv = ["setsid", "-f", "ip", "netns", "exec", node.netns, *UNSHARE]
    argv += init_argv(layout.config)
    with open(layout.init_log, "a") as out:
        out.write(f"--- power on {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        out.flush()
        result = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
            check=False,
            env={"PATH": proc.SBIN_PATH, "LANG": "C.UTF-8"},
        )
    if result.returncode != 0:
        raise errors.LabError(
            f"cannot start lab node {node.name}: `{' '.join(argv)}` exited "
            f"{result.returncode}; see {layout.init_log}"
        )


def _wait_started(node: NodeSpec, layout: NodeLayout) -> int:
    found: list[int] = []

    def ready() -> tuple[int | None, str]:
        if not found:
            pid = proc.find_node_init(node.netns)
            if pid is None:
                return None, f"no node-init in {node.netns} yet"
            found.append(pid)
        if not layout.ready.exists():
            return None, f"node-init {found[0]} has not written {layout.ready} yet"
        return found[0], "ready"

    try:
        return wait_until(
            ready, what=f"lab node {node.name} up", timeout=START_TIMEOUT, interval=0.02
        )
    except WaitTimeout as timeout:
        tail = (
            "; ".join(layout.init_log.read_text().splitlines()[-3:])
            if layout.init_log.exists()
            else ""
        )
        if found:
            proc.signal_pid(found[0], signal.SIGKILL)
        raise errors.LabError(
            f"lab node {node.name} did not come up within {START_TIMEOUT:g} s:"
            f" {tail or 'no output'} (log: {layout.init_log})"
        ) from timeout


def power_off(node: NodeSpec, layout: NodeLayout) -> str:
    """Hard power off: links cut first, then the whole PID namespace killed at once."""
    with node_lock(layout):
        pid = init_pid(node, layout)
        if net.netns_exists(node.netns):
            _set_links_quietly(node, up=False)
        if pid is None:
            return f"{node.name} is already off"
        started = time.monotonic()
        proc.signal_pid(pid, signal.SIGKILL)
        left = _wait_empty(node)
        net.unpower_nics(node)
        layout.init_pid.unlink(missing_ok=True)
    took = time.monotonic() - started
    if left:
        log.warning("%s: processes still in its netns after power off: %s", node.name, left)
    return f"powered off {node.name} in {took:.2f} s"


def _set_links_quietly(node: NodeSpec, *, up: bool) -> None:
    try:
        net.set_links(node, up=up)
    except errors.LabError as exc:
        log.warning("%s: %s", node.name, exc)


def _wait_empty(node: NodeSpec, timeout: float = OFF_TIMEOUT) -> list[int]:
    """Wait until no process is left in the node's network namespace."""
    return proc.wait_netns_empty(node.netns, timeout)


def power_soft(node: NodeSpec, layout: NodeLayout, *, wait: float = 0.0) -> str:
    """ACPI-like shutdown: SIGTERM to node-init, which stops the node's processes gracefully."""
    pid = init_pid(node, layout)
    if pid is None:
        return f"{node.name} is already off"
    proc.signal_pid(pid, signal.SIGTERM)
    if wait <= 0:
        return f"asked {node.name} to shut down"
    if proc.wait_gone([pid], wait):
        return f"{node.name} did not shut down within {wait:g} s"
    _wait_empty(node)
    net.unpower_nics(node)
    layout.init_pid.unlink(missing_ok=True)
    return f"{node.name} shut down"


def cut_links(node: NodeSpec, layout: NodeLayout, *, persistent: bool = False) -> str:
    """Pull the node's cables (host-side veths down); its processes keep running."""
    net.set_links(node, up=False)
    if persistent:
        layout.dir.mkdir(parents=True, exist_ok=True)
        layout.link_fault.touch()
        return f"cut the links of {node.name} (they stay cut across power cycles)"
    return f"cut the links of {node.name}"


def restore_links(node: NodeSpec, layout: NodeLayout) -> str:
    layout.link_fault.unlink(missing_ok=True)
    net.set_links(node, up=True)
    return f"restored the links of {node.name}"
