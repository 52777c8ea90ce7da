"""Helpers of the Keystone and Horizon lab tests: real clients, real HTTP, real Keystone code.

``cacheless_validator`` runs Keystone's own WSGI application in a lab node with
``[cache] enabled = false`` and a chosen key repository: Keystone caches a token in
memcached when it issues it, so with the shared memcached a unit would validate it even
with different fernet keys. Only a validator that cannot read that cache proves the keys.
"""

from __future__ import annotations

import base64
import configparser
import contextlib
import io
import json
import os
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from hastack.apply import apache, units
from hastack.hosts.lab import LabConnector
from hastack.kinds.keystone import render as render_keystone
from hastack.plan import Plan, queries
from hastack.topology import NetworkRole

KEYSTONE_APP = "keystone"
VALIDATOR = """
import os, sys, threading
from wsgiref.simple_server import WSGIRequestHandler, make_server
from keystone.server.wsgi import initialize_public_application
timer = threading.Timer(300, lambda: os._exit(3))  # never outlive a broken test
timer.daemon = True
timer.start()
address, port, pidfile = sys.argv[1:4]
sys.argv[1:] = []  # oslo.config reads the command line
class Quiet(WSGIRequestHandler):
    def log_message(self, *args): pass
app = initialize_public_application()
server = make_server(address, int(port), app, handler_class=Quiet)
with open(pidfile, "w") as handle:
    handle.write(str(os.getpid()))
server.serve_forever()
"""


def public_vip(plan: Plan, app: str) -> str:
    address = queries.vip_address(plan, app, NetworkRole.EXTERNAL)
    assert address is not None, f"{app} has no public VIP"
    return str(address)


def unit_url(plan: Plan, host: str, port: int) -> str:
    return f"http://{plan.host(host).address()}:{port}"


def auth_body(password: str) -> bytes:
    user = {"name": "admin", "domain": {"name": "Default"}, "password": password}
    scope = {"project": {"name": "admin", "domain": {"name": "Default"}}}
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": user}}}}
    body["auth"]["scope"] = scope
    return json.dumps(body).encode()


def issue_token(base_url: str, password: str, timeout: float = 30) -> str:
    """POST /v3/auth/tokens at *base_url* (a VIP or one unit); the token."""
    request = urllib.request.Request(
        f"{base_url}/v3/auth/tokens",
        data=auth_body(password),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        assert answer.status == 201
        return str(answer.headers["X-Subject-Token"])


def validate_status(base_url: str, token: str, timeout: float = 30) -> int:
    """GET /v3/auth/tokens with the token as both caller and subject; the HTTP status."""
    headers = {"X-Auth-Token": token, "X-Subject-Token": token}
    request = urllib.request.Request(f"{base_url}/v3/auth/tokens", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def openstack_cli(
    clouds_yaml: Path, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Debian's ``openstack`` client with the deployment's clouds.yaml."""
    env = {**os.environ, "OS_CLIENT_CONFIG_FILE": str(clouds_yaml)}
    return subprocess.run(
        ["openstack", "--os-cloud", "hastack", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def sdk(clouds_yaml: Path, script: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run *script* with Debian's openstacksdk (``conn`` is connected to cloud hastack)."""
    code = "import json, openstack\nconn = openstack.connect(cloud='hastack')\n" + script
    env = {**os.environ, "OS_CLIENT_CONFIG_FILE": str(clouds_yaml)}
    return subprocess.run(
        ["/usr/bin/python3", "-c", code], capture_output=True, text=True, timeout=timeout, env=env
    )


def fernet_keys(node: LabConnector) -> dict[str, str]:
    repo = render_keystone.FERNET_KEYS
    names = node.check(["find", repo, "-maxdepth", "1", "-type", "f", "-printf", "%f\\n"])
    return {n: node.read_file(f"{repo}/{n}") or "" for n in sorted(names.stdout.split())}


def write_wrong_keys(node: LabConnector, directory: str) -> None:
    for name in ("0", "1"):
        key = base64.urlsafe_b64encode(os.urandom(32)).decode()
        node.write_file(f"{directory}/{name}", key, mode=0o600, owner="keystone:keystone")
    node.check(["chown", "keystone:keystone", directory])
    node.check(["chmod", "0700", directory])


def _validator_conf(node: LabConnector, key_repository: str, workdir: str) -> str:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(node.read_file(render_keystone.CONF) or "")
    parser["cache"]["enabled"] = "false"
    parser["fernet_tokens"]["key_repository"] = key_repository
    parser["DEFAULT"]["log_dir"] = workdir
    parser["DEFAULT"]["log_file"] = "validator.log"
    out = io.StringIO()
    parser.write(out)
    return out.getvalue()


@contextlib.contextmanager
def cacheless_validator(
    node: LabConnector, key_repository: str = render_keystone.FERNET_KEYS, port: int = 4980
) -> Iterator[Callable[[str], int]]:
    """Keystone's public app on 127.0.0.1:*port* in *node*, no cache; yields validate(token)."""
    workdir = f"/tmp/hastack-validator-{uuid.uuid4().hex[:8]}"
    node.write_file(
        f"{workdir}/keystone.conf",
        _validator_conf(node, key_repository, workdir),
        mode=0o600,
        owner="keystone:keystone",
    )
    node.write_file(f"{workdir}/validator.py", VALIDATOR, mode=0o644, owner="keystone:keystone")
    node.check(["chown", "keystone:keystone", workdir])
    argv = ["runuser", "-u", "keystone", "--", "env", f"OS_KEYSTONE_CONFIG_DIR={workdir}"]
    argv += ["python3", f"{workdir}/validator.py", "127.0.0.1", str(port), f"{workdir}/pid"]
    process = subprocess.Popen(
        node.enter_argv(argv), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _wait_answering(node, port, process)
        yield lambda token: _validate_in_node(node, port, token, workdir)
    finally:
        pid = node.read_file(f"{workdir}/pid")
        if pid:
            node.run(["kill", pid.strip()])
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        node.run(["rm", "-rf", "--", workdir])


def _wait_answering(node: LabConnector, port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"validator exited: {process.stderr.read()[-800:]!r}")  # type: ignore[union-attr]
        done = node.run(["curl", "-s", "-o", "/dev/null", f"http://127.0.0.1:{port}/v3"])
        if done.ok:
            return
        time.sleep(0.5)
    raise AssertionError(f"validator on {node.name} did not answer in 90 s")


def _validate_in_node(node: LabConnector, port: int, token: str, workdir: str) -> int:
    """curl inside the node; the token goes in a header file, never on a command line."""
    headers = f"{workdir}/headers"
    node.write_file(headers, f"X-Auth-Token: {token}\nX-Subject-Token: {token}\n", mode=0o600)
    done = node.check(
        ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", f"@{headers}",
         f"http://127.0.0.1:{port}/v3/auth/tokens"]
    )  # fmt: skip
    return int(done.stdout.strip())


def apache_stop(node: LabConnector, instance: apache.Instance, timeout: float = 30) -> None:
    """Stop one service's Apache instance (its unit) and wait until its processes are gone."""
    units.stop(node, instance.unit.name)
    deadline = time.monotonic() + timeout
    while node.run(["pgrep", "-f", instance.pattern]).ok:
        assert time.monotonic() < deadline, f"{instance.unit.name} still runs on {node.name}"
        time.sleep(0.2)


def apache_start(node: LabConnector, instance: apache.Instance) -> None:
    units.ensure_running(node, instance.unit)
