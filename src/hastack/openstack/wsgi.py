"""An OpenStack API in its own Apache instance with mod_wsgi, on the unit port behind HAProxy.

What Keystone and Horizon do by hand, as data: the WSGI script Debian ships, the system
user its one daemon process runs as, the API port it serves. Each API gets its own
instance (own config, PID file and logs), so stopping one leaves the node's others alone.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Mapping

from ..apply import apache
from ..catalog.base import ApiPort
from ..errors import DeployError
from ..hosts import Connector
from ..plan.model import Plan
from ..render import jinja, placement
from ..render.base import RenderedFile

MODULES = ("mpm_event", "authz_core", "wsgi")
PROCESSES = 1  # two cores: one WSGI process per API
THREADS = 8


@dataclasses.dataclass(frozen=True)
class WsgiApi:
    """One API of a service kind, served by its own Apache instance."""

    name: str  # "placement-api", "heat-api-cfn": names the instance, its logs, its process
    script: str  # the WSGI script: "/usr/bin/placement-api"
    user: str  # the system user its WSGI process runs as
    config_dir: str  # "/etc/placement": a changed file under it restarts the instance
    port: ApiPort  # the kind's API port it serves (the unit listens on its unit port)

    @property
    def conf(self) -> str:
        return apache.conf_path(self.name)

    @property
    def instance(self) -> apache.Instance:
        return apache.Instance(self.name, self.config_dir)


def render_apache(plan: Plan, host: str, api: WsgiApi) -> RenderedFile:
    """The instance's apache2.conf: Listen on *host*'s management address, unit port."""
    text = jinja.render(
        "openstack-api-apache.conf.j2",
        service=api.name,
        server_name=host,
        modules=MODULES,
        address=placement.management(plan.host(host)),
        port=api.port.unit_port,
        processes=PROCESSES,
        threads=THREADS,
        user=api.user,
        script=api.script,
        script_dir=posixpath.dirname(api.script),
        script_name=posixpath.basename(api.script),
    )
    return RenderedFile(api.conf, text, mode=0o644, owner="root")


def check_script(members: Mapping[str, Connector], api: WsgiApi) -> None:
    """The WSGI script is where the package put it on every unit: Apache would otherwise
    start, answer 404 and pass for alive."""
    missing = sorted(
        h for h, conn in members.items() if not conn.run(["test", "-f", api.script]).ok
    )
    if missing:
        raise DeployError(
            f"{api.name}: {api.script} is missing on {', '.join(missing)}; the installed "
            f"package ships its WSGI script elsewhere or not at all (`dpkg -S {api.script}`)"
        )
