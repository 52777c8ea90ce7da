"""Drills that take whole nodes away: power off, partition, a mute BMC, a rolling restart.

"Power off" cuts a node's links before it kills it (``Lab.power(node, "off")``), so peers
notice through timeouts, as after a real power loss, not through closed sockets. A fenced
node may come straight back (fencing that reboots): the checks accept "fenced" as either
off or power-cycled, and "settled" as offline or fenced and rejoining.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable

from . import checks
from .base import Action, Drill, Expectation, Hold, Predicate, Step
from .target import Target

FAILOVER_S = 90.0  # a deadline, not a budget: the measured times go into the report
FENCE_S = 120.0


class _OneVictim(Drill):
    """A drill with one victim node chosen in ``prepare``."""

    def __init__(self) -> None:
        self.victim = ""
        self.vip = ""
        self.since = datetime.datetime.now(datetime.UTC)
        self.boot_before: int | None = None

    def avoid(self) -> tuple[str, ...]:
        return (self.victim,) if self.victim else ()

    def budget_subject(self) -> str:
        return self.vip

    def _mark(self, target: Target) -> None:
        """Just before the fault: the victim's boot and the time fencing must come after."""
        self.since = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        self.boot_before = target.boot(self.victim)

    def _settled(self, target: Target, suffix: str = "") -> Expectation:
        return Expectation(
            f"survivors see {self.victim} offline and clean{suffix}",
            checks.fenced_and_settled(target, self.victim, self.since),
            FENCE_S,
        )

    def _fenced(self, target: Target, what: str) -> Expectation:
        return Expectation(
            what, checks.power_cycled(target, self.victim, self.boot_before), FENCE_S, 1.0
        )

    def _first_vip(self, target: Target) -> str:
        vips = target.vip_addresses()
        if not vips:
            raise ValueError("the plan has no VIP")
        return vips[0]


class VipHolderPowerOff(_OneVictim):
    name = "vip-holder-power-off"
    description = "Power off the node holding the first VIP; a survivor must take it over."
    budget = "vip-holder-power-off"
    primary = "tcp"
    checks_clients = True

    def prepare(self, target: Target) -> str:
        self.vip = self._first_vip(target)
        self.victim = target.holder(self.vip) or ""
        return f"{self.victim} holds VIP {self.vip}"

    def inject(self, target: Target) -> str:
        self._mark(target)
        return target.power_off(self.victim)

    def expectations(self, target: Target) -> list[Step]:
        return [
            Expectation(
                f"VIP {self.vip} held by one surviving node",
                checks.vip_on_survivor(target, self.vip, [self.victim]),
                FAILOVER_S,
            ),
            self._settled(target, " (fenced)"),
        ]


class BackendPowerOff(_OneVictim):
    name = "backend-power-off"
    description = (
        "Power off a node that does not hold the first VIP, the one the primary probe uses; "
        "through it the node is only a backend. Its own VIPs (if any) must move to a "
        "survivor, every other VIP must stay where it is."
    )
    budget = "backend-power-off"
    primary = "tcp"

    def __init__(self) -> None:
        super().__init__()
        self.before: dict[str, tuple[str, ...]] = {}
        self.moving: tuple[str, ...] = ()

    def preconditions(self, plan, target: Target) -> list[str]:  # type: ignore[no-untyped-def]
        holders = target.vip_holders()
        first = self._first_vip(target)
        if not set(target.hosts) - set(holders[first]):
            return [f"every node holds VIP {first}"]
        return []

    def prepare(self, target: Target) -> str:
        """The node holding the fewest VIPs among those not holding the first one (the
        last such in host order): on a lab where every node holds some VIP, the victim's
        VIPs move and the first VIP's service only loses a backend."""
        self.vip = self._first_vip(target)
        holders = target.vip_holders()
        held = {h: [v for v, hs in holders.items() if h in hs] for h in target.hosts}
        candidates = [h for h in target.hosts if h not in holders[self.vip]]
        self.victim = min(reversed(candidates), key=lambda h: len(held[h]))
        self.moving = tuple(held[self.victim])
        self.before = {v: hs for v, hs in holders.items() if v not in self.moving}
        if not self.moving:
            return f"{self.victim} holds no VIP"
        return f"{self.victim} holds VIP {', '.join(self.moving)}, not {self.vip}"

    def moved_vips(self) -> tuple[str, ...]:
        return self.moving

    def inject(self, target: Target) -> str:
        self._mark(target)
        return target.power_off(self.victim)

    def expectations(self, target: Target) -> list[Step]:
        moved: list[Step] = [
            Expectation(
                f"VIP {vip} held by one surviving node",
                checks.vip_on_survivor(target, vip, [self.victim]),
                FAILOVER_S,
            )
            for vip in self.moving
        ]
        return [
            *moved,
            self._settled(target, " (fenced)"),
            Hold(
                "every VIP it did not hold stays on its holder",
                checks.vips_stay(target, self.before),
                5.0,
            ),
        ]


class DcPowerOff(_OneVictim):
    name = "dc-power-off"
    description = "Power off the Pacemaker DC; the survivors must elect a new one."
    budget = "backend-power-off"
    primary = "tcp"

    def prepare(self, target: Target) -> str:
        """The DC, and the first VIP it holds: then the drill is a VIP holder's power-off
        and answers to that budget (a DC without a VIP is only a backend)."""
        status = target.cluster_status()
        self.victim = (status.dc if status else None) or ""
        holders = target.vip_holders()
        held = [v for v in target.vip_addresses() if self.victim in holders.get(v, ())]
        if self.victim and held:
            self.vip, self.budget = held[0], "vip-holder-power-off"
            return f"{self.victim} is the DC and holds VIP {', '.join(held)}"
        self.vip = self._first_vip(target)
        return f"{self.victim} is the DC"

    def preconditions(self, plan, target: Target) -> list[str]:  # type: ignore[no-untyped-def]
        status = target.cluster_status()
        return [] if status and status.dc else ["the cluster has no DC to power off"]

    def inject(self, target: Target) -> str:
        self._mark(target)
        return target.power_off(self.victim)

    def expectations(self, target: Target) -> list[Step]:
        return [
            Expectation(
                "a surviving node becomes DC", checks.new_dc(target, self.victim), FAILOVER_S
            ),
            Expectation(
                f"VIP {self.vip} held by one surviving node",
                checks.vip_on_survivor(target, self.vip, [self.victim]),
                FAILOVER_S,
            ),
            self._settled(target, " (fenced)"),
        ]


class PartitionOneNode(_OneVictim):
    name = "partition-one-node"
    description = (
        "Cut the VIP holder's links while it keeps running; the majority must fence it "
        "and take the VIP, the minority must not keep serving."
    )
    budget = "vip-holder-power-off"
    primary = "tcp"

    def prepare(self, target: Target) -> str:
        self.vip = self._first_vip(target)
        self.victim = target.holder(self.vip) or ""
        return f"{self.victim} holds VIP {self.vip}"

    def inject(self, target: Target) -> str:
        self._mark(target)
        return target.cut_links(self.victim, persistent=True)

    def expectations(self, target: Target) -> list[Step]:
        return [
            self._fenced(target, f"{self.victim} fenced: powered off or rebooted through its BMC"),
            Expectation(
                f"VIP {self.vip} held by one surviving node",
                checks.vip_on_survivor(target, self.vip, [self.victim]),
                FAILOVER_S,
            ),
            self._settled(target),
        ]


class PartitionBmcMuted(_OneVictim):
    name = "partition-bmc-muted"
    description = (
        "Mute the VIP holder's BMC, then cut its links: fencing cannot succeed, so its "
        "VIP must not start elsewhere; once the BMC answers it is fenced and the VIP moves."
    )
    primary = "tcp"
    MUTED_S = 25.0

    def prepare(self, target: Target) -> str:
        self.vip = self._first_vip(target)
        self.victim = target.holder(self.vip) or ""
        # only the victim's own VIPs must stay put; other nodes keep theirs all along
        held = target.vip_holders()
        self.victim_vips = sorted(v for v, hosts in held.items() if self.victim in hosts)
        return f"{self.victim} holds VIP {', '.join(self.victim_vips)}"

    def inject(self, target: Target) -> str:
        self._mark(target)
        muted = target.mute_bmc(self.victim)
        return f"{muted}; {target.cut_links(self.victim, persistent=True)}"

    def expectations(self, target: Target) -> list[Step]:
        vips = self.victim_vips
        return [
            Hold(
                f"while its BMC is mute, {self.victim} stays on and no survivor starts its VIPs",
                checks.no_survivor_holds(target, vips, self.victim),
                self.MUTED_S,
                interval_s=1.0,
            ),
            Action(
                f"the BMC of {self.victim} answers again", lambda: target.unmute_bmc(self.victim)
            ),
            self._fenced(target, f"{self.victim} fenced once its BMC answers"),
            Expectation(
                f"VIP {self.vip} held by one surviving node",
                checks.vip_on_survivor(target, self.vip, [self.victim]),
                FAILOVER_S,
            ),
        ]


def _action(description: str, run: Callable[..., str], *args: object) -> Action:
    return Action(description, functools.partial(run, *args))


class RollingRestart(Drill):
    name = "rolling-restart"
    description = (
        "Restart every controller one by one (standby, clean cluster stop, shutdown, power "
        "on, rejoin); "
        "service must continue throughout."
    )
    primary = "tcp"
    HEALTHY_S = 300.0

    def __init__(self) -> None:
        self.done: list[str] = []

    def inject(self, target: Target) -> str:
        return f"rolling restart of {', '.join(target.hosts)}"

    def expectations(self, target: Target) -> list[Step]:
        steps: list[Step] = []
        for host in target.hosts:
            steps += [
                _action(f"{host} to standby", target.standby, host, True),
                Expectation(f"no VIP left on {host}", self._no_vip_on(target, host), FAILOVER_S),
                _action(f"stop Pacemaker, then Corosync on {host}", target.stop_cluster, host),
                Expectation(
                    f"survivors see {host} offline and clean (a planned stop needs no fencing)",
                    checks.offline_and_clean(target, host),
                    FAILOVER_S,
                ),
                _action(f"shut {host} down", target.power_soft, host),
                _action(f"power {host} on", target.power_on, host),
                _action(f"{host} online", target.standby, host, False),
                Expectation(
                    f"all green after {host}, with no deploy (it boots its services)",
                    checks.healthy(target),
                    self.HEALTHY_S,
                    2.0,
                ),
            ]
        return steps

    @staticmethod
    def _no_vip_on(target: Target, host: str) -> Predicate:
        def check() -> tuple[bool, str]:
            held = target.vip_holders()
            on = [vip for vip, hs in held.items() if host in hs]
            seen = "; ".join(f"{v} on {', '.join(hs) or 'nobody'}" for v, hs in held.items())
            return not on and all(len(hs) == 1 for hs in held.values()), seen

        return check

    def restore(self, target: Target) -> list[str]:
        said = [target.standby(h, False) for h in target.hosts if target.is_on(h)]
        return said + target.undo()
