"""What hastack does with Keystone: render, database + keys + bootstrap + Apache on every
unit, graceful restart on change, unit health; a drill may kill a unit's Apache."""

from __future__ import annotations

from ...openstack import api
from ..base import Service, UnitProcess
from . import KIND, deploy, probes, render

SERVICE = Service(
    KIND,
    render=render.render,
    deploy=deploy.ensure,
    reload=api.reload_instance(deploy.INSTANCE),
    health=api.check_units,
    unit_process=UnitProcess(deploy.INSTANCE.pattern, "keystone (apache2)"),
    client_probes=probes.token_probes,
)
