"""What hastack does with swift-proxy: the rings (built on the leader from the storage zones,
copied to every Swift host), its Keystone user and ``object-store`` endpoints, Debian's
``swift-proxy.service`` on every unit behind HAProxy; status asks every unit and compares
every host's rings. A drill kills a unit's proxy: HAProxy sends its requests elsewhere and
systemd starts it again."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ...apply import apache
from ...apply.report import Report
from ...health.status import CheckResult
from ...hosts import Connector
from ...openstack import api, daemon, identity
from ...plan import Plan
from ...secrets import SecretStore
from ..base import Service, UnitProcess
from . import KIND, builder, health, probes, render

# Debian's swift-proxy.service: ExecStart=/usr/bin/swift-proxy-server /etc/swift/proxy-server.conf
PROXY = daemon.Daemon(
    "swift-proxy",
    render.USER,
    config=render.PROXY_CONF,
    pattern="^/usr/bin/python3 /usr/bin/swift-proxy-server( |$)",
    serves=render.PORT,
    syslog=True,
    reads=(render.SWIFT_CONF,),
)
IDENTITY = identity.Identity(
    render.USER,
    render.PASSWORD,
    (
        identity.CatalogEntry(
            "object-store", "swift", "Object Storage", render.PORT, "/v1/AUTH_%(project_id)s"
        ),
    ),
    roles=(render.RESELLER_ADMIN_ROLE,),
)
START_TIMEOUT_S = 120


def deploy(
    plan: Plan, app: str, hosts: Mapping[str, Connector], secrets: SecretStore, report: Report
) -> None:
    builder.ensure_rings(plan, app, hosts, report)  # again: a zone may have joined since
    identity.ensure_registered(plan, app, hosts, IDENTITY, secrets, report)
    units = {u.host: hosts[u.host] for u in plan.units_of(app)}
    daemon.ensure_running(units, PROXY, report)
    urls = api.unit_urls(plan, app, port=render.PORT)
    daemon.wait_serving(units, PROXY, urls, report, START_TIMEOUT_S)
    apache.wait_haproxy_up(plan, app, hosts, report)


def reload(conn: Connector, changed: Sequence[str], report: Report) -> None:
    """A changed proxy-server.conf or swift.conf restarts the proxy (rings reload by
    themselves: Swift rereads a ring file whose mtime changed)."""
    daemon.restart_changed(conn, list(changed), (PROXY,), report)


def check(plan: Plan, app: str, hosts: Mapping[str, Connector]) -> list[CheckResult]:
    return [*api.check_units(plan, app, hosts), *health.check_rings(plan, app, hosts)]


SERVICE = Service(
    KIND,
    render=render.render,
    deploy=deploy,
    reload=reload,
    health=check,
    unit_process=UnitProcess(PROXY.pattern, PROXY.name),
    client_probes=probes.object_probes,
)
