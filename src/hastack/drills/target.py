"""What a drill acts on: the deployment (plan, connectors, secrets) and the lab's power,
links and BMCs. Drills ask for effects here; only this module runs the commands.

``heal()`` is the operator's way back: links restored, BMCs answering, nodes powered on,
then the deployer run again so the daemons of a node that was off start and rejoin, as an
operator's ``hastack lab up`` would.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TypeVar

from .. import errors
from ..facts import Fact
from ..facts.network import IP_ADDR, InterfaceAddress
from ..facts.pacemaker import CRM_MON, ClusterStatus
from ..health.report import HealthReport
from ..hosts import Connector
from ..lab.lab import Lab
from ..ops import status as status_op
from ..plan import Plan
from ..secrets import SecretStore
from ..wait import WaitTimeout, wait_until
from .probes import Probe

log = logging.getLogger(__name__)
T = TypeVar("T")

Redeploy = Callable[[], list[str]]
DROP_TABLE = "hastack_drill"


class Target:
    """A deployed lab: the only place drills reach the nodes through."""

    is_lab = True

    def __init__(self, plan: Plan, lab: Lab, secrets: SecretStore, redeploy: Redeploy) -> None:
        self.plan = plan
        self.lab = lab
        self.secrets = secrets
        self._redeploy = redeploy
        self.connectors: dict[str, Connector] = {h.name: lab.connector(h.name) for h in plan.hosts}
        self._cut: set[str] = set()
        self._muted: set[str] = set()
        self._dropped: set[str] = set()
        self.observed = Observed()
        self.queue = ""  # the drill's quorum queue, once the runner declared it

    # -- observing ----------------------------------------------------------------------------
    @property
    def hosts(self) -> tuple[str, ...]:
        return tuple(h.name for h in self.plan.hosts)

    def vip_addresses(self) -> tuple[str, ...]:
        return tuple(str(v.address) for c in self.plan.clusters for v in c.vips)

    def is_on(self, host: str) -> bool:
        return self.lab.power(host, "status").endswith(" on")

    def run(self, host: str, argv: list[str], timeout: float = 20.0) -> str | None:
        """stdout of *argv* on *host*, or None when it failed or the node is off."""
        try:
            done = self.connectors[host].run(argv, timeout=timeout)
        except errors.ConnectError:
            return None
        return done.stdout if done.ok else None

    def fact(self, host: str, fact: Fact[T], timeout: float = 20.0) -> T | None:
        """*fact* as *host* reports it, or None when it failed, did not parse or the node is
        off (quietly: a drill expects nodes that do not answer)."""
        return fact.try_read(self.connectors[host], timeout=timeout)[0]

    def vip_holders(self) -> dict[str, tuple[str, ...]]:
        """VIP address -> running nodes that have it configured (links cut or not)."""
        found: dict[str, list[str]] = {vip: [] for vip in self.vip_addresses()}
        for host in self.hosts:
            addresses = self.fact(host, IP_ADDR, timeout=10.0)
            if addresses is None:
                continue
            for vip, holders in found.items():
                if configured(addresses, vip):
                    holders.append(host)
        return {vip: tuple(holders) for vip, holders in found.items()}

    def holder(self, vip: str | None = None) -> str | None:
        holders = self.vip_holders()[vip or self.vip_addresses()[0]]
        return holders[0] if len(holders) == 1 else None

    def cluster_status(self, exclude: tuple[str, ...] = ()) -> ClusterStatus | None:
        """``crm_mon`` as seen from the first running node not in *exclude*."""
        for host in self.hosts:
            if host in exclude:
                continue
            status = self.fact(host, CRM_MON)
            if status is not None:
                return status
        return None

    def health(self) -> HealthReport:
        return status_op.collect(self.plan, self.connectors)

    def db_password(self) -> str:
        return self.secrets.get("mysql-hastack-password").reveal()

    def amqp_password(self) -> str:
        return self.secrets.get("rabbitmq-password").reveal()

    # -- acting -------------------------------------------------------------------------------
    def power_off(self, host: str) -> str:
        return self.lab.power(host, "off")

    def power_soft(self, host: str) -> str:
        return self.lab.power(host, "soft")

    def power_on(self, host: str) -> str:
        return self.lab.power(host, "on")

    def cut_links(self, host: str, *, persistent: bool = False) -> str:
        """Pull *host*'s cables; *persistent*: they stay out across its power cycles, as a
        dead switch port does when fencing reboots the node."""
        self._cut.add(host)
        return self.lab.cut_links(host, persistent=persistent)

    def boot_id(self, host: str) -> int | None:
        """What changes at every boot of *host*: the host PID of its PID 1 (None when off)."""
        return next((n.init_pid for n in self.lab.status() if n.name == host), None)

    def mute_bmc(self, host: str) -> str:
        self._muted.add(host)
        return self.lab.mute_bmc(host)

    def unmute_bmc(self, host: str) -> str:
        self._muted.discard(host)
        return self.lab.unmute_bmc(host)

    def kill(self, host: str, process: str) -> str:
        """SIGKILL every process named *process* on *host*."""
        done = self.connectors[host].run(["pkill", "-KILL", "-x", process], timeout=10.0)
        if done.exit_code == 1:
            return f"no {process} process ran on {host}"
        if not done.ok:
            raise errors.DrillAborted(f"could not kill {process} on {host}: {done.stderr.strip()}")
        return f"SIGKILLed {process} on {host}"

    def kill_matching(self, host: str, pattern: str, what: str) -> str:
        """SIGKILL every process on *host* whose command line matches *pattern*."""
        done = self.connectors[host].run(["pkill", "-KILL", "-f", pattern], timeout=10.0)
        if done.exit_code == 1:
            return f"no {what} process ran on {host}"
        if not done.ok:
            raise errors.DrillAborted(f"could not kill {what} on {host}: {done.stderr.strip()}")
        return f"SIGKILLed {what} on {host}"

    def drop_ports(self, host: str, ports: tuple[int, ...]) -> str:
        """Inside *host*: drop TCP to and from *ports* (one service cut off, the node alive)."""
        listed = ", ".join(map(str, ports))
        rules = (
            f"table inet {DROP_TABLE} {{\n"
            f" chain input {{ type filter hook input priority 0; tcp dport {{ {listed} }} drop;"
            f" tcp sport {{ {listed} }} drop; }}\n"
            f" chain output {{ type filter hook output priority 0; tcp dport {{ {listed} }} drop;"
            f" tcp sport {{ {listed} }} drop; }}\n}}\n"
        )
        self._dropped.add(host)
        self.connectors[host].check(["nft", "-f", "-"], stdin=rules, timeout=10.0)
        return f"dropped TCP ports {listed} in and out of {host}"

    def undrop_ports(self, host: str) -> str:
        self._dropped.discard(host)
        done = self.connectors[host].run(["nft", "delete", "table", "inet", DROP_TABLE])
        return f"removed the port drops on {host}" if done.ok else f"no port drops on {host}"

    def standby(self, host: str, on: bool) -> str:
        value = "on" if on else "off"
        for runner in [h for h in self.hosts if self.is_on(h)]:
            argv = ["crm_attribute", "--node", host, "--name", "standby", "--update", value]
            if self.run(runner, argv) is not None:
                return f"{host} {'in standby' if on else 'online again'} (Pacemaker)"
        raise errors.DrillAborted(f"no running node could set standby={value} for {host}")

    def stop_cluster(self, host: str, timeout: float = 120.0) -> str:
        """Stop Pacemaker cleanly (its resources leave first), then Corosync: a planned
        stop, which the peers see as a clean leave rather than a node to fence."""
        for process in ("pacemakerd", "corosync"):
            self.connectors[host].run(["pkill", "-TERM", "-x", process], timeout=10.0)

            def gone(p: str = process) -> tuple[bool | None, str]:
                running = self.run(host, ["pgrep", "-x", p]) is not None
                return (None if running else True), f"{p} {'runs' if running else 'stopped'}"

            try:
                wait_until(gone, what=f"{process} on {host} stopped", timeout=timeout)
            except WaitTimeout as error:
                raise errors.DrillAborted(str(error)) from error
        return f"stopped pacemaker and corosync on {host}"

    def run_checked(self, host: str, argv: list[str], timeout: float = 30.0) -> str:
        return self.connectors[host].check(argv, timeout=timeout).stdout

    def redeploy(self) -> list[str]:
        """Run the deployer on the whole deployment; what it changed."""
        return self._redeploy()

    # -- healing ------------------------------------------------------------------------------
    def heal(self, *, redeploy: bool = False) -> list[str]:
        """Undo every fault this target made, power nodes on, and redeploy if needed."""
        said: list[str] = []
        said += [self.undrop_ports(h) for h in sorted(self._dropped) if self.is_on(h)]
        self._dropped.clear()
        said += [self.unmute_bmc(h) for h in sorted(self._muted)]
        said += [self.lab.restore_links(h) for h in sorted(self._cut)]
        self._cut.clear()
        off = [h for h in self.hosts if not self.is_on(h)]
        said += [self.power_on(h) for h in off]
        if off or redeploy:
            said += self._redeploy()
        return said


def configured(addresses: list[InterfaceAddress], vip: str) -> bool:
    """*vip* is configured on any link, up or not: a node with cut links that still has it
    would answer for it the moment its links return, so it counts as a holder."""
    return any(a.address == vip for a in addresses)


def lab_target(
    plan: Plan,
    lab: Lab,
    secrets: SecretStore,
    redeploy: Redeploy,
    connectors: Mapping[str, Connector] | None = None,
) -> Target:
    target = Target(plan, lab, secrets, redeploy)
    if connectors:
        target.connectors.update(connectors)
    return target


class Observed:
    """What the runner's probes have seen so far, for expectations like "writes work again"."""

    def __init__(self) -> None:
        self.probes: list[Probe] = []

    def working_since(self, kind: str, since: float) -> tuple[bool, str]:
        """Every *kind* probe has succeeded (within its client's timeout) since *since*."""
        mine = [p for p in self.probes if p.kind == kind]
        if not mine:
            return True, f"no {kind} probe runs"
        for probe in mine:
            if not [a for a in list(probe.attempts) if a.t >= since and a.ok]:
                return False, f"{probe.probe_name}: no success since the injection yet"
        return True, f"every {kind} probe succeeded again"
