"""What a drill asks Swift besides ``/healthcheck``: objects written and read back through the
VIP with a Keystone token, the whole path (proxy, token validation, rings, storage zones).

Each attempt writes one new object and reads back one written earlier, in turn, comparing
its bytes; an object once acknowledged that cannot be read back is a failed attempt, so a
zone lost with the only copies would show. The objects stay after the drill, to be looked
at on disk (every zone must come to hold each of them); the next drill's probe deletes them
before it writes its own.
"""

from __future__ import annotations

import hashlib
import json
import uuid

from ...drills.probes import Probe
from ...openstack import client
from ...plan import Plan
from ...plan.model import Frontend
from ...secrets import SecretStore

RATE = 0.5  # a write and a read every two seconds: three replicas each, on two cores
TIMEOUT_S = 10.0  # Swift's own node_timeout: slow under load is still an answer
CONTAINER = "hastack-drill"
SIZE = 4096


def payload(name: str) -> bytes:
    """The bytes of object *name*: derived from the name, so a read can be checked."""
    seed = hashlib.sha256(name.encode()).digest()
    return (seed * (SIZE // len(seed) + 1))[:SIZE]


class ObjectProbe(Probe):
    """PUT a new object, then GET an earlier one, through the Swift VIP."""

    kind = "http"

    def __init__(
        self, name: str, address: str, port: int, tokens: client.Tokens, rate: float
    ) -> None:
        super().__init__(name, f"http://{address}:{port}/v1/", rate)
        self.address, self.port, self.tokens = address, port, tokens
        self.api = client.Api(address, port, tokens, TIMEOUT_S)
        self.run_id = uuid.uuid4().hex[:8]
        self.acked: list[str] = []  # objects whose PUT was acknowledged
        self._reads = 0

    def _call(
        self, method: str, path: str, wanted: tuple[int, ...], body: bytes | None = None
    ) -> bytes:
        _, project = self.tokens.get()
        url = f"/v1/AUTH_{project}/{CONTAINER}{path}"
        return self.api.call(method, url, wanted, body, "application/octet-stream")

    def prepare(self) -> None:
        self._call("PUT", "", (201, 202))
        self._delete_earlier()

    def attempt(self) -> None:
        name = f"{self.run_id}-{len(self.acked) + 1:05d}"
        self._call("PUT", f"/{name}", (201,), payload(name))
        self.acked.append(name)
        earlier = self.acked[self._reads % len(self.acked)]
        self._reads += 1
        if self._call("GET", f"/{earlier}", (200,)) != payload(earlier):
            raise RuntimeError(f"GET {CONTAINER}/{earlier}: the bytes differ from those written")

    def _delete_earlier(self) -> None:
        """Delete the objects an earlier drill left, in one bulk request."""
        names = json.loads(self._call("GET", "?format=json", (200, 204)) or b"[]")
        if not names:
            return
        _, project = self.tokens.get()
        listing = "".join(f"/{CONTAINER}/{n['name']}\n" for n in names).encode()
        bulk = client.Api(self.address, self.port, self.tokens, TIMEOUT_S * 3)
        bulk.call("POST", f"/v1/AUTH_{project}?bulk-delete", (200,), listing, "text/plain")


def object_probes(plan: Plan, frontend: Frontend, secrets: SecretStore) -> list[Probe]:
    """One object stream on the frontend's first VIP."""
    first = str(frontend.vips[0])
    tokens = client.tokens(plan, frontend.application, secrets)
    name = f"{frontend.name} object put+get {first}"
    return [ObjectProbe(name, first, frontend.port, tokens, RATE)]
