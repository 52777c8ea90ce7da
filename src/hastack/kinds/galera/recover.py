"""``hastack recover galera``: bring a Galera cluster back after a full outage.

When no member runs, the deployer's Galera step already bootstraps from the member with
the highest recovered seqno (``kinds/galera/deploy.py``) and joins the others. What it refuses -
members running but none in a Primary component (a cluster that lost quorum) - this
operation resolves: it stops those members cleanly first, then does the same.
"""

from __future__ import annotations

from collections.abc import Mapping

from ...apply import daemons
from ...apply.report import Report
from ...errors import DeployError
from ...facts.galera import WSREP_STATUS
from ...hosts import Connector
from ...plan import Plan
from ...secrets import SecretStore
from . import deploy as galera


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
                galera.stop(members[host])
                report.add(host, "galera", True, "stopped a member outside any Primary component")
        galera.ensure(plan, app, dict(members), secrets, report)
    return report
