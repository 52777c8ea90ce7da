"""One Apache instance per OpenStack API on a host: Debian's ``apache2@<name>.service``.

Keystone, Horizon and every API run in separate instances - as they would in separate
containers - so stopping one leaves the others serving. Each is Debian's multi-instance
setup (``/usr/share/doc/apache2/README.multiple-instances``): its config in
``/etc/apache2-<name>/apache2.conf``, started by systemd as ``apache2@<name>.service``
(``apachectl`` runs ``/usr/sbin/apache2 -d /etc/apache2-<name> -k start``), enabled so it
starts at boot, restarted on failure by hastack's drop-in and reloaded (``apachectl
graceful``) when a file it reads changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

from ..errors import DeployError
from ..facts.haproxy import STAT
from ..hosts import Connector
from ..plan import Plan
from ..wait import WaitTimeout, wait_until
from . import units
from .report import Report

APACHE = "/usr/sbin/apache2"


def config_dir(name: str) -> str:
    """Debian's directory for instance *name*; ``apache2@<name>.service`` needs it."""
    return f"/etc/apache2-{name}"


def conf_path(name: str) -> str:
    return f"{config_dir(name)}/apache2.conf"


@dataclasses.dataclass(frozen=True)
class Instance:
    service: str  # "keystone", "heat-api": names the instance, its unit, PID file and logs
    watches: str  # the service's config dir: a changed file under it reloads the instance

    @property
    def conf(self) -> str:
        return conf_path(self.service)

    @property
    def unit(self) -> units.Unit:
        return units.restarting(
            f"apache2@{self.service}.service", f"PIDFile=/run/apache2/{self.service}.pid"
        )

    @property
    def error_log(self) -> str:
        return f"/var/log/apache2/{self.service}-error.log"

    @property
    def pattern(self) -> str:
        """What ``pgrep -f`` finds this instance's processes by: its directory on the
        command line (the WSGI daemon renames itself and is not among them)."""
        return f"^{APACHE} -d {config_dir(self.service)} "

    def reads(self, path: str) -> bool:
        return any(path.startswith(d + "/") for d in (self.watches, config_dir(self.service)))


def running(conn: Connector, instance: Instance) -> bool:
    return units.is_active(conn, instance.unit.name)


def http_status(conn: Connector, url: str, timeout: float = 5.0) -> tuple[int | None, str]:
    """The HTTP status *url* answers with from *conn*'s host, or None and why not."""
    argv = ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", f"{timeout:g}"]
    result = conn.run([*argv, url], timeout=timeout + 10)
    if result.ok and result.stdout.strip().isdigit():
        return int(result.stdout.strip()), f"HTTP {result.stdout.strip()}"
    reason = (result.stderr.strip().splitlines() or [f"curl exit {result.exit_code}"])[-1]
    return None, reason.removeprefix("curl: ")


def wait_answering(conn: Connector, instance: Instance, url: str, timeout: float) -> None:
    def probe() -> tuple[int | None, str]:
        code, seen = http_status(conn, url)
        return (code if code is not None and code < 500 else None), seen

    try:
        wait_until(probe, what=f"{url} on {conn.name}", timeout=timeout, interval=0.5)
    except WaitTimeout as error:
        raise DeployError(
            f"{instance.service} on {conn.name} does not answer {url} after {timeout:g} s "
            f"({error.last}); read {instance.error_log} and `journalctl -u "
            f"{instance.unit.name}` on {conn.name}"
        ) from error


def ensure_started(
    members: Mapping[str, Connector],
    instance: Instance,
    urls: Mapping[str, str],
    report: Report,
    timeout: float = 90,
) -> None:
    """Enable and start the instance where it is not, and wait until every unit answers."""

    def one(host: str) -> None:
        conn = members[host]
        outcome = units.ensure_running(conn, instance.unit)
        wait_answering(conn, instance, urls[host], timeout)
        report.add(host, instance.service, outcome.changed, f"{outcome.message}, {urls[host]}")

    with ThreadPoolExecutor(max_workers=max(1, len(members))) as pool:
        list(pool.map(one, sorted(members)))


def reload_changed(
    conn: Connector, changed: list[str], instances: tuple[Instance, ...], report: Report
) -> None:
    """A running instance whose config files changed restarts gracefully to read them."""
    for instance in instances:
        if not any(instance.reads(path) for path in changed):
            continue
        if running(conn, instance):
            units.reload(conn, instance.unit.name)
            report.add(
                conn.name, instance.service, True, f"reloaded {instance.service} (config changed)"
            )


def wait_haproxy_up(
    plan: Plan, app: str, hosts: Mapping[str, Connector], report: Report, timeout: float = 90
) -> None:
    """Wait until HAProxy on every cluster node routes to every unit: clients see the VIP."""
    cluster = next(
        (c for c in plan.clusters if any(f.application == app for f in c.frontends)), None
    )
    if cluster is None:
        return
    names = {f.name for f in cluster.frontends if f.application == app}

    def probe() -> tuple[bool | None, str]:
        waiting = []
        for node in cluster.hosts:
            rows = STAT.try_read(hosts[node], timeout=15)[0]
            if rows is None:
                waiting.append(f"haproxy on {node} does not answer")
                continue
            servers = [r for r in rows if r.proxy in names and r.is_server]
            down = [f"{r.name} {r.status} ({r.last_check or r.check_desc})" for r in servers
                    if not r.status.startswith("UP")]  # fmt: skip
            waiting += [f"{node} sees {d}" for d in down] if servers else [f"{node}: no servers"]
        return (True if not waiting else None), "; ".join(waiting[:3]) or "all up"

    try:
        wait_until(probe, what=f"HAProxy routing to {app}", timeout=timeout, interval=0.5)
    except WaitTimeout as error:
        raise DeployError(
            f"{app}: HAProxy does not mark every unit UP after {timeout:g} s ({error.last}); "
            "a health check slower than `timeout check` also counts as failed"
        ) from error
    report.add("cluster", f"{app}-haproxy", False, f"HAProxy routes to every {app} unit")
