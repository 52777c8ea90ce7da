"""swift-proxy's files: ``/etc/swift/proxy-server.conf`` (its unit port on the management
address, Keystone's authtoken + keystoneauth, every memcached) and ``/etc/swift/swift.conf``,
which every Swift host shares (the storage kind renders the same file)."""

from __future__ import annotations

from collections.abc import Mapping

from ...openstack import config
from ...plan import queries
from ...plan.model import FenceDevice, Plan
from ...render import jinja, placement
from ...render.base import RenderedFile
from ...secrets import SecretStore
from . import KIND

PROXY_CONF = "/etc/swift/proxy-server.conf"
SWIFT_CONF = "/etc/swift/swift.conf"
USER = "swift"
PASSWORD = "swift-password"
SUFFIX, PREFIX = "swift-hash-path-suffix", "swift-hash-path-prefix"
OPERATOR_ROLES = ("admin", "member")
RESELLER_ADMIN_ROLE = "ResellerAdmin"  # may act on every account (set account quotas)
WORKERS = 1  # two cores: one worker process (the parent restarts it)
PORT = KIND.api_ports[0]


def swift_conf(secrets: SecretStore) -> RenderedFile:
    """The hash path suffix and prefix and the storage policy: one file for every host."""
    text = jinja.render(
        "swift.conf.j2",
        suffix=secrets.get(SUFFIX).reveal(),
        prefix=secrets.get(PREFIX).reveal(),
    )
    return RenderedFile(SWIFT_CONF, text, mode=0o640, owner=f"root:{USER}", secret=True)


def render(
    plan: Plan, host: str, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> list[RenderedFile]:
    units = [u for u in plan.units_on(host) if u.kind == KIND.name]
    if not units:
        return []
    app = units[0].application
    service = config.service_config(plan, app, secrets, user=USER, password_secret=PASSWORD)
    text = jinja.render(
        "proxy-server.conf.j2",
        address=placement.management(plan.host(host)),
        port=PORT.unit_port,
        public_port=PORT.port,
        workers=WORKERS,
        auth=service.auth,
        operator_roles=OPERATOR_ROLES,
        reseller_admin_role=RESELLER_ADMIN_ROLE,
        memcache_servers=queries.unit_addresses(plan, app, "memcached"),
    )
    proxy = RenderedFile(PROXY_CONF, text, mode=0o640, owner=f"root:{USER}", secret=True)
    return [proxy, swift_conf(secrets)]
