"""The ``applications:`` (or ``services:``) section: charms, unit counts and options."""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from typing import Any

from .. import catalog
from ..catalog import HaModel, ServiceKind
from .document import (
    Report,
    check_keys,
    describe,
    did_you_mean,
    is_list,
    is_mapping,
    is_scalar,
    items,
    join,
    plain,
)
from .model import Application, OptionValue, Source

MAX_UNITS = 1000

# Keys of an application in a Juju bundle or a juju-deployer service. hastack reads the
# first four; the others are Juju's business and are accepted so a bundle loads as it is.
HASTACK_APPLICATION_KEYS = ("charm", "num_units", "options", "to")
JUJU_APPLICATION_KEYS = (
    "constraints",
    "series",
    "base",
    "channel",
    "revision",
    "expose",
    "annotations",
    "bindings",
    "storage",
    "resources",
    "trust",
    "branch",
)
APPLICATION_KEYS = frozenset((*HASTACK_APPLICATION_KEYS, *JUJU_APPLICATION_KEYS))

_APP_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*$")  # Juju's rule
_REVISION = re.compile(r"-\d+$")
_SCHEMES = ("cs:", "ch:", "local:")


@dataclasses.dataclass(frozen=True)
class RawPlacement:
    """One ``to:`` entry as written, resolved later when every application is known."""

    text: str
    path: str
    source: Source | None


def charm_name(text: str) -> str:
    """The bare charm name: ``cs:~user/trusty/keystone-12`` -> ``keystone``."""
    name = text.strip()
    for scheme in _SCHEMES:
        name = name.removeprefix(scheme)
    return _REVISION.sub("", name.rstrip("/").rsplit("/", 1)[-1])


def read_applications(
    report: Report, section: Any, path: str, charm_default: bool, at: Source | None
) -> tuple[dict[str, Application], dict[str, list[RawPlacement]]]:
    """Every application in *section*, and each one's ``to:`` entries as written.

    *charm_default* is juju-deployer's rule: a service without ``charm`` uses its name.
    """
    apps: dict[str, Application] = {}
    placements: dict[str, list[RawPlacement]] = {}
    if not is_mapping(section) or not section:
        report.error(
            path,
            f"{path} is {describe(section)}; it must be a mapping of application names to "
            "their settings, such as `keystone: {charm: keystone, num_units: 3}`.",
            at,
        )
        return apps, placements
    for name, body in items(section):
        app_path = join(path, name)
        at = report.key_at(section, name)
        if not _APP_NAME.match(name):
            report.error(
                app_path,
                f"'{name}' is not a valid application name; use lowercase letters, digits "
                "and hyphens, starting with a letter (as Juju does), such as 'mysql-hacluster'.",
                at,
            )
        if not is_mapping(body):
            report.error(
                app_path,
                f"the application '{name}' is {describe(body)}; it must be a mapping with at "
                f"least `charm:`, such as `charm: {name}`.",
                at,
            )
            continue
        app = _application(report, name, body, app_path, at, charm_default)
        if app is not None:
            apps[name] = app
            placements[name] = _raw_to(report, body, app_path)
    return apps, placements


def _application(
    report: Report, name: str, body: Any, path: str, at: Source | None, charm_default: bool
) -> Application | None:
    check_keys(report, body, path, APPLICATION_KEYS, f"the application '{name}'")
    kind, charm = _charm(report, name, body, path, at, charm_default)
    num_units = _num_units(report, body, path, kind)
    options = _options(report, body, path, kind, charm)
    if charm is None:
        return None
    return Application(name, charm, num_units, options, (), at, _sources(report, body))


def _sources(report: Report, body: Any) -> dict[str, Source]:
    """Where each value of the application *body* was written, by its path below it."""
    found = {key: report.value_at(body, key) for key in HASTACK_APPLICATION_KEYS if key in body}
    options = body.get("options")
    if is_mapping(options):
        found |= {f"options.{key}": report.value_at(options, key) for key, _ in items(options)}
    return {key: source for key, source in found.items() if source is not None}


def _charm(
    report: Report, name: str, body: Any, path: str, at: Source | None, charm_default: bool
) -> tuple[ServiceKind | None, str | None]:
    raw = body.get("charm", name if charm_default else None)
    if raw is None:
        hint = name if catalog.by_charm(name) else "keystone"
        report.error(
            join(path, "charm"),
            f"the application '{name}' has no charm; add `charm: {hint}` to say what it runs.",
            at,
        )
        return None, None
    if not isinstance(raw, str) or not charm_name(raw):
        report.error(
            join(path, "charm"),
            f"charm is {describe(raw)}; it must be a charm name such as 'percona-cluster'.",
            report.value_at(body, "charm"),
        )
        return None, None
    charm = charm_name(raw)
    kind = catalog.by_charm(charm)
    if kind is None:
        closest = catalog.closest_charm(charm)
        hint = f" (did you mean '{closest}'?)" if closest else ""
        written = f" (written '{raw}')" if raw != charm else ""
        report.error(
            join(path, "charm"),
            f"the charm '{charm}'{written} is not one hastack knows{hint}; run "
            "`hastack validate --list-charms` to see every charm hastack can deploy.",
            report.value_at(body, "charm") if "charm" in body else at,
        )
    return kind, charm


def _num_units(report: Report, body: Any, path: str, kind: ServiceKind | None) -> int:
    subordinate = kind is not None and kind.ha_model is HaModel.SUBORDINATE
    value = body.get("num_units", 0 if subordinate else 1)
    where, at = join(path, "num_units"), report.value_at(body, "num_units")
    if isinstance(value, bool) or not isinstance(value, int):
        quoted = isinstance(value, str) and value.strip().isdigit()
        report.error(
            where,
            f"num_units is {describe(value)}; it must be a whole number of units, such as 3"
            + (", written without quotes." if quoted else "."),
            at,
        )
        return 0
    number = int(value)
    if number < 0:
        report.error(
            where,
            f"num_units is {number}, but a count of units cannot be negative; use 1 or more "
            "(or 0 for a subordinate charm such as hacluster).",
            at,
        )
    elif number > MAX_UNITS:
        report.error(
            where,
            f"num_units is {number}, more than the {MAX_UNITS} units hastack deploys for one "
            f"application; use {MAX_UNITS} or fewer.",
            at,
        )
    elif subordinate and number > 0 and kind is not None:
        report.error(
            where,
            f"num_units is {number}, but '{kind.name}' is a subordinate charm: it runs inside "
            "the units of the application it is related to and has no units of its own; "
            "remove num_units.",
            at,
        )
    return max(0, min(number, MAX_UNITS))


def _options(
    report: Report, body: Any, path: str, kind: ServiceKind | None, charm: str | None
) -> dict[str, OptionValue]:
    raw = body.get("options", {})
    where = join(path, "options")
    if raw is None:
        return {}
    if not is_mapping(raw):
        report.error(
            where,
            f"options is {describe(raw)}; it must be a mapping of option names to values, "
            "such as `vip: 198.18.0.100`.",
            report.value_at(body, "options"),
        )
        return {}
    options: dict[str, OptionValue] = {}
    for key, value in items(raw):
        at = report.value_at(raw, key)
        if not is_scalar(value):
            report.error(
                join(where, key),
                f"the option '{key}' is {describe(value)}; a charm option takes one value "
                "(text, a number or a boolean), quoted if it is text.",
                at,
            )
            continue
        options[key] = plain(value)
        if kind is not None and key not in kind.option_names:
            report.warn(
                join(where, key),
                f"the charm '{charm}' has no option '{key}' that hastack understands"
                f"{did_you_mean(key, kind.option_names)}; hastack ignores it.",
                report.key_at(raw, key),
            )
    if "vip" in options:
        _check_vip(report, options["vip"], join(where, "vip"), report.value_at(raw, "vip"))
    return options


def _check_vip(report: Report, value: OptionValue, path: str, at: Source | None) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        report.error(
            path,
            f"vip is {describe(value)}; it must be text holding IPv4 addresses separated by "
            "spaces, such as '198.18.0.100', or '' for no VIP.",
            at,
        )
        return
    for word in value.split():
        try:
            ipaddress.IPv4Address(word)
        except ValueError:
            fix = (
                f"write '{word.split('/')[0]}' and put the prefix length in vip_cidr"
                if "/" in word
                else "write addresses such as 198.18.0.100, separated by spaces ('' means no VIP)"
            )
            report.error(path, f"vip holds '{word}', which is not an IPv4 address; {fix}.", at)


def _raw_to(report: Report, body: Any, path: str) -> list[RawPlacement]:
    raw = body.get("to")
    if raw is None:
        return []
    entries = list(enumerate(raw)) if is_list(raw) else [(-1, raw)]
    out: list[RawPlacement] = []
    for index, entry in entries:
        where = join(path, "to") + (f"[{index}]" if index >= 0 else "")
        at = report.item_at(raw, index) if index >= 0 else report.value_at(body, "to")
        if isinstance(entry, bool) or not isinstance(entry, str | int):
            report.error(
                where,
                f"this placement is {describe(entry)}; write a machine ('0'), a container on "
                "a machine ('lxd:0'), a unit ('keystone/0') or 'new'.",
                at,
            )
            continue
        out.append(RawPlacement(str(entry).strip(), where, at))
    return out
