"""The status ladder and one check's result.

OK < WAITING < DEGRADED < BLOCKED < DOWN: a report shows its worst result. A status says what
the operator should expect: WAITING clears on its own, DEGRADED still serves with less
redundancy, BLOCKED needs an operator (the message says what to do), DOWN does not serve.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
from collections.abc import Iterable, Mapping


@functools.total_ordering
class Status(enum.Enum):
    OK = "ok"
    WAITING = "waiting"  # converging; expected to clear on its own
    DEGRADED = "degraded"  # serving, with reduced redundancy
    BLOCKED = "blocked"  # needs an operator; the message says what to do
    DOWN = "down"  # not serving

    @property
    def rank(self) -> int:
        return _ORDER.index(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Status):
            return NotImplemented
        return self.rank < other.rank


_ORDER = (Status.OK, Status.WAITING, Status.DEGRADED, Status.BLOCKED, Status.DOWN)


def worst(statuses: Iterable[Status]) -> Status:
    """The highest status on the ladder; OK when there is nothing to judge."""
    return max(statuses, default=Status.OK)


@dataclasses.dataclass(frozen=True)
class CheckResult:
    check: str  # registry name: "galera.cluster"
    subject: str  # what was judged: a node, a VIP, "keystone on ctl-1"
    status: Status
    message: str  # one operator sentence: what, where, and what next
    evidence: Mapping[str, str] = dataclasses.field(default_factory=dict)
