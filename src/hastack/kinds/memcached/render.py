"""/etc/memcached.conf in Debian's format: listen on the management address."""

from __future__ import annotations

from collections.abc import Mapping

from ...plan.model import FenceDevice, Plan
from ...render import jinja, placement
from ...render.base import RenderedFile
from ...secrets import SecretStore
from . import KIND, PORT

PATH = "/etc/memcached.conf"


def render(
    plan: Plan, host: str, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> list[RenderedFile]:
    if not placement.runs(plan, host, KIND.name):
        return []
    text = jinja.render(
        "memcached.conf.j2",
        memory_mb=64,
        port=PORT,
        address=placement.management(plan.host(host)),
        max_connections=1024,
    )
    return [RenderedFile(PATH, text, mode=0o644, owner="root")]
