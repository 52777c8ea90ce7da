"""What a deployment did: one line per step, each with its reason."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class StepResult:
    host: str  # "ctl-1" or "cluster"
    step: str  # "files", "corosync", "galera", ...
    changed: bool
    message: str  # "started corosync", "corosync already running"
    seconds: float = 0.0


class Report:
    """Thread-safe collector; ``on_step`` is called for every result (progress output)."""

    def __init__(self, on_step: Callable[[StepResult], None] | None = None) -> None:
        self.results: list[StepResult] = []
        self._lock = threading.Lock()
        self._on_step = on_step
        self.started = time.monotonic()

    def add(self, host: str, step: str, changed: bool, message: str, seconds: float = 0.0) -> None:
        result = StepResult(host, step, changed, message, round(seconds, 2))
        with self._lock:
            self.results.append(result)
        if self._on_step is not None:
            self._on_step(result)

    @property
    def changed(self) -> bool:
        return any(r.changed for r in self.results)

    def elapsed(self) -> float:
        return round(time.monotonic() - self.started, 2)

    def to_dict(self) -> dict[str, object]:
        return {
            "changed": self.changed,
            "seconds": self.elapsed(),
            "steps": [dataclasses.asdict(r) for r in self.results],
        }
