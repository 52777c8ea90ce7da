"""RabbitMQ: rabbitmq.conf (classic peer discovery, pause_minority), env and cookie."""

from __future__ import annotations

from collections.abc import Mapping

from ...plan.model import FenceDevice, Plan
from ...render import jinja, placement
from ...render.base import RenderedFile
from ...secrets import SecretStore

CONF = "/etc/rabbitmq/rabbitmq.conf"
ENV = "/etc/rabbitmq/rabbitmq-env.conf"
COOKIE = "/var/lib/rabbitmq/.erlang.cookie"


def node_name(host: str) -> str:
    return f"rabbit@{host}"


def render(
    plan: Plan, host: str, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> list[RenderedFile]:
    if not placement.runs(plan, host, "rabbitmq"):
        return []
    peers = placement.kind_hosts(plan, "rabbitmq", host)
    conf = jinja.render(
        "rabbitmq.conf.j2",
        address=placement.management(plan.host(host)),
        net_ticktime=plan.profile.rabbit_net_ticktime_s,
        nodes=sorted(node_name(h.name) for h in peers),
    )
    env = jinja.render("rabbitmq-env.conf.j2", host=host)
    # the cookie file holds the cookie and nothing else
    cookie = secrets.get("erlang-cookie").reveal()
    return [
        RenderedFile(CONF, conf, mode=0o644, owner="root"),
        RenderedFile(ENV, env, mode=0o644, owner="root"),
        RenderedFile(COOKIE, cookie, mode=0o400, owner="rabbitmq:rabbitmq", secret=True),
    ]
