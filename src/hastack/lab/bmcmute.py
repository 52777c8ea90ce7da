"""Make one node's BMC stop answering, as a BMC whose network port died would.

The lab's BMCs are one daemon serving every node; muting one of them is an nftables rule on
the host that drops IPMI (UDP 623) to that BMC's address. Fence requests for the node then
time out inside ``fence_ipmilan``, exactly as against an unreachable BMC. The rules live in
one table of their own, each tagged with its address, so unmuting removes only its rule and
the table goes away with the last one.
"""

from __future__ import annotations

import json

from .proc import host_run

TABLE = "hastack_bmc_mute"
CHAIN = "input"
IPMI_PORT = 623


def comment(address: str) -> str:
    return f"hastack mute bmc {address}"


def setup_argv() -> list[list[str]]:
    """Create the table and its input chain (``nft add`` is idempotent for both)."""
    return [
        ["nft", "add", "table", "inet", TABLE],
        [
            "nft", "add", "chain", "inet", TABLE, CHAIN,
            "{ type filter hook input priority 0 ; policy accept ; }",
        ],
    ]  # fmt: skip


def drop_argv(address: str) -> list[str]:
    return [
        "nft", "add", "rule", "inet", TABLE, CHAIN, "ip", "daddr", address,
        "udp", "dport", str(IPMI_PORT), "drop", "comment", f'"{comment(address)}"',
    ]  # fmt: skip


def rule_handles(nft_json: str, address: str | None = None) -> dict[str, int]:
    """Muted BMC address -> rule handle, from ``nft -j list chain`` (only *address* if set)."""
    try:
        items = json.loads(nft_json or "{}").get("nftables", [])
    except (json.JSONDecodeError, AttributeError):
        return {}
    prefix = comment("")
    found: dict[str, int] = {}
    for item in items:
        rule = item.get("rule") if isinstance(item, dict) else None
        text = str(rule.get("comment", "")) if rule else ""
        if rule and text.startswith(prefix):
            muted = text.removeprefix(prefix)
            if address is None or muted == address:
                found[muted] = int(rule["handle"])
    return found


def _listed() -> str:
    done = host_run(["nft", "-j", "list", "chain", "inet", TABLE, CHAIN], check=False)
    return done.stdout if done.returncode == 0 else ""


def muted() -> set[str]:
    """BMC addresses muted on this machine (any lab's)."""
    return set(rule_handles(_listed()))


def mute(address: str) -> str:
    if address in muted():
        return f"the BMC at {address} is already muted"
    for argv in [*setup_argv(), drop_argv(address)]:
        host_run(argv)
    return f"muted the BMC at {address} (IPMI to UDP {IPMI_PORT} is dropped)"


def unmute(address: str) -> str:
    handles = rule_handles(_listed(), address)
    for handle in handles.values():
        host_run(["nft", "delete", "rule", "inet", TABLE, CHAIN, "handle", str(handle)])
    if not rule_handles(_listed()):
        host_run(["nft", "delete", "table", "inet", TABLE], check=False)
    if not handles:
        return f"the BMC at {address} was not muted"
    return f"the BMC at {address} answers again"
