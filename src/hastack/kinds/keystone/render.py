"""Keystone: keystone.conf (database through the Galera VIP, memcached, fernet) and its own
Apache instance serving it on the unit port behind HAProxy; the catalog's endpoint URLs."""

from __future__ import annotations

from collections.abc import Mapping

from ...apply import apache
from ...openstack import config
from ...plan import queries
from ...plan.model import FenceDevice, Plan
from ...render import jinja, placement
from ...render.base import RenderedFile
from ...secrets import SecretStore
from . import KIND

CONF = "/etc/keystone/keystone.conf"
INSTANCE = "keystone"  # apache2@keystone.service
APACHE_CONF = apache.conf_path(INSTANCE)
FERNET_KEYS = "/etc/keystone/fernet-keys"
CREDENTIAL_KEYS = "/etc/keystone/credential-keys"
MAX_ACTIVE_KEYS = 3  # primary + one secondary + the staged key
APACHE_MODULES = ("mpm_event", "authz_core", "wsgi")
DATABASE = config.Database("keystone", "keystone-db-password", ("keystone-manage", "db_sync"))
MEMCACHE_DEAD_RETRY_S = 30  # a memcached node marked dead is tried again after this


def endpoints(plan: Plan, application: str) -> dict[str, str]:
    """Keystone's catalog URLs: public on the external VIP, internal and admin on the
    management VIP (the leader's addresses without them)."""
    return queries.endpoints(plan, application, "/v3")


def unit_port() -> int:
    return KIND.api_ports[0].unit_port


def render(
    plan: Plan, host: str, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> list[RenderedFile]:
    units = [u for u in plan.units_on(host) if u.kind == KIND.name]
    if not units:
        return []
    application = units[0].application
    conf = jinja.render(
        "keystone.conf.j2",
        database=config.database_section(plan, application, DATABASE, secrets),
        memcache_servers=queries.unit_addresses(plan, application, "memcached"),
        memcache_timeout_s=plan.profile.memcache_timeout_s,
        memcache_dead_retry_s=MEMCACHE_DEAD_RETRY_S,
        fernet_keys=FERNET_KEYS,
        credential_keys=CREDENTIAL_KEYS,
        max_active_keys=MAX_ACTIVE_KEYS,
    )
    apache = jinja.render(
        "keystone-apache.conf.j2",
        service=INSTANCE,
        server_name=host,
        modules=APACHE_MODULES,
        address=placement.management(plan.host(host)),
        port=unit_port(),
    )
    return [
        RenderedFile(CONF, conf, mode=0o640, owner="root:keystone", secret=True),
        RenderedFile(APACHE_CONF, apache, mode=0o644, owner="root"),
    ]
