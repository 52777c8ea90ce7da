"""What hastack does with Horizon: render, Apache on every unit, graceful restart on change,
unit health (the login page)."""

from __future__ import annotations

from ...openstack import api
from ..base import Service, UnitProcess
from . import KIND, deploy, render

SERVICE = Service(
    KIND,
    render=render.render,
    deploy=deploy.ensure,
    reload=api.reload_instance(deploy.INSTANCE),
    health=api.check_units,
    unit_process=UnitProcess(deploy.INSTANCE.pattern, "horizon (apache2)"),
)
