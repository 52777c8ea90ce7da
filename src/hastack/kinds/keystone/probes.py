"""What a drill asks Keystone besides its health URL: a real password-scoped token, which
needs the database, the fernet keys and memcached - the whole identity path."""

from __future__ import annotations

import json
from collections.abc import Callable

from ...drills.probes import HttpProbe, Probe
from ...plan import Plan
from ...plan.model import Frontend
from ...secrets import SecretStore

RATE = 0.5  # tokens per second: every token costs a password hash
TIMEOUT_S = 10.0  # slow under load is still a token


def keystone_token_body(password: str) -> Callable[[], tuple[str, dict[str, str]]]:
    """A password-scoped token request for the bootstrap admin (keystone-manage bootstrap)."""
    auth = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {"name": "admin", "domain": {"id": "default"}, "password": password}
                },
            },
            "scope": {"project": {"name": "admin", "domain": {"id": "default"}}},
        }
    }
    text = json.dumps(auth)
    return lambda: (text, {"Content-Type": "application/json"})


def token_probes(plan: Plan, frontend: Frontend, secrets: SecretStore) -> list[Probe]:
    """One token request stream on the frontend's first VIP."""
    password = secrets.get("keystone-admin-password").reveal()
    first = str(frontend.vips[0])
    return [
        HttpProbe(
            f"{frontend.name} token issue {first}",
            first,
            frontend.port,
            "/v3/auth/tokens",
            RATE,
            body=keystone_token_body(password),
            expect=201,
            timeout=TIMEOUT_S,
        )
    ]
