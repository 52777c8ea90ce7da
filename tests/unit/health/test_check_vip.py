from pathlib import Path

from hastack.facts.network import InterfaceAddress, parse_ip_addr
from hastack.health.status import Status
from hastack.health.vip import ExpectedVip, evaluate_vips

FIXTURES = Path(__file__).parents[2] / "fixtures" / "facts" / "network"
VIP = ExpectedVip("internal", "198.18.0.100")


def load(name: str) -> list[InterfaceAddress]:
    return parse_ip_addr((FIXTURES / f"ip-addr-{name}.json").read_text())


def test_one_holder() -> None:
    addresses = {"ctl-1": load("vip-holder"), "ctl-2": load("no-vip"), "ctl-3": load("no-vip")}
    [result] = evaluate_vips(addresses, [VIP])
    assert (result.subject, result.status, result.message) == (
        "internal",
        Status.OK,
        "VIP internal (198.18.0.100) is held by ctl-1",
    )
    assert result.evidence == {"address": "198.18.0.100", "holders": "ctl-1"}


def test_no_holder_is_down() -> None:
    [result] = evaluate_vips({"ctl-1": load("no-vip"), "ctl-2": load("no-vip")}, [VIP])
    assert (result.status, result.message) == (
        Status.DOWN,
        "VIP internal (198.18.0.100) is held by no node; check `crm status` for its resource",
    )


def test_no_holder_among_reachable() -> None:
    [result] = evaluate_vips({"ctl-1": load("no-vip")}, [VIP], unreachable=["ctl-3", "ctl-2"])
    assert result.message == (
        "VIP internal (198.18.0.100) is held by none of the reachable nodes (ctl-2, ctl-3 did"
        " not answer); check `crm status` for its resource and the unreachable nodes"
    )


def test_two_holders_is_split_brain() -> None:
    addresses = {"ctl-2": load("vip-holder"), "ctl-1": load("vip-holder")}
    [result] = evaluate_vips(addresses, [VIP])
    assert (result.status, result.message) == (
        Status.DOWN,
        "VIP internal (198.18.0.100) is held by ctl-1 and ctl-2 at once (split brain); clients"
        " reach different nodes — check the cluster membership and fence the node that lost it",
    )
