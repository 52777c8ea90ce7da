"""/etc/memcached.conf in Debian's format: listen on the management address."""

from __future__ import annotations

from collections.abc import Mapping

from ..plan.model import FenceDevice, Plan
from ..secrets import SecretStore
from . import jinja, placement
from .base import RenderedFile

PATH = "/etc/memcached.conf"
PORT = 11211


def render(
    plan: Plan, host: str, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> list[RenderedFile]:
    if not placement.runs(plan, host, "memcached"):
        return []
    text = jinja.render(
        "memcached.conf.j2",
        memory_mb=64,
        port=PORT,
        address=placement.management(plan.host(host)),
        max_connections=1024,
    )
    return [RenderedFile(PATH, text, mode=0o644, owner="root")]
