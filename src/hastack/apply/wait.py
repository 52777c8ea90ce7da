"""Moved to ``hastack.wait`` (the lab and the drills wait with it too); kept for apply/."""

from ..wait import (
    NEXT_STEP,
    SYSTEM_CLOCK,
    Clock,
    ManualClock,
    SystemClock,
    WaitTimeout,
    wait_until,
)

__all__ = [
    "NEXT_STEP",
    "SYSTEM_CLOCK",
    "Clock",
    "ManualClock",
    "SystemClock",
    "WaitTimeout",
    "wait_until",
]
