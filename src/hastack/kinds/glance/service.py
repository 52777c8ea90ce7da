"""What hastack does with Glance: the building block's API service, served by Debian's own
``glance-api.service`` (eventlet; Debian runs it without uwsgi) on every unit behind HAProxy -
its database and schema, its Keystone user and ``image`` endpoints, and its images in Swift:
one container of the ``service`` project, written with glance's own service user (the
single-tenant store), its credentials in ``/etc/glance/glance-swift.conf``."""

from __future__ import annotations

from ...openstack import config, daemon, identity, service
from . import KIND, probes, store

USER = "glance"
CONF = "/etc/glance/glance-api.conf"
PORT = KIND.api_ports[0]

# Debian's glance-api.service: `/etc/init.d/glance-api systemd-start` execs /usr/bin/glance-api
# --config-file=/etc/glance/glance-api.conf --log-file=/var/log/glance/glance-api.log
API = daemon.Daemon(
    "glance-api",
    USER,
    config=CONF,
    pattern="^/usr/bin/python3 /usr/bin/glance-api( |$)",
    serves=PORT,
    reads=(store.SWIFT_CONF,),
)

SPEC = service.ApiSpec(
    kind=KIND,
    user=USER,
    config=service.ConfigFile(CONF, "glance-api.conf.j2"),
    identity=identity.Identity(
        "glance",
        "glance-password",
        (identity.CatalogEntry("image", "glance", "Image Service", PORT),),
    ),
    apis=(),
    database=config.Database(
        "glance",
        "glance-db-password",
        ("glance-manage", "db", "sync"),
        # the metadata definitions Debian ships in /etc/glance/metadefs (Horizon and
        # Tempest read them through /v2/metadefs)
        seed=config.Seed("metadef_namespaces", ("glance-manage", "db", "load_metadefs")),
    ),
    daemons=(API,),
    files=(service.ConfigFile(store.SWIFT_CONF, "glance-swift.conf.j2"),),
    context=store.context,
)

SERVICE = service.api_service(SPEC, client_probes=probes.download_probes)
