"""The registrar against a small fake of Keystone's v3 API (the objects it touches): it
creates what is missing, changes only what differs, and a second run changes nothing."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import redirect_stdout
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from hastack.openstack import registrar

ADMIN_PASSWORD = "AdminPassword000"
SERVICE_PASSWORD = "HeatPassword0000"
Json = dict[str, Any]


class FakeKeystone:
    """Projects, users, roles, assignments, services and endpoints, in memory."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, Json]] = {
            "projects": {"p-admin": {"id": "p-admin", "name": "admin", "domain_id": "default"}},
            "users": {
                "u-admin": {
                    "id": "u-admin",
                    "name": "admin",
                    "domain_id": "default",
                    "password": ADMIN_PASSWORD,
                }
            },
            "roles": {"r-admin": {"id": "r-admin", "name": "admin"}},
            "services": {},
            "endpoints": {},
        }
        self.assignments = {("p-admin", "u-admin", "r-admin")}
        self.tokens: set[str] = set()
        self.writes: list[str] = []  # "POST /users", ...

    def log_in(self, body: Json) -> tuple[int, Json, str]:
        user = body["auth"]["identity"]["password"]["user"]
        found = [u for u in self.tables["users"].values() if u["name"] == user["name"]]
        if not found or found[0]["password"] != user["password"]:
            return 401, {"error": {"message": "The request you have made requires auth"}}, ""
        if "scope" not in body["auth"]:
            return 201, {"token": {}}, "unscoped"  # good for nothing but proving a password
        scope = body["auth"]["scope"]["project"]["name"]
        project = [p for p in self.tables["projects"].values() if p["name"] == scope]
        if not project or not any(
            a[:2] == (project[0]["id"], found[0]["id"]) for a in self.assignments
        ):
            return 401, {"error": {"message": "no role on the project"}}, ""
        token = uuid.uuid4().hex
        self.tokens.add(token)
        return 201, {"token": {}}, token

    def handle(self, method: str, path: str, query: Json, body: Json) -> tuple[int, Json]:
        parts = path.removeprefix("/v3/").split("/")
        if parts[0] == "projects" and len(parts) == 6:  # /projects/P/users/U/roles/R
            key = (parts[1], parts[3], parts[5])
            if method == "HEAD":
                return (204 if key in self.assignments else 404), {}
            self.assignments.add(key)
            self.writes.append(f"PUT role {key}")
            return 204, {}
        table = self.tables[parts[0]]
        singular = parts[0][:-1]
        if method == "GET":
            rows = [
                {k: v for k, v in row.items() if k != "password"}
                for row in table.values()
                if all(row.get(k) == v[0] for k, v in query.items())
            ]
            return 200, {parts[0]: rows}
        self.writes.append(f"{method} /{parts[0]}")
        if method == "POST":
            row = {"id": uuid.uuid4().hex[:8], **body[singular]}
            table[row["id"]] = row
            return 201, {singular: row}
        if method == "PATCH":
            table[parts[1]].update(body[singular])
            return 200, {singular: table[parts[1]]}
        del table[parts[1]]
        return 204, {}


def _handler(fake: FakeKeystone) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: Json, token: str = "") -> None:
            data = json.dumps(body).encode() if body else b""
            self.send_response(status)
            if token:
                self.send_header("X-Subject-Token", token)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _serve(self) -> None:
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else {}
            if url.path == "/v3/auth/tokens":
                self._answer(*fake.log_in(body))
                return
            if self.headers.get("X-Auth-Token") not in fake.tokens:
                self._answer(401, {"error": {"message": "no token"}})
                return
            self._answer(*fake.handle(self.command, url.path, parse_qs(url.query), body))

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _serve  # noqa: N815

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def keystone() -> Iterator[tuple[FakeKeystone, str]]:
    fake = FakeKeystone()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake, f"http://127.0.0.1:{server.server_address[1]}/v3"
    finally:
        server.shutdown()
        server.server_close()


def _spec(url: str, public: str = "http://198.18.1.104:8004/v1/%(tenant_id)s") -> Json:
    internal = "http://198.18.0.104:8004/v1/%(tenant_id)s"
    return {
        "auth_url": url,
        "region": "RegionOne",
        "project": "service",
        "role": "admin",
        "admin": {
            "user": "admin",
            "project": "admin",
            "domain": "default",
            "password": ADMIN_PASSWORD,
        },
        "user": {"name": "heat", "domain": "default", "password": SERVICE_PASSWORD},
        "services": [
            {
                "type": "orchestration",
                "name": "heat",
                "description": "Orchestration",
                "endpoints": {"public": public, "internal": internal, "admin": internal},
            }
        ],
    }


def _register(spec: Json) -> list[Json]:
    out = io.StringIO()
    with redirect_stdout(out):
        registrar.register(spec)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_first_run_creates_everything_second_run_nothing(
    keystone: tuple[FakeKeystone, str],
) -> None:
    fake, url = keystone
    first = _register(_spec(url))
    assert [(line["object"], line["changed"]) for line in first] == [
        ("project", True),
        ("user", True),
        ("role", True),
        ("orchestration-service", True),
        ("orchestration-endpoints", True),
    ]
    assert len(fake.tables["endpoints"]) == 3
    writes = len(fake.writes)
    second = _register(_spec(url))
    assert [line["changed"] for line in second] == [False] * 5
    assert len(fake.writes) == writes, fake.writes[writes:]
    assert second[-1]["message"] == (
        "orchestration endpoints in RegionOne exist: public "
        "http://198.18.1.104:8004/v1/%(tenant_id)s, internal/admin "
        "http://198.18.0.104:8004/v1/%(tenant_id)s"
    )
    assert second[1]["message"] == "user heat exists and logs in"


def test_a_role_the_service_names_is_made_once(keystone: tuple[FakeKeystone, str]) -> None:
    fake, url = keystone
    spec = {**_spec(url), "roles": ["ResellerAdmin"]}
    first = _register(spec)
    assert ("role-ResellerAdmin", True, "created role ResellerAdmin") in [
        (line["object"], line["changed"], line["message"]) for line in first
    ]
    assert "ResellerAdmin" in {r["name"] for r in fake.tables["roles"].values()}
    second = _register(spec)
    assert all(not line["changed"] for line in second)
    assert len(fake.tables["roles"]) == 2  # admin and ResellerAdmin, not granted to anyone
    assert ("p-admin", "u-admin", "r-admin") in fake.assignments and len(fake.assignments) == 2


def test_a_changed_url_is_patched_and_a_duplicate_deleted(
    keystone: tuple[FakeKeystone, str],
) -> None:
    fake, url = keystone
    _register(_spec(url))
    endpoint = next(e for e in fake.tables["endpoints"].values() if e["interface"] == "admin")
    copy = {**endpoint, "id": "duplicate"}
    fake.tables["endpoints"]["duplicate"] = copy
    lines = _register(_spec(url, public="http://198.18.1.199:8004/v1/%(tenant_id)s"))
    assert lines[-1]["changed"]
    assert "deleted a second admin endpoint" in lines[-1]["message"]
    assert "set public to http://198.18.1.199:8004/v1/%(tenant_id)s" in lines[-1]["message"]
    urls = sorted(e["url"] for e in fake.tables["endpoints"].values())
    assert len(urls) == 3 and "http://198.18.1.199:8004/v1/%(tenant_id)s" in urls


def test_a_user_whose_password_does_not_log_in_gets_it_reset(
    keystone: tuple[FakeKeystone, str],
) -> None:
    fake, url = keystone
    _register(_spec(url))
    user = next(u for u in fake.tables["users"].values() if u["name"] == "heat")
    user["password"] = "drifted"
    lines = _register(_spec(url))
    assert ("user", True) in [(line["object"], line["changed"]) for line in lines]
    assert user["password"] == SERVICE_PASSWORD


def test_the_script_prints_no_password_and_fails_in_one_line(
    keystone: tuple[FakeKeystone, str],
) -> None:
    _fake, url = keystone
    script = Path(registrar.__file__)
    good = subprocess.run(
        [sys.executable, str(script)], input=json.dumps(_spec(url)), capture_output=True,
        text=True, timeout=60, check=False,
    )  # fmt: skip
    assert good.returncode == 0, good.stderr
    wrong = _spec(url)
    wrong["admin"]["password"] = "not-the-password"
    bad = subprocess.run(
        [sys.executable, str(script)], input=json.dumps(wrong), capture_output=True,
        text=True, timeout=60, check=False,
    )  # fmt: skip
    assert bad.returncode == 1
    assert bad.stderr.startswith("Failed: the admin user cannot log in at http://127.0.0.1:")
    assert len(bad.stderr.strip().splitlines()) == 1
    for text in (good.stdout, good.stderr, bad.stdout, bad.stderr):
        assert ADMIN_PASSWORD not in text and SERVICE_PASSWORD not in text
        assert "not-the-password" not in text
