"""Fencing reboots, a rebooted node rejoins by itself, and a fence loop is stopped.

On the deployed lab, with no hastack command between the fault and the result: a node whose
links are cut is fenced through its BMC (power off, then on: a new init process), boots and
comes back online in Pacemaker; a node rebooted by fencing as often as the loop guard allows
is left powered off, `hastack status` says why, and `hastack recover fencing` brings it back.
Each test ends with the lab all green for the tests after it (redeploying only if the
cluster did not heal by itself, which these tests do not judge).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import pytest

from conftest import DeployedLab, status_json
from hastack.facts.fencing import FENCE_DEVICES, FenceDeviceState
from hastack.facts.pacemaker import CRM_MON, ClusterStatus
from hastack.plan.fencing import loop_guard

pytestmark = pytest.mark.lab

T = TypeVar("T")
REJOIN_S = 180.0
GREEN_S = 240.0


def poll(what: str, probe: Callable[[], T | None], timeout: float, interval: float = 0.5) -> T:
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout:g} s")
        time.sleep(interval)


def cluster(lab: DeployedLab, peer: str) -> ClusterStatus | None:
    status, _why = CRM_MON.try_read(lab.node(peer), timeout=20)
    return status


def online(lab: DeployedLab, peer: str, node: str) -> bool | None:
    status = cluster(lab, peer)
    member = status.node(node) if status is not None else None
    return True if member is not None and member.online else None


def device(lab: DeployedLab, peer: str, node: str) -> FenceDeviceState:
    return next(d for d in FENCE_DEVICES.require(lab.node(peer)) if d.target == node)


def init_pid(lab: DeployedLab, node: str) -> int | None:
    return next(s.init_pid for s in lab.lab.status() if s.name == node)


def bmc_log(lab: DeployedLab, node: str) -> str:
    return lab.lab.layout.bmc_node_log(node).read_text()


def powered(lab: DeployedLab, node: str, since: int, what: str) -> str | None:
    """The first BMC log line after offset *since* that says `power <what>:`."""
    return next((line for line in bmc_log(lab, node)[since:].splitlines() if what in line), None)


def healthy_again(lab: DeployedLab) -> None:
    """All green for the next tests: by itself if it can, else through the deployer."""
    deadline = time.monotonic() + GREEN_S
    while time.monotonic() < deadline:
        if status_json(lab)[0] == 0:
            return
        time.sleep(5)
    done = lab.cli("lab", "up", str(lab.bundle), timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    poll("all green after a redeploy", lambda: True if status_json(lab)[0] == 0 else None, 300, 5)


def recover(lab: DeployedLab, node: str) -> str:
    done = lab.cli("recover", "fencing", node, timeout=400)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_a_node_cut_off_is_fenced_rebooted_and_rejoins(deployed: DeployedLab) -> None:
    hosts = [h.name for h in deployed.plan.hosts]
    victim, peer = hosts[-1], hosts[0]
    healthy_again(deployed)
    recover(deployed, victim)  # its fencing count starts from zero
    pid, offset = init_pid(deployed, victim), len(bmc_log(deployed, victim))
    started = time.monotonic()
    try:
        deployed.lab.cut_links(victim)
        off = poll(
            "fenced: BMC power off", lambda: powered(deployed, victim, offset, "power off:"), 120
        )
        fenced_s = time.monotonic() - started
        on = poll(
            "rebooted: BMC power on", lambda: powered(deployed, victim, offset, "power on:"), 60
        )
        rebooted_s = time.monotonic() - started
        poll(f"{victim} online again", lambda: online(deployed, peer, victim), REJOIN_S)
        online_s = time.monotonic() - started
    finally:
        if not next(s.links_up for s in deployed.lab.status() if s.name == victim):
            deployed.lab.restore_links(victim)
    print(
        f"\n{victim}: links cut -> fenced (BMC off) {fenced_s:.1f} s -> powered on"
        f" {rebooted_s:.1f} s -> online in Pacemaker {online_s:.1f} s"
    )
    assert init_pid(deployed, victim) not in (None, pid)  # a new boot, not the old processes
    assert "powered off" in off and "powered on" in on
    status = cluster(deployed, peer)
    assert status is not None
    events = [e for e in status.fence_history if e.target == victim]
    assert (events[0].action, events[0].status) == ("reboot", "success")
    assert not device(deployed, peer, victim).guarded
    healthy_again(deployed)


def fence_once(lab: DeployedLab, peer: str, victim: str, *, last: bool) -> None:
    """Reboot *victim* through fencing, as the cluster would; unless it is the *last*
    reboot the guard allows, wait until it is back online."""
    offset = len(bmc_log(lab, victim))
    lab.node(peer).check(["stonith_admin", "--reboot", victim, "--timeout", "60"], timeout=90)
    poll("fenced: power off", lambda: powered(lab, victim, offset, "power off:"), 30)
    if not last:
        poll("rebooted: power on", lambda: powered(lab, victim, offset, "power on:"), 30)
        poll(f"{victim} online", lambda: online(lab, peer, victim), REJOIN_S)


def guarded(lab: DeployedLab, peer: str, node: str) -> FenceDeviceState | None:
    """The node's fence device once the guard has marked it fully (the agent writes the
    reason first, then the reboot action)."""
    found = device(lab, peer, node)
    return found if found.guarded and found.reboot_action == "off" else None


def test_a_fence_loop_leaves_the_node_off_until_recovered(deployed: DeployedLab) -> None:
    hosts = [h.name for h in deployed.plan.hosts]
    victim, peer = hosts[1], hosts[0]
    guard = loop_guard(deployed.plan)
    assert guard is not None
    healthy_again(deployed)
    recover(deployed, victim)
    started = time.monotonic()
    for count in range(1, guard.fencings + 1):
        fence_once(deployed, peer, victim, last=count == guard.fencings)
    looped_s = time.monotonic() - started
    held = poll("the guard marks the fence device", lambda: guarded(deployed, peer, victim), 60)
    assert held.guard.startswith(f"fenced {guard.fencings} times within {guard.minutes} min")
    # it stays off: the guard powered it off after the reboot that made the count
    poll(f"{victim} powered off", lambda: True if init_pid(deployed, victim) is None else None, 30)
    for _ in range(10):
        time.sleep(1)
        assert init_pid(deployed, victim) is None, f"{victim} came back on while guarded"
    code, report = status_json(deployed)
    assert code == 3
    results = {(r["check"], r["subject"]): r for r in report["results"]}  # type: ignore[index, union-attr]
    said = results[("fencing.guard", victim)]
    assert said["status"] == "blocked"
    assert said["message"].startswith(
        f"the fence-loop guard left {victim} powered off: it was fenced"
    )
    assert said["message"].endswith(f"then run `hastack recover fencing {victim}`")
    assert results[("pacemaker.cluster", victim)]["status"] == "blocked"
    recovered = time.monotonic()
    out = recover(deployed, victim)
    print(
        f"\n{victim}: {guard.fencings} reboots by fencing in {looped_s:.1f} s, then left off;"
        f" recover fencing brought it back in {time.monotonic() - recovered:.1f} s"
    )
    assert "cleared the fence-loop guard on fence-" in out
    assert online(deployed, peer, victim)
    cleared = device(deployed, peer, victim)
    assert (cleared.guarded, cleared.reboot_action) == (False, "")
    healthy_again(deployed)
