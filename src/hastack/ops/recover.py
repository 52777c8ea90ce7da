"""``hastack recover galera``: bring a Galera cluster back after a full outage.

When no member runs, the deployer's Galera step already bootstraps from the member with
the highest recovered seqno (``kinds/galera/deploy.py``) and joins the others. What it refuses -
members running but none in a Primary component (a cluster that lost quorum) - this
operation resolves: it stops those members cleanly first, then does the same.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from ..apply import daemons
from ..apply.report import Report
from ..errors import DeployError
from ..facts.galera import WSREP_STATUS
from ..hosts import Connector
from ..kinds.galera import deploy as galera
from ..plan import Plan
from ..secrets import SecretStore
from ..wait import WaitTimeout, wait_until

log = logging.getLogger(__name__)

STOP_TIMEOUT = 90.0


def _stop(conn: Connector) -> None:
    conn.run(["pkill", "-TERM", "-x", "mariadbd"], timeout=10)

    def gone() -> tuple[bool | None, str]:
        running = daemons.running(conn, "mariadbd")
        return (None if running else True), "mariadbd still running" if running else "stopped"

    try:
        wait_until(gone, what=f"mariadbd on {conn.name} stopped", timeout=STOP_TIMEOUT)
    except WaitTimeout as error:
        raise DeployError(
            f"mariadbd on {conn.name} did not stop within {STOP_TIMEOUT:g} s; stop it by "
            f"hand (`hastack lab exec {conn.name} -- pkill -KILL -x mariadbd`) and run "
            "`hastack recover galera` again"
        ) from error


def recover_galera(
    plan: Plan, connectors: Mapping[str, Connector], secrets: SecretStore, report: Report
) -> Report:
    apps = plan.applications_of_kind("galera")
    if not apps:
        raise DeployError("the deployment has no Galera application to recover")
    for app in apps:
        members = {u.host: connectors[u.host] for u in plan.units_of(app)}
        live = [h for h, c in sorted(members.items()) if daemons.running(c, "mariadbd")]
        primary = [
            h for h in live if (s := WSREP_STATUS.read(members[h], timeout=15)) and s.primary
        ]
        if live and not primary:
            for host in live:
                _stop(members[host])
                report.add(host, "galera", True, "stopped a member outside any Primary component")
        galera.ensure(plan, app, dict(members), secrets, report)
    return report
