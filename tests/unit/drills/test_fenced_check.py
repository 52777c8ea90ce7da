"""A fenced node is off, or it has booted again: fencing reboots unless the bundle says off."""

from __future__ import annotations

from typing import Any, cast

from hastack.drills import checks


class Boots:
    """What the check asks of a target: the host PID of the node's PID 1, None when off."""

    def __init__(self, boot: int | None) -> None:
        self.boot = boot

    def boot_id(self, host: str) -> int | None:
        return self.boot


def fenced(now: int | None, before: int | None) -> tuple[bool, str]:
    return checks.fenced(cast(Any, Boots(now)), "ctl-1", before)()


def test_a_node_still_running_its_first_boot_is_not_fenced() -> None:
    assert fenced(4242, 4242) == (False, "ctl-1 is still on, not rebooted")


def test_a_node_powered_off_is_fenced() -> None:
    assert fenced(None, 4242) == (True, "ctl-1 is powered off")


def test_a_node_booted_again_is_fenced() -> None:
    ok, said = fenced(5151, 4242)
    assert ok and "rebooted" in said
