"""api.units: every unit of a stateless API answers its health URL on its own address.

HAProxy's view (``haproxy.backends``) says which servers it routes to; this check asks each
unit directly, so a unit HAProxy took out shows here with the reason (refused, timed out,
HTTP 500), and one that HAProxy still routes to but answers badly shows too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .status import CheckResult, Status

CHECK = "api.units"


@dataclasses.dataclass(frozen=True)
class ApiProbe:
    unit: str  # "keystone/0"
    host: str
    url: str  # the unit's own address and port, never the VIP
    code: int | None  # HTTP status, None when no answer
    reason: str  # "HTTP 200", "Connection refused", "timed out after 5 s"
    seconds: float | None = None


def healthy(probe: ApiProbe) -> bool:
    return probe.code is not None and 200 <= probe.code < 400


def evaluate_api(application: str, probes: Sequence[ApiProbe]) -> list[CheckResult]:
    """A failing unit is DEGRADED while another unit answers, DOWN when none does."""
    answering = [p for p in probes if healthy(p)]
    lost = Status.DEGRADED if answering else Status.DOWN
    results = []
    for probe in sorted(probes, key=lambda p: p.unit):
        subject = f"{probe.unit} on {probe.host}"
        evidence = {"url": probe.url, "answer": probe.reason}
        if probe.seconds is not None:
            evidence["seconds"] = f"{probe.seconds:.3f}"
        if healthy(probe):
            took = f" in {probe.seconds:.2f} s" if probe.seconds is not None else ""
            message = f"{application} unit {probe.unit} answers {probe.url} ({probe.reason}){took}"
            results.append(CheckResult(CHECK, subject, Status.OK, message, evidence))
            continue
        others = f"{len(answering)} other unit(s) serve" if answering else "no unit serves"
        message = (
            f"{application} unit {probe.unit} fails {probe.url} ({probe.reason}); HAProxy takes"
            f" it out, {others} — read the service's logs on {probe.host}"
        )
        results.append(CheckResult(CHECK, subject, lost, message, evidence))
    return results
