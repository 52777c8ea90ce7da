"""swift.rings: every Swift host holds the rings its proxy's leader built (same md5).

A host whose rings differ places objects elsewhere than its peers: its servers look for
replicas where there are none and replicate to the wrong places. Swift reloads a changed ring
file by itself, so copying the leader's fixes it (a deploy does).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

from ...errors import ConnectError
from ...health.status import CheckResult, Status
from ...hosts import Connector
from ...plan import Plan
from . import builder, rings

CHECK = "swift.rings"
Seen = Mapping[str, str | None]  # ring path -> md5 (None: missing)


def _short(seen: Seen) -> dict[str, str]:
    return {p.rsplit("/", 1)[1]: (d or "missing")[:8] for p, d in sorted(seen.items())}


def evaluate_rings(app: str, leader: str, found: Mapping[str, Seen | None]) -> list[CheckResult]:
    """Judge each host's ring md5s (None: host unreachable) against the leader's, or against
    the most common set when the leader cannot be asked."""
    answered = {h: s for h, s in found.items() if s is not None}
    if not answered:
        return [CheckResult(CHECK, app, Status.DOWN, f"no host of {app} answers about its rings")]
    if leader in answered:
        reference, source = dict(answered[leader]), f"{leader}, the ring builder"
    else:
        common = Counter(tuple(sorted(s.items())) for s in answered.values()).most_common(1)
        reference, source = dict(common[0][0]), "most hosts (the builder does not answer)"
    results = []
    for host, seen in sorted(found.items()):
        subject = f"{app} rings on {host}"
        if seen is None:
            message = f"{host} cannot be asked about {app}'s rings (host unreachable)"
            results.append(CheckResult(CHECK, subject, Status.DEGRADED, message))
            continue
        missing = sorted(p for p, d in seen.items() if d is None)
        differ = sorted(p for p, d in seen.items() if d is not None and d != reference.get(p))
        evidence = _short(seen)
        if not missing and not differ:
            message = f"{host} holds {app}'s rings as {source} built them"
            results.append(CheckResult(CHECK, subject, Status.OK, message, evidence))
            continue
        what = [f"{p} is missing" for p in missing] + [f"{p} differs" for p in differ]
        message = (
            f"on {host} {'; '.join(what)} (compared with {source}): its servers place objects "
            "elsewhere than their peers; deploy again (`hastack lab up` in the lab) to copy the "
            "builder's rings"
        )
        results.append(CheckResult(CHECK, subject, Status.DEGRADED, message, evidence))
    return results


def check_rings(plan: Plan, app: str, hosts: Mapping[str, Connector]) -> list[CheckResult]:
    """``swift.rings`` over every host of *app* and its storage zones."""
    paths = tuple(rings.ring_path(n) for n in rings.NAMES)
    members = [h for h in builder.swift_hosts(plan, app) if h in hosts]

    def one(host: str) -> Seen | None:
        try:
            return builder.md5sums(hosts[host], paths)
        except ConnectError:
            return None

    with ThreadPoolExecutor(max_workers=max(1, len(members))) as pool:
        found = dict(zip(members, pool.map(one, members), strict=True))
    return evaluate_rings(app, plan.leader(app).host, found)
