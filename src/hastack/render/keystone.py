"""Keystone: keystone.conf (database through the Galera VIP, memcached, fernet) and its own
Apache instance serving it on the unit port behind HAProxy; the catalog's endpoint URLs."""

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
APACHE_CONF = "/etc/keystone/apache2.conf"
FERNET_KEYS = "/etc/keystone/fernet-keys"
CREDENTIAL_KEYS = "/etc/keystone/credential-keys"
MAX_ACTIVE_KEYS = 3  # primary + one secondary + the staged key
APACHE_MODULES = ("mpm_event", "authz_core", "wsgi")
DEFAULT_REGION = "RegionOne"
MEMCACHE_DEAD_RETRY_S = 30  # a memcached node marked dead is tried again after this


def database_host(plan: Plan, application: str) -> ipaddress.IPv4Address:
    """The management VIP of the related Galera application (its leader's address without)."""
    galera = related(plan, application, "galera")
    if not galera:
        raise RenderError(
            f"{application} needs a database but is related to no Galera application; "
            f"relate it to one (e.g. [{application}, mysql])"
        )
    return vip_address(plan, galera[0], NetworkRole.MANAGEMENT) or placement.management(
        plan.host(plan.leader(galera[0]).host)
    )


def vip_address(plan: Plan, application: str, role: NetworkRole) -> ipaddress.IPv4Address | None:
    for cluster in plan.clusters:
        for vip in cluster.vips:
            if vip.application == application and vip.role is role:
                return vip.address
    return None


def memcache_servers(plan: Plan, application: str) -> list[str]:
    apps = related(plan, application, "memcached") or plan.applications_of_kind("memcached")
    hosts = placement.ordered(plan, {u.host for a in apps for u in plan.units_of(a)})
    addresses = sorted(placement.management(h) for h in hosts)
    return [f"{a}:{MEMCACHED_PORT}" for a in addresses]


def related(plan: Plan, application: str, kind: str) -> tuple[str, ...]:
    found = plan.topology.related(application)
    return tuple(a for a in found if plan.kinds.get(a) == kind)


def region(plan: Plan, application: str) -> str:
    return plan.topology.applications[application].option_str("region") or DEFAULT_REGION


def endpoints(plan: Plan, application: str) -> dict[str, str]:
    """Catalog URLs: public on the external VIP, internal and admin on the management VIP.

    Without a VIP on a network the leader's address on it stands in (a bundle without
    hacluster still gets a working catalog).
    """
    port = catalog.by_name("keystone").api_ports[0].port
    leader = plan.host(plan.leader(application).host)

    def url(role: NetworkRole) -> str:
        address = vip_address(plan, application, role)
        if address is None:
            try:
                address = leader.address(role)
            except KeyError:
                address = leader.address(NetworkRole.MANAGEMENT)
        return f"http://{address}:{port}/v3"

    return {
        "public": url(NetworkRole.EXTERNAL),
        "internal": url(NetworkRole.MANAGEMENT),
        "admin": url(NetworkRole.MANAGEMENT),
    }


def unit_port() -> int:
    return catalog.by_name("keystone").api_ports[0].unit_port


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
        memcache_timeout_s=plan.profile.memcache_timeout_s,
        memcache_dead_retry_s=MEMCACHE_DEAD_RETRY_S,
        fernet_keys=FERNET_KEYS,
        credential_keys=CREDENTIAL_KEYS,
        max_active_keys=MAX_ACTIVE_KEYS,
    )
    apache = jinja.render(
        "keystone-apache.conf.j2",
        service="keystone",
        conf=APACHE_CONF,
        server_name=host,
        modules=APACHE_MODULES,
        address=placement.management(plan.host(host)),
        port=unit_port(),
    )
    return [
        RenderedFile(CONF, conf, mode=0o640, owner="root:keystone", secret=True),
        RenderedFile(APACHE_CONF, apache, mode=0o644, owner="root"),
    ]
