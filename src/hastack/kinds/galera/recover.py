"""``hastack recover galera``: what Pacemaker's galera agent leaves to an operator.

Recovery is automatic: after a member's loss, a majority loss or a full outage, the
``ocf:heartbeat:galera`` agent bootstraps from the most advanced member and the others
rejoin, with no command (``resources.py``). Two cases it leaves to an operator:

* the resource failed where Pacemaker stops retrying (a failed start, until its failure
  expires): this clears the failures (``crm_resource --cleanup``) so Pacemaker tries again;
* after a full outage a member stays down: the agent waits for every member's last
  committed seqno before it picks one, so nothing starts. This bootstraps from the most
  advanced member that is up - knowingly: writes only the missing member held are lost.

Then it waits until every member that is up is Promoted and Synced.
"""

from __future__ import annotations

from collections.abc import Mapping

from ...apply.report import Report
from ...errors import DeployError
from ...facts.pacemaker import CRM_MON, ClusterStatus
from ...hosts import Connector
from ...plan import Plan
from ...secrets import SecretStore
from . import deploy
from .resources import resource_id

READY_TIMEOUT_S = 300.0


def recover_galera(
    plan: Plan, connectors: Mapping[str, Connector], secrets: SecretStore, report: Report
) -> Report:
    apps = plan.applications_of_kind("galera")
    if not apps:
        raise DeployError("the deployment has no Galera application to recover")
    for app in apps:
        members = {u.host: connectors[u.host] for u in plan.units_of(app)}
        _recover(app, members, report)
    return report


def _recover(app: str, members: Mapping[str, Connector], report: Report) -> None:
    ready, _seen = deploy.members_ready(app, members)
    if ready is not None:
        report.add(ready, "galera", False, f"galera {app}: every member Promoted and Synced")
        return
    status = _cluster_status(app, members)
    up = {h: c for h, c in members.items() if (n := status.node(h)) and n.online}
    if not up:
        raise DeployError(
            f"galera {app}: no member is online in Pacemaker; power on the members"
            " (`hastack lab power on NODE`) and Galera recovers by itself"
        )
    deploy.cleanup(app, up, report, "asked by `hastack recover galera`")
    down = sorted(set(members) - set(up))
    if down and not deploy.promoted_on(status, app):
        _bootstrap_without(app, up, down, report)
    deploy.wait_ready(app, up, READY_TIMEOUT_S)
    report.add("cluster", "galera", True, f"galera {app}: Promoted and Synced on {_names(up)}")


def _cluster_status(app: str, members: Mapping[str, Connector]) -> ClusterStatus:
    for conn in members.values():
        status, _why = CRM_MON.try_read(conn)
        if status is not None:
            return status
    raise DeployError(
        f"galera {app}: crm_mon answers on no member, so Pacemaker is not running there;"
        " power the members on, or start pacemaker on them"
    )


def _bootstrap_without(
    app: str, up: Mapping[str, Connector], down: list[str], report: Report
) -> None:
    """Choose the most advanced member that is up and tell the agent to bootstrap it."""
    rid = resource_id(app)
    conn = up[sorted(up)[0]]
    seqnos: dict[str, int] = {}
    for host in sorted(up):
        value = _attribute(conn, host, f"{rid}-last-committed")
        if value is not None:
            seqnos[host] = int(value) if value.lstrip("-").isdigit() else -1
    if not seqnos:
        raise DeployError(
            f"galera {app}: no member that is up has reported its last committed seqno yet"
            f" (node attribute {rid}-last-committed); wait for their start, then run"
            " `hastack recover galera` again"
        )
    best = max(sorted(seqnos), key=lambda h: seqnos[h])
    for name, value in ((f"{rid}-bootstrap", "true"), (f"master-{rid}", "100")):
        conn.check(["crm_attribute", "-N", best, "-l", "reboot", "--name", name, "-v", value])
    seen = ", ".join(f"{h} {seqnos[h]}" for h in sorted(seqnos))
    report.add(
        best,
        "galera",
        True,
        f"galera {app}: bootstrapping from {best} without {', '.join(down)} (still down;"
        f" seqnos {seen})",
    )


def _attribute(conn: Connector, node: str, name: str) -> str | None:
    result = conn.run(["crm_attribute", "-N", node, "-l", "reboot", "--name", name, "--quiet"])
    value = result.stdout.strip()
    return value if result.ok and value else None


def _names(members: Mapping[str, Connector]) -> str:
    return ", ".join(sorted(members))
