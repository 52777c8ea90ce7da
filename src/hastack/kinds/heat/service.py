"""What hastack does with Heat: the building block's API service with two APIs and an
engine - its database and schema, its Keystone user with the ``orchestration`` and
``cloudformation`` endpoints, heat-api and heat-api-cfn under Apache and heat-engine on
every unit (Debian's heat-engine.service). A drill kills a unit's heat-engine: the others
take the RPC work, and systemd starts it again."""

from __future__ import annotations

from ...openstack import config, daemon, identity, service, wsgi
from ..base import UnitProcess
from . import KIND, clients

USER = "heat"
CONF = "/etc/heat/heat.conf"
API, CFN = KIND.api_ports

# Debian's heat-engine.service: `/etc/init.d/heat-engine systemd-start` execs
# /usr/bin/heat-engine --config-file=/etc/heat/heat.conf --log-file=/var/log/heat/heat-engine.log
ENGINE = daemon.Daemon(
    "heat-engine", USER, config=CONF, pattern="^/usr/bin/python3 /usr/bin/heat-engine( |$)"
)

SPEC = service.ApiSpec(
    kind=KIND,
    user=USER,
    config=service.ConfigFile(CONF, "heat.conf.j2"),
    identity=identity.Identity(
        "heat",
        "heat-password",
        (
            identity.CatalogEntry(
                "orchestration", "heat", "Orchestration", API, "/v1/%(tenant_id)s"
            ),
            identity.CatalogEntry("cloudformation", "heat-cfn", "CloudFormation", CFN, "/v1"),
        ),
    ),
    apis=(
        wsgi.WsgiApi("heat-api", "/usr/bin/heat-wsgi-api", USER, "/etc/heat", API),
        wsgi.WsgiApi("heat-api-cfn", "/usr/bin/heat-wsgi-api-cfn", USER, "/etc/heat", CFN),
    ),
    database=config.Database("heat", "heat-db-password", ("heat-manage", "db_sync")),
    messaging=True,
    cache=True,
    daemons=(ENGINE,),
)

SERVICE = service.api_service(
    SPEC,
    unit_process=UnitProcess(ENGINE.pattern, "heat-engine"),
    clients_recovered=clients.stack_completes,
)
