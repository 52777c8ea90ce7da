"""``ip -j addr`` → ``InterfaceAddress`` per address."""

from __future__ import annotations

import dataclasses
import ipaddress
import json
from collections.abc import Iterable

from . import Fact, ParseError

_SOURCE = "`ip -j addr` JSON"


@dataclasses.dataclass(frozen=True)
class InterfaceAddress:
    ifname: str
    address: str
    prefixlen: int
    family: str  # "inet", "inet6"
    state: str  # operstate of the link: "UP", "DOWN", "UNKNOWN" (loopback)

    @property
    def usable(self) -> bool:
        """The address answers: its link is not DOWN."""
        return self.state != "DOWN"


def parse_ip_addr(json_text: str) -> list[InterfaceAddress]:
    try:
        links = json.loads(json_text)
    except json.JSONDecodeError as exc:
        raise ParseError(_SOURCE, f"not JSON ({exc.msg}); was `ip -j addr` used?") from exc
    if not isinstance(links, list):
        raise ParseError(_SOURCE, "expected a JSON list of links")
    found = []
    for link in links:
        if not isinstance(link, dict) or "ifname" not in link:
            raise ParseError(_SOURCE, f"link entry without 'ifname': {link!r:.80}")
        for info in link.get("addr_info", ()):
            if "local" not in info:
                continue
            found.append(
                InterfaceAddress(
                    ifname=str(link["ifname"]),
                    address=str(info["local"]),
                    prefixlen=int(info.get("prefixlen", 0)),
                    family=str(info.get("family", "")),
                    state=str(link.get("operstate", "UNKNOWN")),
                )
            )
    return found


IP_ADDR: Fact[list[InterfaceAddress]] = Fact(
    "the network addresses", ("ip", "-j", "addr"), parse_ip_addr
)


def holds(addresses: Iterable[InterfaceAddress], vip: str) -> bool:
    """True when *vip* is configured on a link that is not DOWN."""
    wanted = ipaddress.ip_address(vip.split("/", 1)[0])
    return any(a.usable and ipaddress.ip_address(a.address) == wanted for a in addresses)
