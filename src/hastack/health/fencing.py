"""fencing.guard: nodes the fence-loop guard holds off, and fence devices that power a node
off when asked to reboot it without the guard having said why."""

from __future__ import annotations

from collections.abc import Sequence

from ..facts.fencing import FenceDeviceState
from .status import CheckResult, Status

CHECK = "fencing.guard"


def guard_message(node: str, reason: str) -> str:
    return (
        f"the fence-loop guard left {node} powered off: it was {reason}; find out why it"
        f" keeps being fenced (its links, its logs, `crm_mon --fence-history=3`), then run"
        f" `hastack recover fencing {node}`"
    )


def evaluate_fence_guards(devices: Sequence[FenceDeviceState] | None) -> list[CheckResult]:
    """One result per guarded or reboot-less fence device; none when every device reboots."""
    results = []
    for device in devices or ():
        evidence = {"device": device.id, "pcmk_reboot_action": device.reboot_action}
        if device.guarded:
            message = guard_message(device.target, device.guard)
            results.append(CheckResult(CHECK, device.target, Status.BLOCKED, message, evidence))
        elif device.reboot_action == "off":
            message = (
                f"{device.id} powers {device.target} off when the cluster asks to reboot it"
                f" (pcmk_reboot_action=off, set outside hastack); run"
                f" `hastack recover fencing {device.target}` to let fencing reboot it again"
            )
            results.append(CheckResult(CHECK, device.target, Status.DEGRADED, message, evidence))
    return results
