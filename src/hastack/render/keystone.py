"""Keystone: keystone.conf (database through the Galera VIP, memcached, fernet) and the
Apache vhost serving it on the unit port behind HAProxy."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from .. import catalog
from ..errors import RenderError
from ..plan.model import FenceDevice, Plan
from ..secrets import SecretStore
from ..topology import NetworkRole
from . import jinja, placement
from .base import RenderedFile
from .memcached import PORT as MEMCACHED_PORT

CONF = "/etc/keystone/keystone.conf"
VHOST = "/etc/apache2/sites-available/hastack-keystone.conf"


def database_host(plan: Plan, application: str) -> ipaddress.IPv4Address:
    """The management VIP of the related Galera application (its leader's address without)."""
    galera = _related(plan, application, "galera")
    if not galera:
        raise RenderError(
            f"{application} needs a database but is related to no Galera application; "
            f"relate it to one (e.g. [{application}, mysql])"
        )
    for cluster in plan.clusters:
        for vip in cluster.vips:
            if vip.application == galera[0] and vip.role is NetworkRole.MANAGEMENT:
                return vip.address
    return placement.management(plan.host(plan.leader(galera[0]).host))


def memcache_servers(plan: Plan, application: str) -> list[str]:
    apps = _related(plan, application, "memcached") or plan.applications_of_kind("memcached")
    hosts = placement.ordered(plan, {u.host for a in apps for u in plan.units_of(a)})
    addresses = sorted(placement.management(h) for h in hosts)
    return [f"{a}:{MEMCACHED_PORT}" for a in addresses]


def _related(plan: Plan, application: str, kind: str) -> tuple[str, ...]:
    related = plan.topology.related(application)
    return tuple(a for a in related if plan.kinds.get(a) == kind)


def render(
    plan: Plan, host: str, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> list[RenderedFile]:
    units = [u for u in plan.units_on(host) if u.kind == "keystone"]
    if not units:
        return []
    application = units[0].application
    conf = jinja.render(
        "keystone.conf.j2",
        db_password=secrets.get("keystone-db-password").reveal(),
        db_host=database_host(plan, application),
        memcache_servers=memcache_servers(plan, application),
    )
    vhost = jinja.render(
        "keystone-vhost.conf.j2",
        address=placement.management(plan.host(host)),
        port=catalog.by_name("keystone").api_ports[0].unit_port,
    )
    return [
        RenderedFile(CONF, conf, mode=0o640, owner="root:keystone", secret=True),
        RenderedFile(VHOST, vhost, mode=0o644, owner="root"),
    ]
