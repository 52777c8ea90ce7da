"""Where Glance keeps images: Swift through the related swift-proxy's internal endpoint, in one
container of the ``service`` project (the single-tenant store), as glance's own service user.

Glance's multi-store configuration names one backend, ``swift``; its credentials go into the
reference file glance_store reads (``swift_store_config_file``), never into the main file.
Each unit also names its own URL (``worker_self_reference_url``), so an image staged on one
unit by an interoperable import is imported by that unit whichever unit the request reached.
Pure: plan in, template values out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from ...openstack import config
from ...plan import Plan, queries
from ...render import placement
from ...secrets import SecretStore
from . import KIND

SWIFT_CONF = "/etc/glance/glance-swift.conf"
BACKEND = "swift"  # the backend's name, and its section in glance-api.conf
REFERENCE = "hastack"  # the credentials' section in glance-swift.conf
CONTAINER = "glance"
PASSWORD = "glance-password"


@dataclasses.dataclass(frozen=True)
class SwiftStore:
    backend: str
    reference: str
    config_file: str
    container: str
    region: str
    auth_address: str  # Keystone's internal endpoint, v3
    user: str  # "service:glance": project:user
    key: str  # glance's password
    domain: str  # "default" (the id)


def swift_store(plan: Plan, app: str, secrets: SecretStore) -> SwiftStore:
    proxy = queries.one_related(plan, app, "swift-proxy", "an object store for its images")
    keystone = config.keystone_app(plan, proxy)
    return SwiftStore(
        backend=BACKEND,
        reference=REFERENCE,
        config_file=SWIFT_CONF,
        container=CONTAINER,
        region=queries.region(plan, keystone),
        auth_address=config.keystone_internal(plan, app) + "/v3",
        user=f"{config.SERVICE_PROJECT}:glance",
        key=secrets.get(PASSWORD).reveal(),
        domain="default",
    )


def context(plan: Plan, app: str, host: str, secrets: SecretStore) -> Mapping[str, object]:
    """glance-api.conf's own values: where this unit listens, and the store."""
    address = placement.management(plan.host(host))
    port = KIND.api_ports[0].unit_port
    return {
        "address": address,
        "port": port,
        "self_url": f"http://{address}:{port}",
        "store": swift_store(plan, app, secrets),
    }
