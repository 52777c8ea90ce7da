"""RabbitMQ: start every member, let classic peer discovery form the cluster, add the user.

Each ``rabbitmqctl`` boots an Erlang VM (0.5-1 s of CPU), so calls are few and polls slow.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

from ...apply import daemons
from ...apply.report import Report
from ...errors import DeployError
from ...facts.rabbitmq import CLUSTER_STATUS
from ...hosts import Connector
from ...plan import Plan
from ...secrets import SecretStore
from ...wait import WaitTimeout, wait_until

LOG = "/var/log/rabbitmq/stdout.log"
USER = "openstack"
START = ["sh", "-c", "cd /var/lib/rabbitmq && exec /usr/sbin/rabbitmq-server"]


def _await_startup(conn: Connector, timeout: float) -> None:
    def probe() -> tuple[bool | None, str]:
        result = conn.run(["rabbitmqctl", "await_startup", "--timeout", "30"], timeout=45)
        if result.ok:
            return True, "started"
        return None, (result.stderr.strip().splitlines() or [f"exit {result.exit_code}"])[-1]

    try:
        wait_until(probe, what=f"rabbitmq on {conn.name}", timeout=timeout, interval=2.0)
    except WaitTimeout as error:
        raise DeployError(
            f"rabbitmq on {conn.name} did not start in {timeout:g} s ({error.last}); read "
            f"{LOG} and /var/log/rabbitmq/rabbit@{conn.name}.log on {conn.name}"
        ) from error


def _listening(conn: Connector) -> bool:
    """AMQP accepts connections: the broker finished booting (cheaper than rabbitmqctl)."""
    result = conn.run(["ss", "-Hltn", "sport = :5672"], timeout=10)
    return result.ok and bool(result.stdout.strip())


def ensure(
    plan: Plan, app: str, hosts: Mapping[str, Connector], secrets: SecretStore, report: Report
) -> None:
    members = {u.host: hosts[u.host] for u in plan.units_of(app)}
    started = sorted(
        h for h, c in members.items() if daemons.ensure_started(c, "beam.smp", START, LOG)
    )
    waiting = [h for h in sorted(members) if h in started or not _listening(members[h])]
    with ThreadPoolExecutor(max_workers=max(1, len(waiting))) as pool:
        list(pool.map(lambda h: _await_startup(members[h], timeout=180), waiting))
    for host in sorted(members):
        report.add(
            host,
            "rabbitmq",
            host in started,
            "started rabbitmq" if host in started else "rabbitmq already running",
        )
    leader = plan.leader(app).host
    with ThreadPoolExecutor(max_workers=2) as pool:  # two Erlang VMs at once, not in turn
        clustered = pool.submit(_ensure_clustered, members, leader, report)
        user = pool.submit(_ensure_user, members[leader], secrets, report)
        clustered.result()
        user.result()


def _ensure_clustered(members: dict[str, Connector], leader: str, report: Report) -> None:
    status, _why = CLUSTER_STATUS.try_read(members[leader], timeout=60)
    expected = {f"rabbit@{h}" for h in members}
    if status is not None and expected <= set(status.running_nodes):
        report.add(
            "cluster", "rabbitmq-cluster", False, f"rabbitmq cluster runs on {len(expected)} nodes"
        )
        return
    running = set(status.running_nodes) if status else set()
    for host in sorted(members):
        if f"rabbit@{host}" in running or host == leader:
            continue
        conn = members[host]
        conn.check(["rabbitmqctl", "stop_app"], timeout=60)
        conn.check(["rabbitmqctl", "join_cluster", f"rabbit@{leader}"], timeout=60)
        conn.check(["rabbitmqctl", "start_app"], timeout=120)
        report.add(host, "rabbitmq-cluster", True, f"joined rabbit@{leader}")


def _ensure_user(conn: Connector, secrets: SecretStore, report: Report) -> None:
    users = conn.run(["rabbitmqctl", "list_users", "--formatter", "json"], timeout=60)
    if users.ok and f'"user":"{USER}"' in users.stdout.replace(" ", ""):
        report.add(conn.name, "rabbitmq-user", False, f"user {USER} exists")
        return
    password = secrets.get("rabbitmq-password").reveal()
    conn.check(["rabbitmqctl", "add_user", USER], stdin=password + "\n", timeout=60)
    conn.check(["rabbitmqctl", "set_permissions", "-p", "/", USER, ".*", ".*", ".*"], timeout=60)
    report.add(conn.name, "rabbitmq-user", True, f"created user {USER} with full permissions")
