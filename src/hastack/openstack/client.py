"""What a drill's client probes share: a project-scoped admin token from Keystone's VIP,
fetched once and kept (as a real client keeps its token), and plain HTTP to a lab VIP.

The token is asked for before the fault (the probe's first attempt), so a drill that moves
Keystone's VIP does not fail a probe of another service; a 401 drops it and the next attempt
asks again.
"""

from __future__ import annotations

import http.client
import json
import threading
import urllib.parse

from ..drills.probes import require_lab_address
from ..plan import Plan
from ..secrets import SecretStore
from . import config

ADMIN_PASSWORD = "keystone-admin-password"  # the secret's name


class Unauthorized(RuntimeError):
    """The service refused the token (HTTP 401)."""


def request(
    address: str,
    port: int,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float,
) -> tuple[int, dict[str, str], bytes]:
    """One request on a fresh connection: (status, headers, body)."""
    conn = http.client.HTTPConnection(require_lab_address(address), port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        conn.close()


def expect(status: int, wanted: tuple[int, ...], what: str) -> None:
    if status == 401:
        raise Unauthorized(f"{what}: HTTP 401 (token refused)")
    if status not in wanted:
        raise RuntimeError(f"{what}: HTTP {status}")


class Tokens:
    """The bootstrap admin's token for the ``admin`` project, from Keystone's first VIP."""

    def __init__(self, address: str, port: int, password: str, timeout: float = 10.0) -> None:
        self.address, self.port, self.timeout = require_lab_address(address), port, timeout
        self._password = password
        self._lock = threading.Lock()
        self._token: tuple[str, str] | None = None  # (token, project id)

    def get(self) -> tuple[str, str]:
        with self._lock:
            if self._token is None:
                self._token = self._issue()
            return self._token

    def drop(self) -> None:
        with self._lock:
            self._token = None

    def _issue(self) -> tuple[str, str]:
        user = {"name": "admin", "domain": {"id": "default"}, "password": self._password}
        auth = {
            "auth": {
                "identity": {"methods": ["password"], "password": {"user": user}},
                "scope": {"project": {"name": "admin", "domain": {"id": "default"}}},
            }
        }
        status, headers, data = request(
            self.address,
            self.port,
            "POST",
            "/v3/auth/tokens",
            body=json.dumps(auth).encode(),
            headers={"Content-Type": "application/json"},
            timeout=self.timeout,
        )
        expect(status, (201,), "keystone token issue")
        project = json.loads(data)["token"]["project"]["id"]
        return headers["x-subject-token"], str(project)


class Api:
    """One OpenStack API on one address, called with a token from *tokens*."""

    def __init__(self, address: str, port: int, tokens: Tokens, timeout: float) -> None:
        self.address, self.port, self.tokens, self.timeout = address, port, tokens, timeout

    def call(
        self,
        method: str,
        path: str,
        wanted: tuple[int, ...],
        body: bytes | None = None,
        content_type: str = "application/json",
    ) -> bytes:
        """The answer's body when its status is one of *wanted*; a 401 drops the token (the
        next call asks for another) and raises, as any other status does."""
        token, _ = self.tokens.get()
        headers = {"X-Auth-Token": token, "Content-Type": content_type}
        try:
            status, _, data = request(
                self.address, self.port, method, path, body=body, headers=headers,
                timeout=self.timeout,
            )  # fmt: skip
            expect(status, wanted, f"{method} {path}")
        except Unauthorized:
            self.tokens.drop()
            raise
        return data


def tokens(plan: Plan, app: str, secrets: SecretStore) -> Tokens:
    """Tokens from the Keystone *app* authenticates against, on its internal endpoint."""
    internal = urllib.parse.urlsplit(config.keystone_internal(plan, app))
    if internal.hostname is None or internal.port is None:
        raise ValueError(f"keystone's internal endpoint names no host and port: {internal}")
    password = secrets.get(ADMIN_PASSWORD).reveal()
    return Tokens(internal.hostname, internal.port, password)
