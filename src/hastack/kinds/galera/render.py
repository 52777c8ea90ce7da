"""The Galera settings for MariaDB: one .cnf next to Debian's own files."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from ...plan.model import FenceDevice, Plan
from ...render import jinja, placement
from ...render.base import RenderedFile
from ...secrets import SecretStore

PATH = "/etc/mysql/mariadb.conf.d/60-hastack-galera.cnf"
MAX_CONNECTIONS = 300


def iso_seconds(seconds: float) -> str:
    return f"PT{seconds:g}S"


def keepalive(suspect_s: int) -> float:
    """evs.keepalive_period must stay below a third of evs.suspect_timeout (Galera checks)."""
    return min(1.0, suspect_s / 4)


def render(
    plan: Plan, host: str, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> list[RenderedFile]:
    units = [u for u in plan.units_on(host) if u.kind == "galera"]
    if not units:
        return []
    application = units[0].application
    members = placement.application_hosts(plan, application)
    addresses: list[ipaddress.IPv4Address] = sorted(placement.management(h) for h in members)
    text = jinja.render(
        "galera.cnf.j2",
        host=host,
        address=placement.management(plan.host(host)),
        cluster_name=application,
        members=addresses,
        max_connections=MAX_CONNECTIONS,
        suspect=iso_seconds(plan.profile.galera_suspect_s),
        inactive=iso_seconds(plan.profile.galera_inactive_s),
        keepalive=iso_seconds(keepalive(plan.profile.galera_suspect_s)),
    )
    return [RenderedFile(PATH, text, mode=0o644, owner="root")]
