"""Horizon (openstack-dashboard): its settings (Keystone on the VIP, sessions in memcached)
and its own Apache instance on the unit port behind HAProxy."""

from __future__ import annotations

from collections.abc import Mapping

from ...apply import apache
from ...plan import queries
from ...plan.model import FenceDevice, Plan
from ...render import jinja
from ...render.base import RenderedFile
from ...secrets import SecretStore
from ...topology import NetworkRole
from ..keystone import render as render_keystone
from . import KIND

SETTINGS = "/etc/openstack-dashboard/local_settings.py"
CACHE_SETTINGS = "/etc/openstack-dashboard/local_settings.d/_90_hastack.py"
CONFIG_DIR = "/etc/openstack-dashboard"
INSTANCE = "horizon"  # apache2@horizon.service
APACHE_CONF = apache.conf_path(INSTANCE)
APACHE_MODULES = ("mpm_event", "authz_core", "alias", "mime", "wsgi")


def unit_port() -> int:
    return KIND.api_ports[0].unit_port


def keystone_url(plan: Plan, application: str) -> str:
    """Keystone's internal endpoint: the management VIP of the related Keystone."""
    keystone = queries.one_related(plan, application, "keystone", "Keystone to sign users in")
    return render_keystone.endpoints(plan, keystone)["internal"]


def render(
    plan: Plan, host: str, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> list[RenderedFile]:
    units = [u for u in plan.units_on(host) if u.kind == KIND.name]
    if not units:
        return []
    application = units[0].application
    url = keystone_url(plan, application)
    settings = jinja.render(
        "horizon-local_settings.py.j2",
        secret_key=secrets.get("horizon-secret-key").reveal(),
        keystone_host=url.split("//", 1)[1].split(":", 1)[0],
        keystone_url=url,
    )
    cache = jinja.render(
        "horizon-cache.py.j2",
        memcache_servers=queries.unit_addresses(plan, application, "memcached"),
        timeout_s=plan.profile.memcache_timeout_s,
        dead_retry_s=render_keystone.MEMCACHE_DEAD_RETRY_S,
    )
    apache = jinja.render(
        "horizon-apache.conf.j2",
        service=INSTANCE,
        server_name=host,
        modules=APACHE_MODULES,
        address=plan.host(host).address(NetworkRole.MANAGEMENT),
        port=unit_port(),
    )
    return [
        RenderedFile(SETTINGS, settings, mode=0o640, owner="root:www-data", secret=True),
        RenderedFile(CACHE_SETTINGS, cache, mode=0o644, owner="root"),
        RenderedFile(APACHE_CONF, apache, mode=0o644, owner="root"),
    ]
