"""What hastack does with Placement: the building block's API service - its database and
schema, its Keystone user and ``placement`` endpoints, placement-api under Apache on every
unit behind HAProxy."""

from __future__ import annotations

from ...openstack import config, identity, service, wsgi
from . import KIND

USER = "placement"
PORT = KIND.api_ports[0]

SPEC = service.ApiSpec(
    kind=KIND,
    user=USER,
    config=service.ConfigFile("/etc/placement/placement.conf", "placement.conf.j2"),
    identity=identity.Identity(
        "placement",
        "placement-password",
        (identity.CatalogEntry("placement", "placement", "Placement API", PORT),),
    ),
    apis=(wsgi.WsgiApi("placement-api", "/usr/bin/placement-api", USER, "/etc/placement", PORT),),
    database=config.Database(
        "placement",
        "placement-db-password",
        ("placement-manage", "db", "sync"),
        section="placement_database",
    ),
)

SERVICE = service.api_service(SPEC)
