"""The config sections every OpenStack service shares, as one typed context for its template.

``[database]`` through the Galera VIP, ``[keystone_authtoken]`` on Keystone's internal
endpoint with the service's own user and every memcached as its token cache,
``transport_url`` listing every RabbitMQ broker with quorum queues on, ``[cache]`` on every
memcached. A kind's template imports ``openstack-sections.conf.j2`` and calls the macros for
the sections it uses; this module answers where everything is. Pure: plan in, context out.

Passwords end up in the rendered file, so a file rendered from this context is secret.
"""

from __future__ import annotations

import dataclasses
import urllib.parse

from ..kinds.rabbitmq.deploy import USER as RABBIT_USER
from ..plan import Plan, queries
from ..secrets import SecretStore

RABBIT_SECRET = "rabbitmq-password"  # the password of the user kinds/rabbitmq creates
MEMCACHE_DEAD_RETRY_S = 30  # a memcached node marked dead is tried again after this
SERVICE_PROJECT = "service"  # the project every service user has the admin role on
SERVICE_DOMAIN = "Default"


@dataclasses.dataclass(frozen=True)
class Seed:
    """Rows a service ships for its own database, loaded by its own command (run as the
    service user on the leader) while *table* is empty: Glance's metadata definitions."""

    table: str  # "metadef_namespaces"
    load: tuple[str, ...]  # "glance-manage", "db", "load_metadefs"


@dataclasses.dataclass(frozen=True)
class Database:
    """A service's own database on Galera: name = user name, password from *secret*."""

    name: str  # "heat"
    secret: str  # "heat-db-password"
    sync: tuple[str, ...]  # the schema command, run once as the service user: heat-manage db_sync
    section: str = "database"  # placement reads [placement_database]
    seed: Seed | None = None


@dataclasses.dataclass(frozen=True)
class DatabaseSection:
    section: str
    connection: str


@dataclasses.dataclass(frozen=True)
class AuthSection:
    """``[keystone_authtoken]``: Keystone's internal endpoint and the service's own user."""

    auth_url: str  # unversioned: keystoneauth discovers v3
    region: str
    username: str
    password: str
    project: str
    domain: str
    memcached_servers: tuple[str, ...]
    memcache_timeout_s: float
    memcache_dead_retry_s: int


@dataclasses.dataclass(frozen=True)
class MessagingSection:
    """``transport_url`` with every broker; quorum queues so a broker's loss loses nothing."""

    transport_url: str
    brokers: tuple[str, ...]  # "198.18.0.11:5672", in the plan's host order
    quorum_queues: bool = True


@dataclasses.dataclass(frozen=True)
class CacheSection:
    servers: tuple[str, ...]
    timeout_s: float
    dead_retry_s: int


@dataclasses.dataclass(frozen=True)
class ServiceConfig:
    """What a service's template needs from the rest of the cloud; ``None``: not used."""

    database: DatabaseSection | None
    auth: AuthSection
    messaging: MessagingSection | None
    cache: CacheSection | None
    keystone_internal: str  # Keystone's internal endpoint, unversioned
    region: str
    workers: int = 1  # two cores: one worker per API and engine


def keystone_app(plan: Plan, app: str) -> str:
    """The Keystone application *app* authenticates against and registers with."""
    return queries.one_related(plan, app, "keystone", "Keystone to authenticate its users")


def keystone_internal(plan: Plan, app: str) -> str:
    """Keystone's internal endpoint (management VIP), without a version path."""
    return queries.endpoints(plan, keystone_app(plan, app))["internal"]


def database_section(plan: Plan, app: str, db: Database, secrets: SecretStore) -> DatabaseSection:
    password = urllib.parse.quote(secrets.get(db.secret).reveal(), safe="")
    host = queries.database_host(plan, app)
    return DatabaseSection(db.section, f"mysql+pymysql://{db.name}:{password}@{host}/{db.name}")


def transport_url(user: str, password: str, brokers: tuple[str, ...]) -> str:
    """oslo.messaging's URL listing every broker (the client fails over between them)."""
    quoted = urllib.parse.quote(user, safe=""), urllib.parse.quote(password, safe="")
    hosts = ",".join(f"{quoted[0]}:{quoted[1]}@{broker}" for broker in brokers)
    return f"rabbit://{hosts}/"


def messaging_section(plan: Plan, app: str, secrets: SecretStore) -> MessagingSection:
    queries.one_related(plan, app, "rabbitmq", "a message broker for its RPC")
    brokers = tuple(queries.unit_addresses(plan, app, "rabbitmq"))
    url = transport_url(RABBIT_USER, secrets.get(RABBIT_SECRET).reveal(), brokers)
    return MessagingSection(url, brokers)


def service_config(
    plan: Plan,
    app: str,
    secrets: SecretStore,
    *,
    user: str,
    password_secret: str,
    database: Database | None = None,
    messaging: bool = False,
    cache: bool = False,
) -> ServiceConfig:
    """The shared sections of *app*'s config: its service *user* (password from
    *password_secret*), *database* when it has one, RabbitMQ and ``[cache]`` when asked."""
    memcached = tuple(queries.unit_addresses(plan, app, "memcached"))
    timeout = plan.profile.memcache_timeout_s
    region = queries.region(plan, keystone_app(plan, app))
    internal = keystone_internal(plan, app)
    auth = AuthSection(
        auth_url=internal,
        region=region,
        username=user,
        password=secrets.get(password_secret).reveal(),
        project=SERVICE_PROJECT,
        domain=SERVICE_DOMAIN,
        memcached_servers=memcached,
        memcache_timeout_s=timeout,
        memcache_dead_retry_s=MEMCACHE_DEAD_RETRY_S,
    )
    return ServiceConfig(
        database=database_section(plan, app, database, secrets) if database else None,
        auth=auth,
        messaging=messaging_section(plan, app, secrets) if messaging else None,
        cache=CacheSection(memcached, timeout, MEMCACHE_DEAD_RETRY_S) if cache else None,
        keystone_internal=internal,
        region=region,
    )
