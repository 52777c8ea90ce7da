"""The bundle's ``hastack:`` section: VIP provider, timer profile, networks, host names,
fencing."""

from __future__ import annotations

import enum
import ipaddress
import re
from typing import Any, TypeVar

from .document import Report, check_keys, describe, did_you_mean, is_mapping, join
from .model import (
    DEFAULT_NETWORKS,
    FenceLoopGuard,
    Fencing,
    FencingAction,
    Network,
    NetworkRole,
    ProfileName,
    Settings,
    Source,
    VipProvider,
)

SETTINGS_KEYS = frozenset(("vip_provider", "profile", "networks", "machine_prefix", "fencing"))
FENCING_KEYS = ("action", "loop_guard")
LOOP_GUARD_KEYS = ("fencings", "minutes")
LOOP_GUARD_LIMITS = {"fencings": (2, 100), "minutes": (1, 1440)}
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
        fencing=_fencing(report, section, join(path, "fencing")),
    )


def _choice(
    report: Report, section: Any, path: str, key: str, enum_type: type[E], defaults: object
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


def _fencing(report: Report, section: Any, path: str) -> Fencing:
    """``fencing: {action: reboot|off, loop_guard: {fencings: N, minutes: M}}``."""
    defaults = Fencing()
    raw = section.get("fencing")
    if raw is None:
        return defaults
    if not is_mapping(raw):
        report.error(
            path,
            f"fencing is {describe(raw)}; it must be a mapping such as `{{action: reboot}}` "
            "(or `{action: off}` to leave a fenced node powered off).",
            report.value_at(section, "fencing"),
        )
        return defaults
    check_keys(report, raw, path, FENCING_KEYS, "fencing")
    return Fencing(
        action=_choice(report, raw, path, "action", FencingAction, defaults),
        loop_guard=_loop_guard(report, raw, join(path, "loop_guard")),
    )


def _loop_guard(report: Report, fencing: Any, path: str) -> FenceLoopGuard | None:
    raw = fencing.get("loop_guard")
    if raw is None:
        return None
    if not is_mapping(raw) or set(LOOP_GUARD_KEYS) - set(raw):
        report.error(
            path,
            f"loop_guard is {describe(raw)}; give both limits, such as "
            "`{fencings: 4, minutes: 10}`: a node fenced 4 times within 10 minutes is left off.",
            report.value_at(fencing, "loop_guard"),
        )
        return None
    check_keys(report, raw, path, LOOP_GUARD_KEYS, "loop_guard")
    fencings, minutes = (_bounded(report, raw, path, key) for key in LOOP_GUARD_KEYS)
    if fencings is None or minutes is None:
        return None
    return FenceLoopGuard(fencings, minutes)


def _bounded(report: Report, raw: Any, path: str, key: str) -> int | None:
    value = raw[key]
    low, high = LOOP_GUARD_LIMITS[key]
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    why = {
        "fencings": "a single fencing is no loop, and a node must be let back at least once",
        "minutes": "the window the fencings are counted in",
    }[key]
    report.error(
        join(path, key),
        f"{key} is {describe(value)}; use a whole number from {low} to {high} ({why}).",
        report.value_at(raw, key),
    )
    return None
