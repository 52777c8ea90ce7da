"""One Apache instance per OpenStack service on a host (its own config, PID file and logs).

Keystone and Horizon run in separate instances - as they would in separate containers - so
stopping one leaves the other serving. An instance is found by its command line, which
names its config file; every lab node has its own PID namespace, so ``pgrep`` is per node.
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
from .report import Report

APACHE = "/usr/sbin/apache2"


@dataclasses.dataclass(frozen=True)
class Instance:
    service: str  # "keystone", "horizon": names the PID file and logs
    conf: str  # the instance's apache2.conf
    config_dir: str  # a change to a file under it restarts the instance gracefully

    @property
    def error_log(self) -> str:
        return f"/var/log/apache2/{self.service}-error.log"

    @property
    def start_log(self) -> str:
        return f"/var/log/apache2/{self.service}-start.log"

    @property
    def pattern(self) -> str:
        """What ``pgrep -f`` finds this instance's processes by: its config on the command line."""
        return f"^{APACHE} -f {self.conf} "

    def command(self, action: str) -> list[str]:
        return [APACHE, "-f", self.conf, "-k", action]


def running(conn: Connector, instance: Instance) -> bool:
    return conn.run(["pgrep", "-f", instance.pattern]).ok


def control(conn: Connector, instance: Instance, action: str) -> None:
    """``apache2 -k ACTION`` with its output in the instance's start log."""
    script = 'exec "$@" >>"$0" 2>&1 </dev/null'
    result = conn.run(
        ["sh", "-c", script, instance.start_log, *instance.command(action)], timeout=60
    )
    if not result.ok:
        raise DeployError(
            f"{instance.service} on {conn.name}: `apache2 -f {instance.conf} -k {action}` "
            f"exited {result.exit_code}; read {instance.start_log} and {instance.error_log} on "
            f"{conn.name} (`hastack lab exec {conn.name} -- tail -20 {instance.start_log}`)"
        )


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
            f"({error.last}); read {instance.error_log} on {conn.name}"
        ) from error


def ensure_started(
    members: Mapping[str, Connector],
    instance: Instance,
    urls: Mapping[str, str],
    report: Report,
    timeout: float = 90,
) -> None:
    """Start the instance where it is not running and wait until every unit answers."""

    def one(host: str) -> None:
        conn = members[host]
        started = not running(conn, instance)
        if started:
            control(conn, instance, "start")
        wait_answering(conn, instance, urls[host], timeout)
        what = "started" if started else "already running"
        report.add(host, instance.service, started, f"{instance.service} {what}, {urls[host]}")

    with ThreadPoolExecutor(max_workers=max(1, len(members))) as pool:
        list(pool.map(one, sorted(members)))


def reload_changed(
    conn: Connector, changed: list[str], instances: tuple[Instance, ...], report: Report
) -> None:
    """A running instance whose config files changed restarts gracefully to read them."""
    for instance in instances:
        if not any(path.startswith(instance.config_dir + "/") for path in changed):
            continue
        if running(conn, instance):
            control(conn, instance, "graceful")
            report.add(
                conn.name, instance.service, True, f"restarted {instance.service} (config changed)"
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
