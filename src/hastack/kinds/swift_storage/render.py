"""A storage zone's files: the account, container and object servers' configs (their
replicators, auditors, updaters and the account reaper read the same files), the rsync
daemon's modules the replicators push to, and the ``swift.conf`` every Swift host shares."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from ...plan.model import FenceDevice, Plan
from ...render import jinja
from ...render.base import RenderedFile
from ...secrets import SecretStore
from ..swift_proxy import rings
from ..swift_proxy.render import swift_conf
from . import ACCOUNT_PORT, CONTAINER_PORT, KIND, OBJECT_PORT

RSYNCD_CONF = "/etc/rsyncd.conf"
RECON_CACHE = "/var/cache/swift"  # the units' CacheDirectory=swift
WORKERS = 1
RSYNC_CONNECTIONS = 4


@dataclasses.dataclass(frozen=True)
class Server:
    name: str  # "object"
    port: int
    daemons: tuple[str, ...]  # its background daemons: swift-<name>-<daemon>.service

    @property
    def conf(self) -> str:
        return f"/etc/swift/{self.name}-server.conf"

    @property
    def units(self) -> tuple[str, ...]:
        return (
            f"swift-{self.name}.service",
            *(f"swift-{self.name}-{d}.service" for d in self.daemons),
        )


SERVERS = (
    Server("account", ACCOUNT_PORT, ("auditor", "reaper", "replicator")),
    Server("container", CONTAINER_PORT, ("auditor", "replicator", "updater")),
    Server("object", OBJECT_PORT, ("auditor", "replicator", "updater")),
)


def render(
    plan: Plan, host: str, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> list[RenderedFile]:
    if not any(u.kind == KIND.name for u in plan.units_on(host)):
        return []
    address = rings.storage_address(plan, host)
    files = [
        RenderedFile(
            server.conf,
            jinja.render(
                "swift-server.conf.j2",
                server=server.name,
                address=address,
                port=server.port,
                workers=WORKERS,
                devices=rings.DEVICES,
                recon_cache=RECON_CACHE,
                daemons=server.daemons,
            ),
            mode=0o644,
            owner="root:swift",
        )
        for server in SERVERS
    ]
    rsyncd = jinja.render(
        "rsyncd.conf.j2",
        address=address,
        modules=[s.name for s in SERVERS],
        devices=rings.DEVICES,
        max_connections=RSYNC_CONNECTIONS,
    )
    files.append(RenderedFile(RSYNCD_CONF, rsyncd, mode=0o644, owner="root"))
    return [*files, swift_conf(secrets)]
