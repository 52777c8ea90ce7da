"""Glance on Swift: its files, its identity, its API served by its own daemon."""

from __future__ import annotations

import configparser

from golden_cases import SECRETS, build, render_case, secrets

from hastack.kinds.glance import service as glance
from hastack.kinds.swift_proxy import service as swift
from hastack.openstack import identity


def _ini(text: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=True)
    parser.read_string(text)
    return parser


def _file(host: str, path: str) -> str:
    return next(f.text for f in render_case("lab-cloud")[host] if f.path == path)


def test_each_glance_unit_listens_on_its_own_address_and_names_its_own_url() -> None:
    conf = _ini(_file("ctl-2", glance.CONF))
    assert conf.get("DEFAULT", "bind_host") == "198.18.0.12"
    assert conf.get("DEFAULT", "bind_port") == "9282"
    assert conf.get("DEFAULT", "worker_self_reference_url") == "http://198.18.0.12:9282"
    assert conf.get("DEFAULT", "enabled_backends") == "swift:swift"
    assert conf.get("glance_store", "default_backend") == "swift"
    assert conf.get("swift", "swift_store_multi_tenant") == "false"
    assert conf.get("swift", "swift_store_config_file") == "/etc/glance/glance-swift.conf"
    assert SECRETS["glance-password"] not in conf.get("swift", "default_swift_reference")


def test_glances_swift_credentials_are_its_own_service_user_in_a_secret_file() -> None:
    files = {f.path: f for f in render_case("lab-cloud")["ctl-1"]}
    store = files["/etc/glance/glance-swift.conf"]
    assert (store.mode, store.owner, store.secret) == (0o640, "root:glance", True)
    ref = _ini(store.text)["hastack"]
    assert ref["user"] == "service:glance"
    assert ref["key"] == SECRETS["glance-password"]
    assert ref["auth_address"] == "http://198.18.0.101:5000/v3"
    assert ref["auth_version"] == "3"


def test_swift_proxy_authenticates_through_keystone_and_shares_swift_conf() -> None:
    conf = _ini(_file("ctl-3", "/etc/swift/proxy-server.conf"))
    assert conf.get("DEFAULT", "bind_ip") == "198.18.0.13"
    assert conf.get("DEFAULT", "bind_port") == "8070"
    pipeline = conf.get("pipeline:main", "pipeline").split()
    assert pipeline.index("authtoken") + 1 == pipeline.index("keystoneauth")
    assert "tempauth" not in pipeline
    assert conf.get("filter:authtoken", "username") == "swift"
    assert conf.get("filter:authtoken", "delay_auth_decision") == "true"
    hashes = {_file(h, "/etc/swift/swift.conf") for h in ("ctl-1", "ctl-2", "ctl-3")}
    assert len(hashes) == 1  # one file for every Swift host, rendered once per host
    rendered = [f.path for f in render_case("lab-cloud")["ctl-1"]]
    assert rendered.count("/etc/swift/swift.conf") == 1


def test_the_object_store_and_image_endpoints_are_on_the_vips() -> None:
    plan = build("lab-cloud")
    document = identity.request(plan, "swift-proxy", swift.IDENTITY, secrets())
    assert document["services"] == [
        {
            "type": "object-store",
            "name": "swift",
            "description": "Object Storage",
            "endpoints": {
                "public": "http://198.18.1.105:8080/v1/AUTH_%(project_id)s",
                "internal": "http://198.18.0.105:8080/v1/AUTH_%(project_id)s",
                "admin": "http://198.18.0.105:8080/v1/AUTH_%(project_id)s",
            },
        }
    ]
    image = identity.request(plan, "glance", glance.SPEC.identity, secrets())
    assert image["services"][0]["endpoints"]["public"] == "http://198.18.1.106:9292"  # type: ignore[index]


def test_glance_api_is_the_packages_unit_serving_the_api_itself() -> None:
    assert glance.API.unit.name == "glance-api.service"
    assert glance.API.serves == glance.PORT
    assert glance.SPEC.serving == (glance.API,)
    assert glance.SERVICE.unit_process is not None
    assert glance.SERVICE.unit_process.pattern == glance.API.pattern
    assert swift.PROXY.logs == "`journalctl -u swift-proxy.service` (it logs to syslog)"
