"""Register one service with Keystone. hastack runs this file on the Keystone leader.

Standard library only, so it runs with any host's ``python3``: one process and a handful of
v3 API requests instead of one ``openstack`` command (2-5 s of imports each) per object.

Input: one JSON document on stdin (passwords included, so none is ever on a command line)::

    {"auth_url": ".../v3", "region": "RegionOne", "project": "service", "role": "admin",
     "admin": {"user", "project", "domain", "password"},
     "user": {"name", "domain", "password"},
     "services": [{"type", "name", "description", "endpoints": {"public": url, ...}}],
     "roles": ["ResellerAdmin"]}   # roles the service's config names, made when missing

Every object is checked first and only what differs is changed. Output: one JSON line per
object, ``{"object", "changed", "message"}``; exit 1 with one line on stderr naming the
request that failed. Nothing printed holds a password.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

INTERFACES = ("public", "internal", "admin")
TIMEOUT_S = 30.0

Json = dict[str, Any]


class Failed(Exception):
    """A request Keystone refused or did not answer."""


class Keystone:
    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.token = ""

    def call(self, method: str, path: str, body: Json | None = None) -> tuple[int, Json, str]:
        """(status, JSON body, X-Subject-Token) of one request; Failed on a network error."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("X-Auth-Token", self.token)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
                status, text, token = answer.status, answer.read(), answer.headers
        except urllib.error.HTTPError as error:
            status, text, token = error.code, error.read(), error.headers
        except (urllib.error.URLError, OSError) as error:
            raise Failed(f"{method} {self.url}{path}: {error}") from error
        found = json.loads(text) if text.strip() else {}
        return status, found, token.get("X-Subject-Token", "")

    def expect(self, method: str, path: str, body: Json | None = None, ok: int = 200) -> Json:
        status, found, _token = self.call(method, path, body)
        if status != ok:
            said = found.get("error", {}).get("message", "") if isinstance(found, dict) else ""
            raise Failed(f"{method} {self.url}{path} answered HTTP {status}: {said}"[:400])
        return found

    def first(self, path: str, key: str, **query: str) -> Json | None:
        found = self.expect("GET", f"{path}?{urllib.parse.urlencode(query)}")[key]
        return found[0] if found else None


def password_auth(user: str, domain: str, password: str, project: str | None) -> Json:
    """A token request; unscoped without *project*."""
    identity = {"user": {"name": user, "domain": {"id": domain}, "password": password}}
    auth: Json = {"identity": {"methods": ["password"], "password": identity}}
    if project is not None:
        auth["scope"] = {"project": {"name": project, "domain": {"id": domain}}}
    return {"auth": auth}


def emit(obj: str, changed: bool, message: str) -> None:
    print(json.dumps({"object": obj, "changed": changed, "message": message}), flush=True)


def log_in(ks: Keystone, admin: Json) -> None:
    body = password_auth(admin["user"], admin["domain"], admin["password"], admin["project"])
    status, found, token = ks.call("POST", "/auth/tokens", body)
    if status != 201:
        said = found.get("error", {}).get("message", "")
        raise Failed(f"the admin user cannot log in at {ks.url} (HTTP {status}: {said})")
    ks.token = token


def ensure_project(ks: Keystone, name: str, domain: str) -> str:
    found = ks.first("/projects", "projects", name=name, domain_id=domain)
    if found is not None:
        emit("project", False, f"project {name} exists")
        return str(found["id"])
    body = {"project": {"name": name, "domain_id": domain, "description": "Service users"}}
    made = ks.expect("POST", "/projects", body, ok=201)["project"]
    emit("project", True, f"created project {name}")
    return str(made["id"])


def ensure_user(ks: Keystone, user: Json) -> str:
    """The user's id: created, or found and able to log in with the password hastack holds
    (reset where it cannot)."""
    found = ks.first("/users", "users", name=user["name"], domain_id=user["domain"])
    if found is None:
        body = {"user": {"name": user["name"], "domain_id": user["domain"], "enabled": True}}
        body["user"]["password"] = user["password"]
        made = ks.expect("POST", "/users", body, ok=201)["user"]
        emit("user", True, f"created user {user['name']}")
        return str(made["id"])
    user_id = str(found["id"])
    status, _found, _token = ks.call("POST", "/auth/tokens", unscoped(user))
    if status == 201:
        emit("user", False, f"user {user['name']} exists and logs in")
    elif status == 401:
        ks.expect("PATCH", f"/users/{user_id}", {"user": {"password": user["password"]}})
        emit("user", True, f"reset the password of user {user['name']} (it did not log in)")
    else:
        raise Failed(f"logging in as {user['name']} answered HTTP {status}")
    return user_id


def unscoped(user: Json) -> Json:
    return password_auth(user["name"], user["domain"], user["password"], None)


def ensure_role_exists(ks: Keystone, name: str) -> None:
    """A role the service's config names (Swift's reseller admin), granted to no one here."""
    if ks.first("/roles", "roles", name=name) is not None:
        emit("role-" + name, False, f"role {name} exists")
        return
    ks.expect("POST", "/roles", {"role": {"name": name}}, ok=201)
    emit("role-" + name, True, f"created role {name}")


def ensure_role(ks: Keystone, project: str, user: str, role: Json, names: str) -> None:
    path = f"/projects/{project}/users/{user}/roles/{role['id']}"
    status, _found, _token = ks.call("HEAD", path)
    if status in (200, 204):
        emit("role", False, f"{names} exists")
        return
    ks.expect("PUT", path, ok=204)
    emit("role", True, f"granted {names}")


def ensure_service(ks: Keystone, service: Json) -> str:
    query = urllib.parse.urlencode({"type": service["type"]})
    found = ks.expect("GET", f"/services?{query}")["services"]
    same = [s for s in found if s.get("name") == service["name"]]
    what = f"service {service['name']} ({service['type']})"
    if same:
        if not same[0].get("enabled", True):
            ks.expect("PATCH", f"/services/{same[0]['id']}", {"service": {"enabled": True}})
            emit(f"{service['type']}-service", True, f"enabled {what}")
        else:
            emit(f"{service['type']}-service", False, f"{what} exists")
        return str(same[0]["id"])
    body = {key: service[key] for key in ("type", "name", "description")}
    made = ks.expect("POST", "/services", {"service": {**body, "enabled": True}}, ok=201)
    emit(f"{service['type']}-service", True, f"created {what}")
    return str(made["service"]["id"])


def ensure_endpoints(ks: Keystone, service_id: str, service: Json, region: str) -> None:
    query = urllib.parse.urlencode({"service_id": service_id})
    found = [
        e for e in ks.expect("GET", f"/endpoints?{query}")["endpoints"]
        if e.get("region_id") == region
    ]  # fmt: skip
    done = []
    for interface in INTERFACES:
        url = service["endpoints"][interface]
        mine = sorted(
            (e for e in found if e["interface"] == interface),
            key=lambda e: (e["url"] != url, not e.get("enabled", True), e["id"]),
        )
        for extra in mine[1:]:
            ks.expect("DELETE", f"/endpoints/{extra['id']}", ok=204)
            done.append(f"deleted a second {interface} endpoint {extra['url']}")
        if not mine:
            body = {"service_id": service_id, "interface": interface, "url": url}
            ks.expect("POST", "/endpoints", {"endpoint": {**body, "region_id": region}}, ok=201)
            done.append(f"created {interface} {url}")
        elif mine[0]["url"] != url or not mine[0].get("enabled", True):
            change = {"url": url, "enabled": True}
            ks.expect("PATCH", f"/endpoints/{mine[0]['id']}", {"endpoint": change})
            done.append(f"set {interface} to {url} (was {mine[0]['url']})")
    obj = f"{service['type']}-endpoints"
    if done:
        emit(obj, True, f"{service['type']} endpoints in {region}: " + "; ".join(done))
    else:
        urls = service["endpoints"]
        emit(
            obj,
            False,
            f"{service['type']} endpoints in {region} exist: public {urls['public']}, "
            f"internal/admin {urls['internal']}",
        )


def register(spec: Json) -> None:
    ks = Keystone(spec["auth_url"])
    log_in(ks, spec["admin"])
    user = spec["user"]
    project = ensure_project(ks, spec["project"], user["domain"])
    user_id = ensure_user(ks, user)
    role = ks.first("/roles", "roles", name=spec["role"])
    if role is None:
        raise Failed(f"Keystone has no role {spec['role']} (keystone-manage bootstrap makes it)")
    names = f"role {spec['role']} of {user['name']} on project {spec['project']}"
    ensure_role(ks, project, user_id, role, names)
    for name in spec.get("roles", ()):
        ensure_role_exists(ks, name)
    for service in spec["services"]:
        service_id = ensure_service(ks, service)
        ensure_endpoints(ks, service_id, service, spec["region"])


def main() -> int:
    try:
        register(json.load(sys.stdin))
    except (Failed, KeyError, ValueError) as error:
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
