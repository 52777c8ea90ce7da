"""Debian packages: find what is missing and install it without starting host daemons.

Maintainer scripts would start mariadbd, rabbitmq-server and friends on the host itself; a
``policy-rc.d`` that exits 101 stops that. It is put in place only if none exists and
removed afterwards.

Names are the catalog's. A package a later Debian release split (``SPLITS``) is satisfied by
itself or its part, and installed as its part wherever the host's archive offers that part,
so one catalog serves Debian 12 and 13 (``release`` reads both facts from the host).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable

from ..errors import DeployError
from ..hosts import Connector
from . import release

log = logging.getLogger(__name__)

POLICY = "/usr/sbin/policy-rc.d"
POLICY_TEXT = "#!/bin/sh\n# hastack: keep maintainer scripts from starting daemons\nexit 101\n"

# Always needed on a node: the lab's own tools and the probes' clients.
BASE_PACKAGES = ("iproute2", "nftables", "procps", "psmisc", "socat", "rsync", "ipmitool")


@dataclasses.dataclass(frozen=True)
class Split:
    """A package whose one needed part became a package of its own in a later release."""

    package: str  # what the catalog asks for: "fence-agents"
    part: str  # the narrow package, where the archive has it: "fence-agents-ipmilan"
    why: str


SPLITS = {
    s.package: s
    for s in (
        Split(
            "fence-agents",
            "fence-agents-ipmilan",
            "Debian 13 made fence-agents a transitional package for fence-agents-all (205 "
            "packages with systemd and cloud SDKs); hastack fences with fence_ipmilan only",
        ),
    )
}


def missing(connector: Connector, packages: Iterable[str]) -> list[str]:
    """The wanted packages not installed (a split package counts when its part is)."""
    wanted = sorted(set(packages))
    if not wanted:
        return []
    parts = [SPLITS[p].part for p in wanted if p in SPLITS]
    installed = release.INSTALLED.read(connector, [*wanted, *parts])
    return [
        p
        for p in wanted
        if p not in installed and not (p in SPLITS and SPLITS[p].part in installed)
    ]


def choose(connector: Connector, packages: Iterable[str]) -> list[str]:
    """The names to give ``apt-get``: a split package's part wherever the archive has it."""
    wanted = sorted(set(packages))
    splits = [SPLITS[p] for p in wanted if p in SPLITS]
    if not splits:
        return wanted
    candidates = release.CANDIDATES.read(connector, [s.part for s in splits])
    chosen = {s.package: s.part for s in splits if candidates.get(s.part)}
    for package, part in chosen.items():
        log.info(
            "%s: installing %s for %s (%s)", connector.name, part, package, SPLITS[package].why
        )
    return sorted(chosen.get(p, p) for p in wanted)


def install(connector: Connector, packages: Iterable[str]) -> list[str]:
    """Install what is missing; return the packages installed (empty: nothing to do)."""
    release.check_supported(connector, release.read_os_release(connector))
    missing_now = missing(connector, packages)
    if not missing_now:
        return []
    placed_policy = connector.read_file(POLICY) is None
    if placed_policy:
        connector.write_file(POLICY, POLICY_TEXT, mode=0o755)
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    try:
        update = connector.run(["apt-get", "update", "-qq"], timeout=600, env=env)
        if not update.ok:
            log.warning("apt-get update failed on %s: %s", connector.name, update.stderr[-300:])
        todo = choose(connector, missing_now)  # after the update: today's archive decides
        log.info("installing on %s: %s", connector.name, " ".join(todo))
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
