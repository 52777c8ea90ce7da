"""Running the real Debian tools on rendered files (test helpers, not product code)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from hastack.render import RenderedFile

# tool -> the Debian package that ships it
PACKAGES = {
    "haproxy": "haproxy",
    "crm_verify": "pacemaker-cli-utils",
    "crm_simulate": "pacemaker-cli-utils",
    "cibadmin": "pacemaker-cli-utils",
    "crm": "crmsh",
    "keepalived": "keepalived",
    "corosync": "corosync",
    "mariadbd": "mariadb-server",
    "erl": "erlang-base (a dependency of rabbitmq-server)",
    "memcached": "memcached",
    "apache2": "apache2 (with libapache2-mod-wsgi-py3)",
    "unshare": "util-linux",
    "ip": "iproute2",
}


def tool(name: str) -> str:
    """The tool's path; a missing tool fails the test (CI installs the packages)."""
    path = shutil.which(name, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
    if path is None:
        pytest.fail(f"{name} is not installed; install the Debian package {PACKAGES[name]}")
    return path


def run(argv: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False, env=env)


def materialize(root: Path, files: list[RenderedFile]) -> Path:
    """Write *files* under *root* as they would be on the host; return *root*."""
    for f in files:
        target = root / f.path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f.text)
        target.chmod(f.mode)
    return root


def sandbox(*, mount: bool = False) -> list[str]:
    """An anonymous network (and mount) namespace that dies with the command."""
    argv = [tool("unshare"), "--net"]
    if mount:
        argv += ["--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        argv.append("--map-root-user")
    return argv


# Inside the sandbox: veth interfaces named as on the hosts (the kernel may lack "dummy"),
# with the host's own addresses. "$@" is the command to run after "--".
INTERFACES_SCRIPT = """
set -e
ip link set lo up
while [ "$1" != "--" ]; do
    ip link add "$1" type veth peer name "p-$1"
    ip link set "$1" up
    [ -n "$2" ] && ip addr add "$2" dev "$1"
    shift 2
done
shift
exec "$@"
"""
