"""galera.cluster: size as planned, one Primary component, every member Synced, one state."""

from __future__ import annotations

from collections.abc import Mapping

from ...facts.galera import GaleraStatus
from ...health.status import CheckResult, Status

CHECK = "galera.cluster"
_WAITING_FOR = {
    "Donor/Desynced": "waiting for SST to finish",
    "Joining": "waiting for its state transfer (IST/SST) to finish",
    "Joined": "waiting for it to catch up with the cluster",
}


def evaluate_galera(
    members: Mapping[str, GaleraStatus | None], expected_size: int
) -> list[CheckResult]:
    """Judge each member's ``wsrep_%`` status (``None``: it did not answer)."""
    serving = any(s is not None and s.synced for s in members.values())
    results = [
        _member(node, status, expected_size, serving) for node, status in sorted(members.items())
    ]
    results += _cluster(members, serving)
    return results


def _size(status: GaleraStatus, expected: int) -> str:
    if status.cluster_size == expected:
        return f"cluster size {status.cluster_size}"
    return f"cluster size {status.cluster_size}, expected {expected}"


def _member(node: str, status: GaleraStatus | None, expected: int, serving: bool) -> CheckResult:
    if status is None:
        if serving:
            message = (
                f"galera on {node} does not answer; the other members serve — Pacemaker's"
                f" galera agent starts it again and it rejoins with IST or SST (see"
                " `crm_mon -1` if it stays down)"
            )
            return CheckResult(CHECK, node, Status.DEGRADED, message)
        return CheckResult(CHECK, node, Status.DOWN, f"galera on {node} does not answer")
    evidence = {
        "cluster_status": status.cluster_status,
        "state": status.local_state_comment,
        "cluster_size": str(status.cluster_size),
        "state_uuid": status.cluster_state_uuid,
        "last_committed": str(status.last_committed),
    }
    size = _size(status, expected)
    state = status.local_state_comment
    if not status.primary:
        message = (
            f"galera on {node} is {status.cluster_status} ({size}) and refuses queries;"
            " it rejoins when it reaches a Primary component again"
        )
        return CheckResult(
            CHECK, node, Status.DEGRADED if serving else Status.DOWN, message, evidence
        )
    if status.synced:
        if status.cluster_size == expected:
            return CheckResult(
                CHECK, node, Status.OK, f"galera on {node} is Synced ({size})", evidence
            )
        message = f"galera on {node} is Synced ({size}); start or rejoin the missing members"
        return CheckResult(CHECK, node, Status.DEGRADED, message, evidence)
    waiting = _WAITING_FOR.get(state, "waiting for it to join the cluster")
    return CheckResult(
        CHECK, node, Status.WAITING, f"galera on {node} is {state} ({size}); {waiting}", evidence
    )


def _cluster(members: Mapping[str, GaleraStatus | None], serving: bool) -> list[CheckResult]:
    answered = {node: s for node, s in members.items() if s is not None}
    if answered and not any(s.primary for s in answered.values()):
        message = (
            "galera has no Primary component, so no member accepts queries; Pacemaker's"
            " galera agent bootstraps from the most advanced member once every member has"
            " reported its position — if a member stays down, `hastack recover galera`"
            " bootstraps without it"
        )
        return [CheckResult(CHECK, "cluster", Status.DOWN, message)]
    uuids = {node: s.cluster_state_uuid for node, s in sorted(answered.items()) if s.primary}
    if len(set(uuids.values())) > 1:
        listing = ", ".join(f"{node}: {uuid}" for node, uuid in uuids.items())
        message = (
            f"galera members report different cluster state uuids ({listing}); they are"
            " separate clusters — keep the one with the data and rejoin the others with SST"
        )
        return [CheckResult(CHECK, "cluster", Status.BLOCKED, message, uuids)]
    return []
