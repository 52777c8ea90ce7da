"""A standard OpenStack API service kind from a few parameters: its ``Service``.

An ``ApiSpec`` names what is the kind's own - its system user, config files and templates,
database and schema command, Keystone identity, the APIs it serves under Apache, the
daemons it runs beside them (or that serve its API themselves, as glance-api does).
``api_service`` turns it into the kind's behaviour:

* render: the config files (shared sections from ``config``, the kind's own values from its
  ``context``) and one Apache instance per API;
* deploy: oslo.messaging checked for quorum queues; database, user and schema (once, on the
  leader); registration with Keystone; daemons and APIs started on every unit; HAProxy
  routing to every unit;
* reload: a changed file under the config directory restarts the Apache instances
  gracefully and the daemons whose config changed;
* health: every API answers on every unit (a daemon's API too), every daemon runs on every
  unit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from ..apply import apache
from ..apply.report import Report
from ..catalog import ServiceKind
from ..health.status import CheckResult
from ..hosts import Connector
from ..kinds.base import (
    ClientProbes,
    ClientsRecovered,
    Deployer,
    HealthCheck,
    Reloader,
    Renderer,
    Service,
    UnitProcess,
)
from ..kinds.galera.sql import live_member
from ..plan import Plan
from ..plan.model import FenceDevice
from ..render import jinja
from ..render.base import RenderedFile
from ..secrets import SecretStore
from . import api, daemon, messaging, wsgi
from .config import Database, ServiceConfig, service_config
from .database import ensure_database, ensure_schema, ensure_seed
from .identity import Identity, ensure_registered

START_TIMEOUT_S = 180  # loading an API's WSGI application on a busy two-core machine


@dataclasses.dataclass(frozen=True)
class ConfigFile:
    path: str  # "/etc/heat/heat.conf": mode 0640, owner root:<user>, secret
    template: str  # "heat.conf.j2": gets ``service`` (config.ServiceConfig), ``host`` and
    # whatever the kind's ``context`` adds


Context = Callable[[Plan, str, str, SecretStore], Mapping[str, object]]
"""A kind's own template values for (plan, application, host, secrets)."""


@dataclasses.dataclass(frozen=True)
class ApiSpec:
    kind: ServiceKind
    user: str  # the system user: owns the config, runs the WSGI processes and daemons
    config: ConfigFile
    identity: Identity
    apis: tuple[wsgi.WsgiApi, ...]
    database: Database | None = None
    messaging: bool = False  # RPC over RabbitMQ: transport_url with every broker
    cache: bool = False  # [cache] on every memcached
    daemons: tuple[daemon.Daemon, ...] = ()
    files: tuple[ConfigFile, ...] = ()  # more files rendered like ``config`` (glance-swift.conf)
    context: Context | None = None

    @property
    def serving(self) -> tuple[daemon.Daemon, ...]:
        """The daemons that serve an API themselves (no Apache in front)."""
        return tuple(d for d in self.daemons if d.serves is not None)


def members(plan: Plan, app: str, hosts: Mapping[str, Connector]) -> dict[str, Connector]:
    return {u.host: hosts[u.host] for u in plan.units_of(app)}


def config_of(spec: ApiSpec, plan: Plan, app: str, secrets: SecretStore) -> ServiceConfig:
    return service_config(
        plan,
        app,
        secrets,
        user=spec.identity.user,
        password_secret=spec.identity.secret,
        database=spec.database,
        messaging=spec.messaging,
        cache=spec.cache,
    )


def renderer(spec: ApiSpec) -> Renderer:
    def render(
        plan: Plan, host: str, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
    ) -> list[RenderedFile]:
        units = [u for u in plan.units_on(host) if u.kind == spec.kind.name]
        if not units:
            return []
        app = units[0].application
        service = config_of(spec, plan, app, secrets)
        own = spec.context(plan, app, host, secrets) if spec.context is not None else {}
        owner = f"root:{spec.user}"
        confs = [
            RenderedFile(
                each.path,
                jinja.render(each.template, "#", service=service, host=host, **own),
                mode=0o640,
                owner=owner,
                secret=True,
            )
            for each in (spec.config, *spec.files)
        ]
        return [*confs, *(wsgi.render_apache(plan, host, a) for a in spec.apis)]

    return render


def _starting(spec: ApiSpec, units: Mapping[str, Connector]) -> dict[str, Connector]:
    """The units where a daemon or an API of the kind is not running (about to start)."""

    def all_running(conn: Connector) -> bool:
        daemons = all(daemon.running(conn, d) for d in spec.daemons)
        return daemons and all(apache.running(conn, a.instance) for a in spec.apis)

    return {host: conn for host, conn in units.items() if not all_running(conn)}


def _prepare(
    spec: ApiSpec, plan: Plan, app: str, hosts: Mapping[str, Connector], secrets: SecretStore,
    report: Report,
) -> None:  # fmt: skip
    """Messaging check (on the units about to start a process: asking costs each ~1 s of
    CPU), database and schema, Keystone registration: side by side."""
    units = members(plan, app, hosts)
    leader = units[plan.leader(app).host]
    starting = _starting(spec, units) if spec.messaging else {}

    def database(db_spec: Database) -> None:
        db = live_member(plan, app, hosts)
        ensure_database(plan, db, db_spec.name, db_spec.secret, secrets, report)
        ensure_schema(db, leader, db_spec, spec.user, report)
        ensure_seed(db, leader, db_spec, spec.user, report)

    with ThreadPoolExecutor(max_workers=3) as pool:
        jobs: list[Future[None]] = []
        if starting:
            jobs.append(pool.submit(messaging.ensure_quorum_queues, starting, app, report))
        if spec.database is not None:
            jobs.append(pool.submit(database, spec.database))
        register = ensure_registered
        jobs.append(pool.submit(register, plan, app, hosts, spec.identity, secrets, report))
        for job in jobs:
            job.result()


def deployer(spec: ApiSpec) -> Deployer:
    def deploy(
        plan: Plan, app: str, hosts: Mapping[str, Connector], secrets: SecretStore,
        report: Report,
    ) -> None:  # fmt: skip
        units = members(plan, app, hosts)
        for each in spec.apis:  # before anything changes: the package is what we expect
            wsgi.check_script(units, each)
        _prepare(spec, plan, app, hosts, secrets, report)
        with ThreadPoolExecutor(max_workers=len(spec.apis) + len(spec.daemons)) as pool:
            jobs = [pool.submit(daemon.ensure_running, units, d, report) for d in spec.daemons]
            for a in spec.apis:
                urls = api.unit_urls(plan, app, port=a.port)
                start = apache.ensure_started
                jobs.append(pool.submit(start, units, a.instance, urls, report, START_TIMEOUT_S))
            for job in jobs:
                job.result()
        for served in spec.serving:
            urls = api.unit_urls(plan, app, port=served.serves)
            daemon.wait_serving(units, served, urls, report, START_TIMEOUT_S)
        apache.wait_haproxy_up(plan, app, hosts, report)

    return deploy


def reloader(spec: ApiSpec) -> Reloader:
    def reload(conn: Connector, changed: Sequence[str], report: Report) -> None:
        apache.reload_changed(conn, list(changed), tuple(a.instance for a in spec.apis), report)
        daemon.restart_changed(conn, list(changed), spec.daemons, report)

    return reload


def checker(spec: ApiSpec) -> HealthCheck:
    def check(plan: Plan, app: str, hosts: Mapping[str, Connector]) -> list[CheckResult]:
        apis = [(a.name, a.port) for a in spec.apis]
        apis += [(d.name, d.serves) for d in spec.serving if d.serves is not None]
        results = api.check_apis(plan, app, hosts, apis)
        for one in spec.daemons:
            results += daemon.check_running(plan, app, hosts, one)
        return results

    return check


def api_service(
    spec: ApiSpec,
    *,
    unit_process: UnitProcess | None = None,
    client_probes: ClientProbes | None = None,
    clients_recovered: ClientsRecovered | None = None,
) -> Service:
    """The kind's ``Service``; a drill kills *unit_process* (the first API's Apache, else
    the first daemon, when not given)."""
    if unit_process is None and spec.apis:
        first = spec.apis[0].instance
        unit_process = UnitProcess(first.pattern, f"{first.service} (apache2)")
    elif unit_process is None:
        unit_process = UnitProcess(spec.daemons[0].pattern, spec.daemons[0].name)
    return Service(
        spec.kind,
        render=renderer(spec),
        deploy=deployer(spec),
        reload=reloader(spec),
        health=checker(spec),
        unit_process=unit_process,
        client_probes=client_probes,
        clients_recovered=clients_recovered,
    )
