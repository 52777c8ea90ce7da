"""Horizon (openstack-dashboard): its settings (Keystone on the VIP, sessions in memcached)
and its own Apache instance on the unit port behind HAProxy."""

from __future__ import annotations

from collections.abc import Mapping

from .. import catalog
from ..errors import RenderError
from ..plan.model import FenceDevice, Plan
from ..secrets import SecretStore
from ..topology import NetworkRole
from . import jinja
from . import keystone as render_keystone
from .base import RenderedFile

KIND = "openstack-dashboard"
SETTINGS = "/etc/openstack-dashboard/local_settings.py"
CACHE_SETTINGS = "/etc/openstack-dashboard/local_settings.d/_90_hastack.py"
APACHE_CONF = "/etc/openstack-dashboard/apache2.conf"
APACHE_MODULES = ("mpm_event", "authz_core", "alias", "mime", "wsgi")


def unit_port() -> int:
    return catalog.by_name(KIND).api_ports[0].unit_port


def keystone_url(plan: Plan, application: str) -> str:
    """Keystone's internal endpoint: the management VIP of the related Keystone."""
    related = render_keystone.related(plan, application, "keystone")
    if not related:
        raise RenderError(
            f"{application} signs users in with Keystone but is related to no keystone "
            f"application; relate it to one (e.g. [{application}, keystone])"
        )
    return render_keystone.endpoints(plan, related[0])["internal"]


def render(
    plan: Plan, host: str, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> list[RenderedFile]:
    units = [u for u in plan.units_on(host) if u.kind == KIND]
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
        memcache_servers=render_keystone.memcache_servers(plan, application),
        timeout_s=plan.profile.memcache_timeout_s,
        dead_retry_s=render_keystone.MEMCACHE_DEAD_RETRY_S,
    )
    apache = jinja.render(
        "horizon-apache.conf.j2",
        service="horizon",
        conf=APACHE_CONF,
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
