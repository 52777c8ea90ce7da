"""A service's identity in Keystone: its service user (admin on the ``service`` project), its
catalog entries and their public/internal/admin endpoints on the VIPs.

Registration runs ``registrar.py`` with the host's ``python3`` on the Keystone leader,
through its Connector, against Keystone's internal endpoint - the same on a lab node and an
SSH host, and never from this machine to a VIP. The passwords travel on stdin only. Every
object is checked before it is changed, so a re-run reports each one as existing.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path

from ..apply.report import Report
from ..catalog.base import ApiPort
from ..errors import DeployError
from ..hosts import Connector
from ..kinds.keystone.deploy import ADMIN
from ..plan import Plan, queries
from ..secrets import SecretStore
from ..topology import NetworkRole
from . import config

ADMIN_SECRET = "keystone-admin-password"  # keystone-manage bootstrap's admin
ROLE = "admin"
DOMAIN = "default"  # the id of the Default domain
SCRIPT = Path(__file__).with_name("registrar.py")
REMOTE_SCRIPT = "/run/hastack/keystone-registrar.py"


@dataclasses.dataclass(frozen=True)
class CatalogEntry:
    """One service in the catalog: its endpoints are on the VIPs at *port*, then *path*."""

    type: str  # "orchestration"
    name: str  # "heat"
    description: str
    port: ApiPort
    path: str = ""  # "/v1/%(tenant_id)s"


@dataclasses.dataclass(frozen=True)
class Identity:
    user: str  # the service user: "heat"
    secret: str  # its password: "heat-password"
    services: tuple[CatalogEntry, ...]
    roles: tuple[str, ...] = ()  # roles its config names, made in Keystone when missing


def endpoint_urls(plan: Plan, app: str, entry: CatalogEntry) -> dict[str, str]:
    """Public on the external VIP, internal and admin on the management VIP."""

    def url(role: NetworkRole) -> str:
        return f"http://{queries.service_address(plan, app, role)}:{entry.port.port}{entry.path}"

    internal = url(NetworkRole.MANAGEMENT)
    return {"public": url(NetworkRole.EXTERNAL), "internal": internal, "admin": internal}


def request(plan: Plan, app: str, identity: Identity, secrets: SecretStore) -> dict[str, object]:
    """The registrar's input for *app* (holds passwords: stdin only, never logged)."""
    keystone = config.keystone_app(plan, app)
    admin = {"user": ADMIN, "project": ADMIN, "domain": DOMAIN}
    user = {"name": identity.user, "domain": DOMAIN}
    services = [
        {
            "type": entry.type,
            "name": entry.name,
            "description": entry.description,
            "endpoints": endpoint_urls(plan, app, entry),
        }
        for entry in identity.services
    ]
    return {
        "auth_url": config.keystone_internal(plan, app) + "/v3",
        "region": queries.region(plan, keystone),
        "project": config.SERVICE_PROJECT,
        "role": ROLE,
        "admin": {**admin, "password": secrets.get(ADMIN_SECRET).reveal()},
        "user": {**user, "password": secrets.get(identity.secret).reveal()},
        "services": services,
        "roles": list(identity.roles),
    }


def run_registrar(conn: Connector, document: dict[str, object]) -> list[dict[str, object]]:
    """Run the registrar on *conn*; its JSON lines."""
    conn.write_file(REMOTE_SCRIPT, SCRIPT.read_text(), mode=0o755)
    result = conn.run(["/usr/bin/python3", REMOTE_SCRIPT], stdin=json.dumps(document), timeout=180)
    if not result.ok:
        said = (result.stderr.strip().splitlines() or [f"exit {result.exit_code}"])[-1][:400]
        raise DeployError(
            f"registering with Keystone from {conn.name} failed: {said}; check Keystone with "
            "`hastack status` and run the command again"
        )
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def ensure_registered(
    plan: Plan,
    app: str,
    hosts: Mapping[str, Connector],
    identity: Identity,
    secrets: SecretStore,
    report: Report,
) -> None:
    """*app*'s user, role and catalog entries in Keystone, as the plan says."""
    keystone = config.keystone_app(plan, app)
    leader = hosts[plan.leader(keystone).host]
    for line in run_registrar(leader, request(plan, app, identity, secrets)):
        step = f"{app}-keystone-{line['object']}"
        report.add(leader.name, step, bool(line["changed"]), str(line["message"]))


def admin_env(plan: Plan, app: str, secrets: SecretStore) -> dict[str, str]:
    """The ``openstack`` client's environment for the cloud's admin on Keystone's internal
    endpoint, for *app*'s Keystone: the password stays off the command line."""
    keystone = config.keystone_app(plan, app)
    return {
        "OS_AUTH_URL": config.keystone_internal(plan, app) + "/v3",
        "OS_USERNAME": ADMIN,
        "OS_PASSWORD": secrets.get(ADMIN_SECRET).reveal(),
        "OS_PROJECT_NAME": ADMIN,
        "OS_USER_DOMAIN_NAME": config.SERVICE_DOMAIN,
        "OS_PROJECT_DOMAIN_NAME": config.SERVICE_DOMAIN,
        "OS_REGION_NAME": queries.region(plan, keystone),
        "OS_INTERFACE": "internal",
        "OS_IDENTITY_API_VERSION": "3",
    }
