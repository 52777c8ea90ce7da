from __future__ import annotations

import configparser
import re

from golden_cases import SECRETS, render_case


def _file(case: str, host: str, path: str) -> str:
    return next(f.text for f in render_case(case)[host] if f.path == path)


def test_galera_lists_every_member_and_binds_its_own_address() -> None:
    text = _file("lab-core-reference", "ctl-2", "/etc/mysql/mariadb.conf.d/60-hastack-galera.cnf")
    assert "wsrep_cluster_address = gcomm://198.18.0.11,198.18.0.12,198.18.0.13" in text
    assert "bind-address = 198.18.0.12" in text
    assert "evs.suspect_timeout=PT5S;evs.inactive_timeout=PT15S" in text


def test_keystone_uses_the_galera_vip_and_every_memcached() -> None:
    files = {f.path: f for f in render_case("five-machines")["ctl-4"]}
    conf = files["/etc/keystone/keystone.conf"]
    assert (conf.mode, conf.owner, conf.secret) == (0o640, "root:keystone", True)
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.read_string(conf.text)
    password = SECRETS["keystone-db-password"]
    assert (
        parser["database"]["connection"]
        == f"mysql+pymysql://keystone:{password}@198.18.0.100/keystone"
    )
    assert (
        parser["cache"]["memcache_servers"]
        == "198.18.0.13:11211,198.18.0.14:11211,198.18.0.15:11211"
    )
    assert parser["token"]["provider"] == "fernet"
    apache = files["/etc/apache2-keystone/apache2.conf"].text
    assert "Listen 198.18.0.14:4990\n" in apache
    assert "process-group=keystone application-group=%{GLOBAL}" in apache
    assert "PidFile /run/apache2/keystone.pid\n" in apache
    assert parser["fernet_tokens"]["key_repository"] == "/etc/keystone/fernet-keys"


def test_horizon_keeps_sessions_in_every_memcached_and_signs_in_on_the_vip() -> None:
    files = {f.path: f for f in render_case("lab-core-fast")["ctl-2"]}
    settings = files["/etc/openstack-dashboard/local_settings.py"]
    assert (settings.mode, settings.owner, settings.secret) == (0o640, "root:www-data", True)
    assert 'OPENSTACK_KEYSTONE_URL = "http://198.18.0.101:5000/v3"\n' in settings.text
    assert f'SECRET_KEY = "{SECRETS["horizon-secret-key"]}"\n' in settings.text
    cache = files["/etc/openstack-dashboard/local_settings.d/_90_hastack.py"].text
    assert 'SESSION_ENGINE = "django.contrib.sessions.backends.cache"\n' in cache
    servers = re.findall(r'"(198\.18\.0\.\d+:11211)"', cache)
    assert servers == ["198.18.0.11:11211", "198.18.0.12:11211", "198.18.0.13:11211"]
    apache = files["/etc/apache2-horizon/apache2.conf"].text
    assert "Listen 198.18.0.12:70\n" in apache
    assert "TypesConfig /etc/mime.types\n" in apache


def test_rabbitmq_lists_every_node() -> None:
    text = _file("lab-core-fast", "ctl-3", "/etc/rabbitmq/rabbitmq.conf")
    nodes = [
        line.split(" = ")[1] for line in text.splitlines() if ".classic_config.nodes." in line
    ]
    assert nodes == ["rabbit@ctl-1", "rabbit@ctl-2", "rabbit@ctl-3"]
    assert "cluster_partition_handling = pause_minority" in text
    assert "net_ticktime = 20" in text
    assert "listeners.tcp.default = 198.18.0.13:5672" in text
    env = _file("lab-core-fast", "ctl-3", "/etc/rabbitmq/rabbitmq-env.conf")
    assert "NODENAME=rabbit@ctl-3\n" in env


def test_memcached_listens_on_the_management_address() -> None:
    text = _file("lab-core-fast", "ctl-1", "/etc/memcached.conf")
    assert "-l 198.18.0.11\n" in text and "-p 11211\n" in text and "-u memcache\n" in text
