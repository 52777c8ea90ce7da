"""Debian packages: find what is missing and install it without starting host daemons.

Maintainer scripts would start mariadbd, rabbitmq-server and friends on the host itself; a
``policy-rc.d`` that exits 101 stops that. It is put in place only if none exists and
removed afterwards.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from ..errors import DeployError
from ..hosts import Connector

log = logging.getLogger(__name__)

POLICY = "/usr/sbin/policy-rc.d"
POLICY_TEXT = "#!/bin/sh\n# hastack: keep maintainer scripts from starting daemons\nexit 101\n"

# Always needed on a node: the lab's own tools and the probes' clients.
BASE_PACKAGES = ("iproute2", "nftables", "procps", "psmisc", "socat", "rsync", "ipmitool")


def missing(connector: Connector, packages: Iterable[str]) -> list[str]:
    wanted = sorted(set(packages))
    if not wanted:
        return []
    result = connector.run(["dpkg-query", "-W", "-f=${Package} ${Status}\n", *wanted])
    installed = {
        line.split()[0]
        for line in result.stdout.splitlines()
        if line.endswith("install ok installed")
    }
    return [p for p in wanted if p not in installed]


def install(connector: Connector, packages: Iterable[str]) -> list[str]:
    """Install what is missing; return the packages installed (empty: nothing to do)."""
    todo = missing(connector, packages)
    if not todo:
        return []
    log.info("installing on %s: %s", connector.name, " ".join(todo))
    placed_policy = connector.read_file(POLICY) is None
    if placed_policy:
        connector.write_file(POLICY, POLICY_TEXT, mode=0o755)
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    try:
        update = connector.run(["apt-get", "update", "-qq"], timeout=600, env=env)
        if not update.ok:
            log.warning("apt-get update failed on %s: %s", connector.name, update.stderr[-300:])
        result = connector.run(
            ["apt-get", "install", "-y", "-q", "--no-install-recommends", *todo],
            timeout=1800,
            env=env,
        )
    finally:
        if placed_policy:
            connector.run(["rm", "-f", POLICY])
    if not result.ok:
        tail = " ".join(result.stderr.strip().splitlines()[-3:])[:500]
        raise DeployError(
            f"on {connector.name}: `apt-get install {' '.join(todo)}` failed ({tail}); "
            "check the network path to the Debian mirror and `apt-get update`, then re-run"
        )
    return todo
