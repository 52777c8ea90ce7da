"""What a drill asks Glance besides ``/healthcheck``: an image downloaded through the VIP with
a Keystone token, its bytes checked - Glance reads them from its store (Swift), so the whole
image path is measured.

The image (``hastack-drill-image``, private to the admin project) is made before the load
starts when it does not exist, and kept for the next drill.
"""

from __future__ import annotations

import hashlib
import json
import time

from ...drills.probes import Probe
from ...openstack import client
from ...plan import Plan
from ...plan.model import Frontend
from ...secrets import SecretStore

# One download every ten seconds: Glance's single-tenant Swift store asks Keystone for a new
# token on every download (a password hash), so each costs Keystone as much as a login.
RATE = 0.1
# A download took 0.5-1 s on the idle lab and 5-8 s during a drill (the token, three HAProxy
# hops, two cores for everything); an image client waits far longer than this.
TIMEOUT_S = 30.0
IMAGE = "hastack-drill-image"
SIZE = 64 * 1024
ACTIVE_S = 60.0  # how long an upload may take to become an active image


def image_bytes() -> bytes:
    seed = hashlib.sha256(IMAGE.encode()).digest()
    return (seed * (SIZE // len(seed) + 1))[:SIZE]


class ImageDownloadProbe(Probe):
    """GET the drill image's data through the Glance VIP and compare its bytes."""

    kind = "http"

    def __init__(
        self, name: str, address: str, port: int, tokens: client.Tokens, rate: float
    ) -> None:
        super().__init__(name, f"http://{address}:{port}/v2/images", rate)
        self.api = client.Api(address, port, tokens, TIMEOUT_S)
        self.image = ""

    def _ensure_image(self) -> str:
        """The drill image's id: found by name, else created, uploaded and waited for."""
        found = json.loads(self.api.call("GET", f"/v2/images?name={IMAGE}", (200,)))["images"]
        md5 = hashlib.md5(image_bytes(), usedforsecurity=False).hexdigest()
        for image in found:
            if image["status"] == "active" and image.get("checksum") == md5:
                return str(image["id"])
        for stale in found:  # an upload that never finished, or other bytes
            self.api.call("DELETE", f"/v2/images/{stale['id']}", (204, 404))
        meta = {"name": IMAGE, "disk_format": "raw", "container_format": "bare"}
        image = json.loads(self.api.call("POST", "/v2/images", (201,), json.dumps(meta).encode()))
        path = f"/v2/images/{image['id']}"
        self.api.call("PUT", f"{path}/file", (204,), image_bytes(), "application/octet-stream")
        deadline = time.monotonic() + ACTIVE_S
        while json.loads(self.api.call("GET", path, (200,)))["status"] != "active":
            if time.monotonic() > deadline:
                raise RuntimeError(f"image {IMAGE} not active {ACTIVE_S:g} s after its upload")
            time.sleep(1.0)
        return str(image["id"])

    def prepare(self) -> None:
        self.image = self._ensure_image()

    def attempt(self) -> None:
        data = self.api.call("GET", f"/v2/images/{self.image}/file", (200,))
        if data != image_bytes():
            raise RuntimeError(f"image {IMAGE}: {len(data)} bytes differ from those uploaded")


def download_probes(plan: Plan, frontend: Frontend, secrets: SecretStore) -> list[Probe]:
    """One download stream on the frontend's first VIP."""
    first = str(frontend.vips[0])
    tokens = client.tokens(plan, frontend.application, secrets)
    name = f"{frontend.name} image download {first}"
    return [ImageDownloadProbe(name, first, frontend.port, tokens, RATE)]
