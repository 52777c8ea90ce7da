"""The bundle's ``hastack:`` section: VIP provider, timer profile, networks, host names."""

from __future__ import annotations

import enum
import ipaddress
import re
from typing import Any, TypeVar

from .document import Report, check_keys, describe, did_you_mean, is_mapping, join
from .model import (
    DEFAULT_NETWORKS,
    Network,
    NetworkRole,
    ProfileName,
    Settings,
    Source,
    VipProvider,
)

SETTINGS_KEYS = frozenset(("vip_provider", "profile", "networks", "machine_prefix"))
_PREFIX = re.compile(r"^[a-z][a-z0-9-]{0,39}$")

E = TypeVar("E", bound=enum.StrEnum)


def read_settings(report: Report, section: Any, path: str, at: Source | None) -> Settings:
    """Settings from a ``hastack:`` mapping; None (no section) gives the defaults."""
    defaults = Settings(networks=dict(DEFAULT_NETWORKS))
    if section is None:
        return defaults
    if not is_mapping(section):
        report.error(
            path,
            f"hastack is {describe(section)}; it must be a mapping such as "
            "`{vip_provider: pacemaker, profile: reference}`.",
            at,
        )
        return defaults
    check_keys(report, section, path, SETTINGS_KEYS, "the hastack section")
    return Settings(
        vip_provider=_choice(report, section, path, "vip_provider", VipProvider, defaults),
        profile=_choice(report, section, path, "profile", ProfileName, defaults),
        networks=_networks(report, section, join(path, "networks")),
        machine_prefix=_prefix(report, section, path, defaults.machine_prefix),
    )


def _choice(
    report: Report, section: Any, path: str, key: str, enum_type: type[E], defaults: Settings
) -> E:
    default: E = getattr(defaults, key)
    value = section.get(key)
    if value is None:
        return default
    names = [member.value for member in enum_type]
    if isinstance(value, str) and value in names:
        return enum_type(value)
    hint = did_you_mean(value, names) if isinstance(value, str) else ""
    report.error(
        join(path, key),
        f"{key} is {describe(value)}{hint}; use one of {', '.join(repr(n) for n in names)}.",
        report.value_at(section, key),
    )
    return default


def _prefix(report: Report, section: Any, path: str, default: str) -> str:
    value = section.get("machine_prefix", default)
    if isinstance(value, str) and _PREFIX.match(value):
        return value
    report.error(
        join(path, "machine_prefix"),
        f"machine_prefix is {describe(value)}; it starts every host name, so use lowercase "
        "letters, digits and hyphens, starting with a letter, such as 'ctl-'.",
        report.value_at(section, "machine_prefix"),
    )
    return default


def _networks(report: Report, section: Any, path: str) -> dict[NetworkRole, Network]:
    """The networks given, over the defaults for management and external."""
    networks = dict(DEFAULT_NETWORKS)
    raw = section.get("networks")
    if raw is None:
        return networks
    if not is_mapping(raw):
        report.error(
            path,
            f"networks is {describe(raw)}; it must map network roles to their cidr, such as "
            "`management: {cidr: 198.18.0.0/24}`.",
            report.value_at(section, "networks"),
        )
        return networks
    check_keys(report, raw, path, [r.value for r in NetworkRole], "networks")
    for role in NetworkRole:
        if role.value in raw:
            network = _network(report, raw, role, join(path, role.value))
            if network is not None:
                networks[role] = network
    return networks


def _network(report: Report, raw: Any, role: NetworkRole, path: str) -> Network | None:
    body = raw[role.value]
    if not is_mapping(body) or "cidr" not in body:
        report.error(
            path,
            f"the {role.value} network is {describe(body)}; give its address range as "
            "`cidr: 198.18.0.0/24`.",
            report.value_at(raw, role.value),
        )
        return None
    check_keys(report, body, path, ["cidr"], f"the {role.value} network")
    cidr, at = body["cidr"], report.value_at(body, "cidr")
    where = join(path, "cidr")
    text = cidr.strip() if isinstance(cidr, str) else ""
    try:
        if "/" not in text:
            raise ValueError("no prefix length")
        return Network(role, ipaddress.IPv4Network(text, strict=True))
    except ValueError as error:
        if "has host bits set" in str(error):
            network = ipaddress.IPv4Network(text, strict=False)
            fix = f"it has host bits set; write the network address, {network}"
        else:
            fix = "write an IPv4 network as address/prefix length, such as 198.18.0.0/24"
        report.error(where, f"cidr is {describe(cidr)}, which is not a network: {fix}.", at)
        return None
