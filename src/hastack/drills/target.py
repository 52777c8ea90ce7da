"""What a drill acts on: the deployment (plan, connectors, secrets) and the lab's power,
links and BMCs. Drills ask for effects here; only this module runs the commands.

``undo()`` takes back what this target did and nothing else: port drops removed, BMCs
answering, links restored, the nodes *it* powered off powered on. A node the cluster fenced
is not touched (fencing reboots it, or the bundle chose ``off``), and the deployer is not
within reach: a target has no way to run it, so whatever comes back after ``undo()`` came
back by itself.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Mapping, Sequence
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

DROP_TABLE = "hastack_drill"


class Target:
    """A deployed lab: the only place drills reach the nodes through."""

    is_lab = True

    def __init__(self, plan: Plan, lab: Lab, secrets: SecretStore) -> None:
        self.plan = plan
        self.lab = lab
        self.secrets = secrets
        self.connectors: dict[str, Connector] = {h.name: lab.connector(h.name) for h in plan.hosts}
        self._off: set[str] = set()  # nodes this target powered off
        self._cut: set[str] = set()
        self._muted: set[str] = set()
        self._dropped: set[str] = set()
        self.observed = Observed()
        self.queue = ""  # the drill's quorum queue, once the runner declared it
        # when a power-off cut the links (monotonic): requests a node was serving then are
        # lost with it; the measurement tells them from those sent after
        self.cut_at: float | None = None

    # -- observing ----------------------------------------------------------------------------
    @property
    def hosts(self) -> tuple[str, ...]:
        return tuple(h.name for h in self.plan.hosts)

    def vip_addresses(self) -> tuple[str, ...]:
        return tuple(str(v.address) for c in self.plan.clusters for v in c.vips)

    def is_on(self, host: str) -> bool:
        return self.lab.power(host, "status").endswith(" on")

    def boot(self, host: str) -> int | None:
        """Which boot of *host* runs now (its init's PID), or None while it is off: a node
        power-cycled by its BMC answers with another value."""
        return next((s.init_pid for s in self.lab.status() if s.name == host), None)

    def fenced_since(self, host: str, since: datetime.datetime) -> str | None:
        """How the survivors fenced *host* since *since* ("reboot by ctl-2"), or None."""
        status = self.cluster_status(exclude=(host,))
        for event in status.fence_history if status else ():
            if event.target == host and event.status == "success":
                done = completed_at(event.completed)
                if done is not None and done >= since:
                    return f"{event.action} by {event.delegate or event.origin}"
        return None

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
        """Links cut (the moment of the fault, noted), then the node killed."""
        self._off.add(host)
        self.lab.cut_links(host)  # power on brings them up again
        self.cut_at = time.monotonic()
        return self.lab.power(host, "off")

    def power_off_together(self, hosts: Sequence[str]) -> str:
        """Power off *hosts* as one event: every one's links cut first, then each killed, so
        no survivor sees them go one by one (and fences the first with the second's help)."""
        self._off.update(hosts)
        for host in hosts:
            self.lab.cut_links(host)  # power on brings them up again
        self.cut_at = time.monotonic()
        return "; ".join(self.lab.power(h, "off") for h in hosts)

    def power_soft(self, host: str) -> str:
        self._off.add(host)
        return self.lab.power(host, "soft")

    def power_on(self, host: str) -> str:
        self._off.discard(host)
        return self.lab.power(host, "on")

    def cut_links(self, host: str, *, persistent: bool = False) -> str:
        """Pull *host*'s cables; *persistent*: they stay out across its power cycles, as a
        dead switch port does when fencing reboots the node."""
        self._cut.add(host)
        return self.lab.cut_links(host, persistent=persistent)

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
        stop, which the peers see as a clean leave rather than a node to fence. A node that
        runs systemd is asked through it, as an operator would."""
        if self.run(host, ["test", "-d", "/run/systemd/system"]) is not None:
            argv = ["systemctl", "stop", "pacemaker.service", "corosync.service"]
            done = self.connectors[host].run(argv, timeout=timeout)
            if not done.ok:
                raise errors.DrillAborted(
                    f"could not stop the cluster on {host}: {done.stderr.strip()}"
                )
            return f"stopped pacemaker and corosync on {host} (systemctl stop)"
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

    # -- undoing ------------------------------------------------------------------------------
    def undo(self) -> list[str]:
        """Take back every fault this target made: port drops, mute BMCs, cut links, and
        power on the nodes it powered off (still off: fencing did not power them on)."""
        said: list[str] = []
        said += [self.undrop_ports(h) for h in sorted(self._dropped) if self.is_on(h)]
        self._dropped.clear()
        said += [self.unmute_bmc(h) for h in sorted(self._muted)]
        said += [self.lab.restore_links(h) for h in sorted(self._cut)]
        self._cut.clear()
        for host in sorted(self._off):
            said.append(self.power_on(host) if not self.is_on(host) else f"{host} is on again")
        self._off.clear()
        return said


def completed_at(text: str) -> datetime.datetime | None:
    """A fence event's ``completed`` ("2026-11-22 01:32:38Z", fractions and offsets
    accepted; no zone read as UTC), or None when it is not a time."""
    try:
        found = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return found if found.tzinfo else found.replace(tzinfo=datetime.UTC)


def configured(addresses: list[InterfaceAddress], vip: str) -> bool:
    """*vip* is configured on any link, up or not: a node with cut links that still has it
    would answer for it the moment its links return, so it counts as a holder."""
    return any(a.address == vip for a in addresses)


def lab_target(
    plan: Plan,
    lab: Lab,
    secrets: SecretStore,
    connectors: Mapping[str, Connector] | None = None,
) -> Target:
    target = Target(plan, lab, secrets)
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
