from pathlib import Path

import pytest

from hastack.facts import ParseError
from hastack.facts.network import InterfaceAddress, holds, parse_ip_addr

FIXTURES = Path(__file__).parents[2] / "fixtures" / "facts" / "network"


def load(name: str) -> list[InterfaceAddress]:
    return parse_ip_addr((FIXTURES / f"ip-addr-{name}.json").read_text())


def test_vip_holder() -> None:
    found = load("vip-holder")
    assert InterfaceAddress("eth0", "198.18.0.100", 32, "inet", "UP") in found
    assert InterfaceAddress("lo", "127.0.0.1", 8, "inet", "UNKNOWN") in found
    assert holds(found, "198.18.0.100")
    assert holds(found, "198.18.0.100/32")
    assert not holds(load("no-vip"), "198.18.0.100")


def test_address_on_a_down_link_is_not_held() -> None:
    found = load("vip-holder")
    assert InterfaceAddress("eth1", "198.19.0.11", 24, "inet", "DOWN") in found
    assert not holds(found, "198.19.0.11")


def test_host_capture_has_loopback() -> None:
    assert holds(load("host"), "127.0.0.1")
    assert holds(load("host"), "::1")


def test_bad_input() -> None:
    with pytest.raises(ParseError, match="not JSON"):
        parse_ip_addr("1: lo: <LOOPBACK,UP,LOWER_UP>")
    with pytest.raises(ParseError, match="link entry without 'ifname'"):
        parse_ip_addr("[{}]")
