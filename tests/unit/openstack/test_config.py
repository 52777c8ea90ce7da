"""The shared config sections: every broker and every memcached listed, quorum queues on,
the database through the DB VIP, Keystone's internal endpoint, secrets only in secret files."""

from __future__ import annotations

import configparser
import dataclasses

import pytest
from golden_cases import CASES, SECRETS, build, render_case, secrets

from hastack import plan
from hastack.errors import RenderError
from hastack.openstack import config
from hastack.topology import Topology

BROKERS = ["198.18.0.11:5672", "198.18.0.12:5672", "198.18.0.13:5672"]


def _conf(case: str, host: str, path: str) -> configparser.ConfigParser:
    text = next(f.text for f in render_case(case)[host] if f.path == path)
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.read_string(text)
    return parser


def _transport_url(*brokers: str) -> str:
    password = SECRETS["rabbitmq-password"]
    return "rabbit://" + ",".join(f"openstack:{password}@{b}" for b in brokers) + "/"


def test_heat_lists_every_broker_with_quorum_queues() -> None:
    conf = _conf("lab-core-fast", "ctl-2", "/etc/heat/heat.conf")
    assert conf["DEFAULT"]["transport_url"] == _transport_url(*BROKERS)
    assert conf["oslo_messaging_rabbit"]["rabbit_quorum_queue"] == "true"


def test_a_unit_lists_the_brokers_of_its_rabbitmq_not_its_own_hosts() -> None:
    # five machines: RabbitMQ on ctl-1..3, Heat and memcached on ctl-3..5
    conf = _conf("five-machines", "ctl-5", "/etc/heat/heat.conf")
    assert conf["DEFAULT"]["transport_url"] == _transport_url(*BROKERS)
    memcached = "198.18.0.13:11211,198.18.0.14:11211,198.18.0.15:11211"
    assert conf["keystone_authtoken"]["memcached_servers"] == memcached
    assert conf["cache"]["memcache_servers"] == memcached


@pytest.mark.parametrize(
    ("path", "user", "section"),
    [
        ("/etc/heat/heat.conf", "heat", "database"),
        ("/etc/placement/placement.conf", "placement", "placement_database"),
    ],
)
def test_database_on_the_vip_and_keystone_internal(path: str, user: str, section: str) -> None:
    conf = _conf("lab-core-fast", "ctl-1", path)
    password = SECRETS[f"{user}-db-password"]
    assert conf[section]["connection"] == (
        f"mysql+pymysql://{user}:{password}@198.18.0.100/{user}"
    )
    auth = conf["keystone_authtoken"]
    assert auth["auth_url"] == auth["www_authenticate_uri"] == "http://198.18.0.101:5000"
    assert (auth["username"], auth["password"]) == (user, SECRETS[f"{user}-password"])
    assert (auth["project_name"], auth["interface"]) == ("service", "internal")
    servers = "198.18.0.11:11211,198.18.0.12:11211,198.18.0.13:11211"
    assert auth["memcached_servers"] == servers


def test_profile_timeouts_reach_the_memcached_clients() -> None:
    fast = _conf("lab-core-fast", "ctl-1", "/etc/heat/heat.conf")
    reference = _conf("lab-core-reference", "ctl-1", "/etc/heat/heat.conf")
    assert fast["cache"]["memcache_socket_timeout"] == "0.5"
    assert reference["cache"]["memcache_socket_timeout"] == "3.0"
    # keystonemiddleware's timeout is an integer: the profile's, rounded up
    assert fast["keystone_authtoken"]["memcache_pool_socket_timeout"] == "1"
    assert reference["keystone_authtoken"]["memcache_pool_socket_timeout"] == "3"


def test_placement_has_no_messaging_and_no_cache_section() -> None:
    conf = _conf("lab-core-fast", "ctl-1", "/etc/placement/placement.conf")
    assert "transport_url" not in conf["DEFAULT"]
    assert not conf.has_section("oslo_messaging_rabbit")
    assert not conf.has_section("cache")


def test_service_configs_are_the_secret_files_and_apache_confs_hold_no_secret() -> None:
    for case in sorted(CASES):
        for host, files in render_case(case).items():
            for f in files:
                if f.path.startswith(("/etc/heat/", "/etc/placement/")):
                    holds = [name for name, value in SECRETS.items() if value in f.text]
                    if f.path.endswith(("heat.conf", "placement.conf")):
                        assert f.secret and (f.mode, f.owner[:5]) == (0o640, "root:")
                        assert holds, f"{host}:{f.path} holds no password?"
                    else:
                        assert holds == [] and not f.secret, f"{host}:{f.path}: {holds}"


def test_transport_url_quotes_what_a_url_cannot_carry() -> None:
    url = config.transport_url("open stack", "p@ss:w/rd", ("10.0.0.1:5672", "10.0.0.2:5672"))
    assert url == (
        "rabbit://open%20stack:p%40ss%3Aw%2Frd@10.0.0.1:5672,open%20stack:p%40ss%3Aw%2Frd@"
        "10.0.0.2:5672/"
    )


def _without_relation(name: str, a: str, b: str) -> Topology:
    topo = CASES[name]
    kept = tuple(r for r in topo.relations if set(r.applications()) != {a, b})
    return dataclasses.replace(topo, relations=kept)


def test_a_service_without_its_broker_says_which_relation_to_add() -> None:
    built = plan.build(_without_relation("lab-core-fast", "heat", "rabbitmq-server"))
    with pytest.raises(RenderError) as error:
        config.service_config(
            built, "heat", secrets(), user="heat", password_secret="heat-password", messaging=True
        )
    assert str(error.value) == (
        "heat needs a message broker for its RPC but is related to no rabbitmq application; "
        "relate it to one (e.g. [heat, rabbitmq])"
    )


def test_the_context_is_the_plans() -> None:
    service = config.service_config(
        build("lab-core-fast"),
        "heat",
        secrets(),
        user="heat",
        password_secret="heat-password",
        database=config.Database("heat", "heat-db-password", ("heat-manage", "db_sync")),
        messaging=True,
        cache=True,
    )
    assert service.messaging is not None and service.messaging.brokers == tuple(BROKERS)
    assert service.keystone_internal == "http://198.18.0.101:5000"
    assert (service.region, service.workers) == ("RegionOne", 1)
