"""Measurements from probe logs: pure functions, no clock of their own.

An outage is what the probe's client sees: an attempt fails when the client gives up (its
own timeout: 1 s for a TCP connect, 5 s for an HTTP request, ...) or gets an error. A
success is a success however long it took: slowness under load is data (counted as *slow*
above ``SLOW_S`` and drawn amber), not an outage. An outage window opens at the start of
the first failed attempt and closes at the end of the next success: the moment the service
was seen working again.
"""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Iterable, Mapping, Sequence

from ..plan import FailoverBudget
from .probes import Attempt

SLOW_S = 1.0


@dataclasses.dataclass(frozen=True)
class Window:
    start: float
    end: float | None  # None: not seen working again before the probe stopped

    def length(self, last: float) -> float:
        return (self.end if self.end is not None else last) - self.start


@dataclasses.dataclass(frozen=True)
class ProbeMeasure:
    attempts: int
    failed: int
    slow: int  # successes slower than SLOW_S
    windows: tuple[Window, ...]
    outage_s: float  # the windows' total length
    longest_s: float
    recovered: bool  # the last window closed
    # failed attempts sent before a power-off cut the links and unanswered then: a request
    # a node was serving when it lost power is lost with it, whatever carries the next ones
    in_flight: int = 0

    @property
    def failed_ratio(self) -> float:
        return self.failed / self.attempts if self.attempts else 0.0


def outage_windows(attempts: Sequence[Attempt]) -> list[Window]:
    windows: list[Window] = []
    opened: float | None = None
    for attempt in sorted(attempts, key=lambda a: a.t):
        if not attempt.ok and opened is None:
            opened = attempt.t
        elif attempt.ok and opened is not None:
            windows.append(Window(opened, round(attempt.t + attempt.latency, 3)))
            opened = None
    if opened is not None:
        windows.append(Window(opened, None))
    return windows


def measure_probe(
    attempts: Sequence[Attempt], slow_s: float = SLOW_S, cut_at: float | None = None
) -> ProbeMeasure:
    """*attempts*' times are relative to the injection; *cut_at*: when a power-off cut the
    links (None for a fault no request can be caught in, a killed process: HAProxy retries
    what its server dropped unanswered)."""
    windows = outage_windows(attempts)
    last = max((a.t + a.latency for a in attempts), default=0.0)
    lengths = [w.length(last) for w in windows]
    return ProbeMeasure(
        attempts=len(attempts),
        failed=sum(1 for a in attempts if not a.ok),
        slow=sum(1 for a in attempts if a.ok and a.latency > slow_s),
        windows=tuple(windows),
        outage_s=round(sum(lengths), 3),
        longest_s=round(max(lengths, default=0.0), 3),
        recovered=not windows or windows[-1].end is not None,
        in_flight=0
        if cut_at is None
        else sum(1 for a in attempts if not a.ok and a.t < cut_at <= a.t + a.latency),
    )


@dataclasses.dataclass(frozen=True)
class Segment:
    """A run of consecutive attempts with the same state: "ok", "slow" or "failed"."""

    start: float  # start of the first attempt
    end: float  # end of the last attempt
    state: str
    count: int


def state_of(attempt: Attempt, slow_s: float = SLOW_S) -> str:
    if not attempt.ok:
        return "failed"
    return "slow" if attempt.latency > slow_s else "ok"


def segments(attempts: Sequence[Attempt], slow_s: float = SLOW_S) -> list[Segment]:
    """The timeline, run-length encoded: what a report draws and stores."""
    out: list[Segment] = []
    for attempt in sorted(attempts, key=lambda a: a.t):
        state, end = state_of(attempt, slow_s), round(attempt.t + attempt.latency, 3)
        if out and out[-1].state == state:
            last = out[-1]
            out[-1] = Segment(last.start, max(last.end, end), state, last.count + 1)
        else:
            out.append(Segment(attempt.t, end, state, 1))
    return out


def error_counts(attempts: Sequence[Attempt], limit: int = 5) -> tuple[tuple[str, int], ...]:
    """The most frequent errors of the failed attempts, most frequent first."""
    counts = collections.Counter(a.error for a in attempts if not a.ok)
    return tuple(counts.most_common(limit))


def max_holders(samples: Iterable[tuple[float, Mapping[str, Sequence[str]]]]) -> int:
    """The most nodes seen holding one VIP at once, over every sample."""
    return max((len(h) for _t, held in samples for h in held.values()), default=0)


def split_brain_samples(
    samples: Iterable[tuple[float, Mapping[str, Sequence[str]]]],
) -> list[tuple[float, str, tuple[str, ...]]]:
    return [
        (t, vip, tuple(holders))
        for t, held in samples
        for vip, holders in held.items()
        if len(holders) > 1
    ]


def predicted(
    budgets: Iterable[FailoverBudget], scenario: str | None, hint: str = ""
) -> FailoverBudget | None:
    """The planner's budget for *scenario*, preferring one whose subject mentions *hint*."""
    if scenario is None:
        return None
    matching = [b for b in budgets if b.scenario == scenario]
    for budget in matching:
        if hint and hint in budget.subject:
            return budget
    return matching[0] if matching else None
