"""Power a lab node on and off: the functions both the ``Lab`` API and the BMCs call.

Power on = links up (unless the node has a link fault), the node's disk made ready, and
the node booted (``boot.launch``: systemd-nspawn, systemd as PID 1). Power off = cut the
links, then SIGKILL the node's PID 1: the kernel kills every process of the node's PID
namespace at once, as a power loss does; its NICs then go down with no address, so a dead
node answers nothing even when its cables come back. A soft power off asks nspawn for a
clean shutdown (systemd stops every unit, as at the press of a power button).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import signal
import time
from collections.abc import Iterator

from .. import errors
from ..wait import WaitTimeout, wait_until
from . import boot, disk, net, proc
from .layout import NodeLayout
from .spec import LabSpec, NodeSpec

log = logging.getLogger(__name__)

START_TIMEOUT = 30.0  # until the node's systemd runs (not until its boot is finished)
OFF_TIMEOUT = 5.0
NSPAWN_EXIT_TIMEOUT = 10.0  # nspawn tidies its mounts up after its node died


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


def power_on(spec: LabSpec, node: NodeSpec, layout: NodeLayout) -> str:
    with node_lock(layout):
        if is_on(node, layout):
            return f"{node.name} is already on"
        started = time.monotonic()
        wait_nspawn_gone(node, layout)
        fault = layout.link_fault.exists()
        if net.netns_exists(node.netns):  # a machine loses its runtime addresses (VIPs)
            net.flush_addresses(node)
        net.ensure_netns(node, links_up=not fault)
        if fault:
            net.set_links(node, up=False)
        for line in disk.prepare(spec, node, layout):
            log.info("%s", line)
        boot.launch(node, layout)
        pid = _wait_started(node, layout)
        proc.write_pid(layout.init_pid, pid)
        nspawn = boot.nspawn_of(pid)
        if nspawn is not None:
            proc.write_pid(layout.nspawn_pid, nspawn)
    took = time.monotonic() - started
    note = " (links stay cut: link fault)" if fault else ""
    log.info("%s powered on in %.2f s, PID 1 is host pid %d%s", node.name, took, pid, note)
    return f"powered on {node.name} in {took:.2f} s{note}"


def _wait_started(node: NodeSpec, layout: NodeLayout) -> int:
    def started() -> tuple[int | None, str]:
        pid = proc.find_node_init(node.netns)
        if pid is None:
            return None, f"no PID 1 in {node.netns} yet"
        # nspawn's own child is PID 1 until it executes the node's init; a command that
        # enters the node before then leaves the child waiting for ever
        if proc.command_name(pid) in ("systemd-nspawn", None):
            return None, f"PID 1 of {node.name} ({pid}) has not started systemd yet"
        return pid, "systemd runs"

    try:
        return wait_until(
            started, what=f"lab node {node.name} booting", timeout=START_TIMEOUT, interval=0.05
        )
    except WaitTimeout as timeout:
        tail = (
            "; ".join(layout.console_log.read_text().splitlines()[-3:])
            if layout.console_log.exists()
            else ""
        )
        raise errors.LabError(
            f"lab node {node.name} did not boot within {START_TIMEOUT:g} s:"
            f" {tail or 'no output'} (console: {layout.console_log})"
        ) from timeout


def wait_nspawn_gone(node: NodeSpec, layout: NodeLayout) -> None:
    """Wait until the node's last nspawn is gone - before the next boot, and at ``lab down``
    (it still unmounts the node's overlays for a moment after its node died); kill it if it
    hangs."""
    pid = proc.read_pid(layout.nspawn_pid)
    if pid is None or not proc.pid_alive(pid):
        return
    if proc.wait_gone([pid], NSPAWN_EXIT_TIMEOUT):
        log.warning("%s: its last systemd-nspawn (pid %d) did not exit; killed", node.name, pid)
        proc.signal_pid(pid, signal.SIGKILL)
        proc.wait_gone([pid], 2.0)
    layout.nspawn_pid.unlink(missing_ok=True)


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
        wait_nspawn_gone(node, layout)
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
    """ACPI-like shutdown: SIGTERM to the node's nspawn, which asks its systemd to halt."""
    pid = init_pid(node, layout)
    if pid is None:
        return f"{node.name} is already off"
    nspawn = boot.nspawn_of(pid)
    if nspawn is None:
        return f"{node.name} is shutting down already"
    proc.signal_pid(nspawn, signal.SIGTERM)
    if wait <= 0:
        return f"asked {node.name} to shut down"
    if proc.wait_gone([pid], wait):
        return f"{node.name} did not shut down within {wait:g} s"
    _wait_empty(node)
    net.unpower_nics(node)
    layout.init_pid.unlink(missing_ok=True)
    wait_nspawn_gone(node, layout)
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
