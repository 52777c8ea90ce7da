"""Client configuration for a deployment: clouds.yaml (cloud ``hastack``) and an openrc.

Both point at Keystone's public endpoint on the VIP, hold the admin password, and live in
the deployment's state directory with mode 0600. They are rewritten only when they differ.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from ..kinds.keystone import render as render_keystone
from ..plan import Plan, queries
from ..render.base import header
from ..secrets import SecretStore
from ..topology import NetworkRole

CLOUD = "hastack"
ADMIN = "admin"


@dataclasses.dataclass(frozen=True)
class ClientFiles:
    clouds_yaml: Path
    openrc: Path
    auth_url: str
    dashboard_url: str | None
    changed: bool


def clouds_yaml(auth_url: str, region: str, password: str) -> str:
    """YAML written by hand: every value JSON-quoted (valid YAML), keys in a fixed order."""
    auth = {
        "auth_url": auth_url,
        "username": ADMIN,
        "password": password,
        "project_name": ADMIN,
        "user_domain_name": "Default",
        "project_domain_name": "Default",
    }
    lines = ["clouds:", f"  {CLOUD}:", "    auth:"]
    lines += [f"      {key}: {json.dumps(value)}" for key, value in auth.items()]
    lines += [f"    region_name: {json.dumps(region)}", '    interface: "public"']
    lines += ["    identity_api_version: 3"]
    return header() + "\n".join(lines) + "\n"


def openrc(auth_url: str, region: str, password: str) -> str:
    pairs = {
        "OS_AUTH_URL": auth_url,
        "OS_USERNAME": ADMIN,
        "OS_PASSWORD": password,
        "OS_PROJECT_NAME": ADMIN,
        "OS_USER_DOMAIN_NAME": "Default",
        "OS_PROJECT_DOMAIN_NAME": "Default",
        "OS_REGION_NAME": region,
        "OS_INTERFACE": "public",
        "OS_IDENTITY_API_VERSION": "3",
    }
    return header() + "".join(f"export {k}='{v}'\n" for k, v in pairs.items())


def dashboard_url(plan: Plan) -> str | None:
    """Horizon on its public VIP (the management VIP without one), reachable from the host."""
    for app in plan.applications_of_kind("openstack-dashboard"):
        for role in (NetworkRole.EXTERNAL, NetworkRole.MANAGEMENT):
            address = queries.vip_address(plan, app, role)
            if address is not None:
                return f"http://{address}/"
    return None


def _write(path: Path, text: str) -> bool:
    if path.exists() and path.read_text() == text and (path.stat().st_mode & 0o777) == 0o600:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)
    return True


def write_client_files(plan: Plan, secrets: SecretStore, directory: Path) -> ClientFiles | None:
    """clouds.yaml and openrc for the deployment's Keystone; None without one."""
    apps = plan.applications_of_kind("keystone")
    if not apps:
        return None
    auth_url = render_keystone.endpoints(plan, apps[0])["public"]
    region = queries.region(plan, apps[0])
    password = secrets.get("keystone-admin-password").reveal()
    clouds, rc = directory / "clouds.yaml", directory / "openrc"
    changed = _write(clouds, clouds_yaml(auth_url, region, password))
    changed = _write(rc, openrc(auth_url, region, password)) or changed
    return ClientFiles(clouds, rc, auth_url, dashboard_url(plan), changed)
