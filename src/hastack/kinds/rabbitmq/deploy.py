"""RabbitMQ: ``rabbitmq-server.service`` enabled and started on every member at once, classic
peer discovery forms the cluster, then the user. A member that boots rejoins by itself, and
the package's unit restarts a broker that died.

Each ``rabbitmqctl`` boots an Erlang VM (0.5-1 s of CPU), so calls are few and polls slow.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

from ...apply import units
from ...apply.report import Report
from ...errors import DeployError
from ...facts.rabbitmq import CLUSTER_STATUS
from ...hosts import Connector
from ...plan import Plan
from ...secrets import SecretStore
from ...wait import WaitTimeout, wait_until

LOG = "/var/log/rabbitmq/rabbitmq-server.log"  # the unit's stdout
USER = "openstack"
UNIT = units.Unit("rabbitmq-server.service")  # the package's unit: Restart=on-failure
START_TIMEOUT_S = 300  # Type=notify: `systemctl start` returns once the broker booted


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
            f"{LOG}, /var/log/rabbitmq/rabbit@{conn.name}.log and `journalctl -u "
            f"{UNIT.name}` on {conn.name}"
        ) from error


def _listening(conn: Connector) -> bool:
    """AMQP accepts connections: the broker finished booting (cheaper than rabbitmqctl)."""
    result = conn.run(["ss", "-Hltn", "sport = :5672"], timeout=10)
    return result.ok and bool(result.stdout.strip())


def ensure(
    plan: Plan, app: str, hosts: Mapping[str, Connector], secrets: SecretStore, report: Report
) -> None:
    members = {u.host: hosts[u.host] for u in plan.units_of(app)}

    def start(host: str) -> units.Outcome:
        return units.ensure_running(members[host], UNIT, timeout=START_TIMEOUT_S)

    with ThreadPoolExecutor(max_workers=max(1, len(members))) as pool:
        outcomes = dict(zip(sorted(members), pool.map(start, sorted(members)), strict=True))
    started = {h for h, o in outcomes.items() if o.started}
    waiting = [h for h in sorted(members) if h in started or not _listening(members[h])]
    with ThreadPoolExecutor(max_workers=max(1, len(waiting))) as pool:
        list(pool.map(lambda h: _await_startup(members[h], timeout=180), waiting))
    for host, outcome in sorted(outcomes.items()):
        report.add(host, "rabbitmq", outcome.changed, outcome.message)
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
