"""haproxy.cfg: the stats page and one ``listen`` section per planned frontend."""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Mapping

from ..facts.haproxy import STATS_SOCKET as STATS_SOCKET
from ..plan.model import Backend, FenceDevice, Frontend, Plan
from ..secrets import SecretStore
from . import jinja, placement
from .base import RenderedFile

PATH = "/etc/haproxy/haproxy.cfg"
STATS_PORT = 8404
MAXCONN = 4096


@dataclasses.dataclass(frozen=True)
class Section:
    name: str
    port: int
    mode: str
    galera: bool
    health_path: str | None
    vips: tuple[ipaddress.IPv4Address, ...]
    backends: tuple[Backend, ...]
    check_timeout_ms: int | None  # the kind's own, when its check is slower than the profile's
    resendable_posts: tuple[str, ...]


def _section(frontend: Frontend) -> Section:
    return Section(
        name=frontend.name,
        port=frontend.port,
        mode=frontend.mode,
        galera=frontend.single_writer,
        health_path=frontend.health_path,
        vips=tuple(sorted(frontend.vips)),
        # the planner's order (unit 0 first) decides the Galera writer; keep it
        backends=frontend.backends,
        check_timeout_ms=frontend.check_timeout_ms,
        resendable_posts=frontend.resendable_posts,
    )


def render(
    plan: Plan, host: str, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> list[RenderedFile]:
    cluster = plan.cluster_of(host)
    if cluster is None:
        return []
    profile = plan.profile
    text = jinja.render(
        "haproxy.cfg.j2",
        maxconn=MAXCONN,
        connect_ms=profile.haproxy_connect_timeout_ms,
        check_timeout_ms=max(profile.haproxy_connect_timeout_ms, profile.haproxy_inter_ms),
        stats_address=placement.management(plan.host(host)),
        stats_port=STATS_PORT,
        stats_password=secrets.get("haproxy-stats-password").reveal(),
        frontends=sorted((_section(fe) for fe in cluster.frontends), key=lambda s: s.name),
        inter=profile.haproxy_inter_ms,
        fall=profile.haproxy_fall,
        rise=profile.haproxy_rise,
    )
    return [RenderedFile(PATH, text, mode=0o640, owner="root:haproxy", secret=True)]
