"""pacemaker.cluster: membership, quorum, resources and where they run, failures, fencing."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from ..facts.pacemaker import ClusterStatus, FailedAction, FenceEvent, Node, Resource
from .status import CheckResult, Status

CHECK = "pacemaker.cluster"


@dataclasses.dataclass(frozen=True)
class ExpectedResource:
    id: str  # a primitive, clone, group or bundle id
    instances: int = 1  # running instances wanted: a clone on 3 controllers wants 3


def evaluate_pacemaker(
    status: ClusterStatus | None,
    expected_nodes: Sequence[str],
    expected_resources: Sequence[ExpectedResource] = (),
    guarded: Mapping[str, str] | None = None,
) -> list[CheckResult]:
    """Judge one ``crm_mon`` view of the cluster against the nodes and resources planned.

    Every stonith resource is judged too, planned or not: a fence device that is not running
    means its node cannot be fenced. *guarded* maps the nodes the fence-loop guard holds off
    to its reason: such a node is offline on purpose.
    """
    if status is None:
        return [
            _result(
                "cluster",
                Status.DOWN,
                "no node answered `crm_mon`; start corosync and pacemaker on the controllers",
            )
        ]
    results = _membership(status, expected_nodes, guarded or {})
    results += _stonith_setting(status)
    for expected in _with_fence_devices(status, expected_resources):
        results.append(_resource(status, expected))
    results += [_failed_action(action) for action in status.failed_actions]
    results += _fencing(status.fence_history)
    return results


def _result(subject: str, status: Status, message: str, **evidence: str) -> CheckResult:
    return CheckResult(CHECK, subject, status, message, evidence)


def _membership(
    status: ClusterStatus, expected_nodes: Sequence[str], guarded: Mapping[str, str]
) -> list[CheckResult]:
    online = [n.name for n in status.nodes if n.online]
    counts = f"{len(online)} of {len(expected_nodes)} nodes online"
    evidence = {"online": ", ".join(online), "dc": status.dc or ""}
    results = []
    if not status.have_quorum and status.dc is not None:
        message = (
            f"the cluster has no quorum ({counts}: {', '.join(online) or 'none'}); resources"
            " stay stopped until a majority is back — start the offline nodes or fix their links"
        )
        results.append(_result("cluster", Status.DOWN, message, **evidence))
    elif status.dc is None:
        message = f"no DC is elected yet ({counts}); waiting for the election to finish"
        results.append(_result("cluster", Status.WAITING, message, **evidence))
    else:
        message = f"{counts} with quorum; DC is {status.dc}"
        results.append(_result("cluster", Status.OK, message, **evidence))
    for name in expected_nodes:
        problem = _node_problem(name, status.node(name), guarded.get(name))
        if problem is not None:
            results.append(_result(name, *problem))
    return results


def _node_problem(name: str, node: Node | None, guard: str | None) -> tuple[Status, str] | None:
    if node is None:
        return (
            Status.BLOCKED,
            f"{name} is not a member of the cluster; add it to corosync.conf and the CIB"
            " (re-run `hastack lab up`)",
        )
    if node.unclean:
        return (
            Status.BLOCKED,
            f"{name} is UNCLEAN and waits to be fenced; its resources cannot move until"
            f" fencing succeeds — check its fence device and BMC",
        )
    if node.pending:
        return Status.WAITING, f"{name} is joining the cluster; waiting for it to finish"
    if not node.online and guard:
        return (
            Status.BLOCKED,
            f"{name} is offline on purpose: the fence-loop guard left it powered off (see"
            f" fencing.guard); run `hastack recover fencing {name}` once the cause is fixed",
        )
    if not node.online:
        return Status.DEGRADED, f"{name} is offline; start corosync and pacemaker on it"
    if node.standby:
        return (
            Status.DEGRADED,
            f"{name} is in standby and runs no resources; run `crm node online {name}`"
            " when its maintenance is over",
        )
    if node.maintenance:
        return (
            Status.DEGRADED,
            f"{name} is in maintenance mode and Pacemaker does not manage its resources;"
            f" run `crm node ready {name}` when done",
        )
    return None


def _stonith_setting(status: ClusterStatus) -> list[CheckResult]:
    if not status.stonith_enabled:
        message = (
            "stonith-enabled is false: a lost node cannot be fenced and a resource may run"
            " twice; configure a fence device per node and set stonith-enabled=true"
        )
        return [_result("stonith", Status.BLOCKED, message)]
    if not any(r.is_stonith for r in status.resources):
        message = (
            "stonith is enabled but no fence device is configured, so no failed node can be"
            " fenced; add a stonith resource per node (re-run `hastack lab up`)"
        )
        return [_result("stonith", Status.BLOCKED, message)]
    return []


def _with_fence_devices(
    status: ClusterStatus, expected: Sequence[ExpectedResource]
) -> list[ExpectedResource]:
    listed = [e.id for e in expected]
    extra = []
    for resource in status.resources:
        if resource.is_stonith and not any(resource.belongs_to(i) for i in listed):
            extra.append(ExpectedResource(resource.id))
            listed.append(resource.id)
    return [*expected, *extra]


def _resource(status: ClusterStatus, expected: ExpectedResource) -> CheckResult:
    rid = expected.id
    instances = status.instances(rid)
    if not instances:
        message = f"{rid} is not configured in the CIB; re-run `hastack lab up`"
        return _result(rid, Status.BLOCKED, message)
    agent = instances[0].agent
    running, unknown, failed = _placement(status, instances)
    evidence = {
        "agent": agent,
        "running_on": ", ".join(running),
        "failed_on": ", ".join(failed),
        "unknown_on": ", ".join(unknown),
    }
    where = ", ".join(running)
    doubled = _active_twice(instances)
    if doubled is not None:
        message = (
            f"{doubled.id} ({agent}) is active on {' and '.join(doubled.nodes)} at once;"
            f" Pacemaker stops and restarts it — if it stays, run `crm resource cleanup {rid}`"
        )
        return _result(rid, Status.BLOCKED, message, **evidence)
    if not running:
        return _nowhere(rid, agent, unknown, failed, evidence)
    count = f"{len(running)} of {expected.instances} expected"
    if failed:
        message = (
            f"{rid} ({agent}) FAILED on {', '.join(failed)} and runs on {where} ({count});"
            f" Pacemaker is recovering it — if it stays failed, run `crm resource cleanup {rid}`"
        )
        return _result(rid, Status.DEGRADED, message, **evidence)
    if len(running) < expected.instances:
        why = (
            f"its state on {', '.join(unknown)} is unknown until fenced"
            if unknown
            else "see `crm status` for why"
        )
        message = f"{rid} ({agent}) runs on {where} only ({count}); {why}"
        return _result(rid, Status.DEGRADED, message, **evidence)
    return _result(rid, Status.OK, f"{rid} ({agent}) started on {where}", **evidence)


def _nowhere(
    rid: str, agent: str, unknown: list[str], failed: list[str], evidence: dict[str, str]
) -> CheckResult:
    if unknown:
        message = (
            f"{rid} ({agent}) runs on no online node; its state on {', '.join(unknown)} is"
            " unknown until that node is fenced — check its fence device and BMC"
        )
        return _result(rid, Status.BLOCKED, message, **evidence)
    detail = f"FAILED on {', '.join(failed)}" if failed else "stopped on every node"
    message = (
        f"{rid} ({agent}) is {detail}; fix the cause shown in the failed actions,"
        f" then run `crm resource cleanup {rid}`"
    )
    return _result(rid, Status.DOWN, message, **evidence)


def _placement(
    status: ClusterStatus, instances: Sequence[Resource]
) -> tuple[list[str], list[str], list[str]]:
    """Nodes it runs on, nodes whose state is unknown (UNCLEAN or offline), nodes it failed on."""
    online = {n.name for n in status.nodes if n.online and not n.unclean}
    placed = sorted(n for r in instances if r.running for n in r.nodes)
    running = [n for n in placed if n in online]
    unknown = [n for n in placed if n not in online]
    failed = sorted(n for r in instances if r.failed for n in r.nodes)
    return running, unknown, failed


def _active_twice(instances: Sequence[Resource]) -> Resource | None:
    return next((r for r in instances if len(r.nodes) > 1), None)


def _failed_action(action: FailedAction) -> CheckResult:
    reason = f" ({action.exit_reason})" if action.exit_reason else ""
    message = (
        f"{action.resource} {action.label} on {action.node} failed: {action.exit_status}{reason};"
        f" fix the cause, then run `crm resource cleanup {action.resource} {action.node}`"
    )
    evidence = {"exit_code": str(action.exit_code), "last_change": action.last_change}
    return _result(f"{action.resource} on {action.node}", Status.DEGRADED, message, **evidence)


def _fencing(history: Sequence[FenceEvent]) -> list[CheckResult]:
    latest: dict[str, FenceEvent] = {}
    for event in history:  # newest first
        latest.setdefault(event.target, event)
    results = []
    for target, event in sorted(latest.items()):
        evidence = {"origin": event.origin, "delegate": event.delegate, "at": event.completed}
        subject = f"fencing {target}"
        if event.status == "pending":
            message = f"fencing {target} ({event.action}) is in progress, asked by {event.origin}"
            results.append(_result(subject, Status.WAITING, message, **evidence))
        elif event.status == "failed":
            reason = f": {event.exit_reason}" if event.exit_reason else ""
            message = (
                f"fencing {target} ({event.action}) failed{reason}; it stays UNCLEAN until"
                " fencing succeeds — check its BMC and fence device"
            )
            results.append(_result(subject, Status.BLOCKED, message, **evidence))
        else:
            message = f"{target} was fenced ({event.action}) by {event.delegate or event.origin}"
            results.append(_result(subject, Status.OK, message, **evidence))
    return results
