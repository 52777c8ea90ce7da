"""vip.single-holder: every VIP is configured on exactly one node."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence

from ..facts.network import InterfaceAddress, holds
from .status import CheckResult, Status

CHECK = "vip.single-holder"


@dataclasses.dataclass(frozen=True)
class ExpectedVip:
    name: str  # "internal", "public", or the Pacemaker resource id
    address: str  # "198.18.0.100"


def evaluate_vips(
    addresses: Mapping[str, Sequence[InterfaceAddress]],
    vips: Sequence[ExpectedVip],
    unreachable: Collection[str] = (),
) -> list[CheckResult]:
    """Judge each VIP from every reachable node's ``ip -j addr``.

    Zero holders is DOWN (the VIP does not answer), two or more is DOWN (split brain: clients
    reach different nodes through one address).
    """
    return [_vip(vip, addresses, unreachable) for vip in vips]


def _vip(
    vip: ExpectedVip,
    addresses: Mapping[str, Sequence[InterfaceAddress]],
    unreachable: Collection[str],
) -> CheckResult:
    holders = sorted(node for node, found in addresses.items() if holds(found, vip.address))
    label = f"VIP {vip.name} ({vip.address})"
    evidence = {"address": vip.address, "holders": ", ".join(holders)}
    if unreachable:
        evidence["unreachable"] = ", ".join(sorted(unreachable))
    if len(holders) == 1:
        return CheckResult(
            CHECK, vip.name, Status.OK, f"{label} is held by {holders[0]}", evidence
        )
    if len(holders) > 1:
        message = (
            f"{label} is held by {' and '.join(holders)} at once (split brain); clients reach"
            " different nodes — check the cluster membership and fence the node that lost it"
        )
        return CheckResult(CHECK, vip.name, Status.DOWN, message, evidence)
    if unreachable:
        where = ", ".join(sorted(unreachable))
        message = (
            f"{label} is held by none of the reachable nodes ({where} did not answer);"
            " check `crm status` for its resource and the unreachable nodes"
        )
    else:
        message = f"{label} is held by no node; check `crm status` for its resource"
    return CheckResult(CHECK, vip.name, Status.DOWN, message, evidence)
