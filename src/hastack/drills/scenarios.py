"""The drill registry: every scenario `hastack drill` knows, in the order `all` runs them.

Cheap drills come first; the ones that power off nodes follow; the majority loss, the full
outage and the rolling restart, the longest, come last.
"""

from __future__ import annotations

from .. import errors
from .base import Drill
from .nodes import (
    BackendPowerOff,
    DcPowerOff,
    PartitionBmcMuted,
    PartitionOneNode,
    RollingRestart,
    VipHolderPowerOff,
)
from .outages import FullOutage, MajorityLoss
from .services import (
    GaleraMemberLoss,
    GlanceUnitKilled,
    HaproxyKilledOnVipHolder,
    KeystoneUnitKilled,
    RabbitmqMemberLoss,
)

DRILLS: tuple[type[Drill], ...] = (
    HaproxyKilledOnVipHolder,
    KeystoneUnitKilled,
    GlanceUnitKilled,
    GaleraMemberLoss,
    RabbitmqMemberLoss,
    VipHolderPowerOff,
    BackendPowerOff,
    DcPowerOff,
    PartitionOneNode,
    PartitionBmcMuted,
    MajorityLoss,
    FullOutage,
    RollingRestart,
)


def names() -> list[str]:
    return [d.name for d in DRILLS]


def by_name(name: str) -> type[Drill]:
    for drill in DRILLS:
        if drill.name == name:
            return drill
    raise errors.DrillAborted(
        f"unknown drill {name!r}; `hastack drill list` shows them: {', '.join(names())}"
    )
