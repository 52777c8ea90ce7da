"""The ``machines:`` section and every application's ``to:`` placements."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from .. import catalog
from ..catalog import HaModel
from .applications import RawPlacement
from .document import Report, check_keys, describe, did_you_mean, is_mapping, items, join
from .model import Application, Machine, Placement, Source

MAX_MACHINES = 10000
MACHINE_KEYS = frozenset(("constraints", "series", "base", "annotations", "zone"))
CONTAINERS = ("lxc", "lxd")

_PLACEMENT = re.compile(r"^(?:(?P<container>[a-z]+):)?(?P<target>[^:\s]+)$")
_UNIT = re.compile(r"^(?P<app>[a-z][a-z0-9-]*)/(?P<index>\d+)$")


def read_machines(
    report: Report, section: Any, path: str, at: Source | None
) -> dict[str, Machine]:
    """The machines of a ``machines:`` mapping, keyed by their Juju id ("0", "1"...)."""
    if not is_mapping(section):
        report.error(
            path,
            f"machines is {describe(section)}; it must be a mapping of machine ids to their "
            'settings, such as `"0": {zone: az1}`.',
            at,
        )
        return {}
    if len(section) > MAX_MACHINES:
        report.error(
            path,
            f"machines lists {len(section)} machines, more than the {MAX_MACHINES} hastack "
            f"plans for; split the deployment or list {MAX_MACHINES} or fewer.",
            at,
        )
        return {}
    machines: dict[str, Machine] = {}
    for name, body in items(section):
        machine = _machine(report, section, name, body, join(path, name))
        if machine is not None:
            machines[name] = machine
    return machines


def _machine(report: Report, section: Any, name: str, body: Any, path: str) -> Machine | None:
    at = report.key_at(section, name)
    if not name.isdigit():
        report.error(
            path,
            f'\'{name}\' is not a machine id; Juju machine ids are whole numbers ("0", "1", '
            '...), and hastack names the hosts itself (machine "0" becomes ctl-1).',
            at,
        )
        return None
    if body is None:
        return Machine(name, None, at)
    if not is_mapping(body):
        report.error(
            path,
            f"machine '{name}' is {describe(body)}; it must be a mapping such as "
            "`{zone: az1}`, or empty.",
            at,
        )
        return None
    check_keys(report, body, path, MACHINE_KEYS, f"machine '{name}'")
    return Machine(name, _zone(report, body, path), at)


def _zone(report: Report, body: Any, path: str) -> str | None:
    """The failure domain: ``zone:``, or a single value of the ``zones=`` constraint."""
    zone = body.get("zone")
    if zone is not None and (isinstance(zone, bool) or not isinstance(zone, str | int)):
        report.error(
            join(path, "zone"),
            f"zone is {describe(zone)}; it must be the name of a failure domain, such as 'az1'.",
            report.value_at(body, "zone"),
        )
        zone = None
    constraints = body.get("constraints")
    if constraints is None:
        return None if zone is None else str(zone)
    if not isinstance(constraints, str):
        report.error(
            join(path, "constraints"),
            f"constraints is {describe(constraints)}; it must be Juju constraint text, such as "
            "'mem=8G zones=az1'.",
            report.value_at(body, "constraints"),
        )
        return None if zone is None else str(zone)
    zones = [w.removeprefix("zones=") for w in constraints.split() if w.startswith("zones=")]
    if not zones:
        return None if zone is None else str(zone)
    if "," in zones[0] or (zone is not None and str(zone) != zones[0]):
        report.error(
            join(path, "constraints"),
            f"constraints say zones={zones[0]}, but hastack needs exactly one zone per "
            f"machine{'' if zone is None else f' and zone says {zone}'}; keep a single zone.",
            report.value_at(body, "constraints"),
        )
    return zones[0].split(",")[0]


def place(
    report: Report,
    apps: Mapping[str, Application],
    raw: Mapping[str, list[RawPlacement]],
    machines: Mapping[str, Machine] | None,
) -> dict[str, Application]:
    """*apps* with their ``to:`` resolved; *machines* is None when the bundle has none."""
    resolver = _Resolver(report, apps, raw, machines)
    placed: dict[str, Application] = {}
    for name, app in apps.items():
        entries = raw.get(name, [])
        if entries and not resolver.check_count(app, entries):
            placed[name] = app
            continue
        found = [resolver.resolve(entry) for entry in entries]
        to = tuple(p for p in found if p is not None)
        placed[name] = dataclasses.replace(app, to=to)
    return placed


class _Resolver:
    def __init__(
        self,
        report: Report,
        apps: Mapping[str, Application],
        raw: Mapping[str, list[RawPlacement]],
        machines: Mapping[str, Machine] | None,
    ) -> None:
        self.report, self.apps, self.raw, self.machines = report, apps, raw, machines
        self.done: dict[str, Placement | None] = {}

    def check_count(self, app: Application, entries: list[RawPlacement]) -> bool:
        kind = catalog.by_charm(app.charm)
        first = entries[0]
        if kind is not None and kind.ha_model is HaModel.SUBORDINATE:
            self.report.error(
                first.path,
                f"'{app.name}' runs the subordinate charm '{app.charm}', which lives inside "
                "the units of the application it is related to; remove its `to:`.",
                first.source,
            )
            return False
        if len(entries) > app.num_units:
            extra = entries[app.num_units]
            self.report.error(
                extra.path,
                f"to lists {len(entries)} placements but num_units is {app.num_units}; list at "
                f"most {app.num_units}, or raise num_units to {len(entries)}.",
                extra.source,
            )
            return False
        return True

    def resolve(self, entry: RawPlacement) -> Placement | None:
        """The placement *entry* means; each entry is resolved (and reported) once.

        An entry met again while it is being resolved (``a/0`` -> ``b/0`` -> ``a/0``)
        counts as unresolved.
        """
        if entry.path not in self.done:
            self.done[entry.path] = None
            self.done[entry.path] = self._resolve(entry)
        return self.done[entry.path]

    def _resolve(self, entry: RawPlacement) -> Placement | None:
        match = _PLACEMENT.match(entry.text)
        container = match.group("container") if match else None
        target = match.group("target") if match else ""
        unit = _UNIT.match(target)
        if container is not None and container not in CONTAINERS:
            pass
        elif target == "new" or target.isdigit():
            return self._machine(entry, target, container)
        elif unit is not None:
            return self._unit(entry, unit.group("app"), int(unit.group("index")), container)
        self._error(
            entry,
            f"'{entry.text}' is not a placement hastack understands; write a machine ('0'), "
            "a container on a machine ('lxd:0'), a unit ('keystone/0') or 'new'.",
        )
        return None

    def _machine(self, entry: RawPlacement, target: str, container: str | None) -> Placement:
        machines = self.machines
        if machines is not None and target != "new" and target not in machines:
            listed = ", ".join(list(machines)[:10]) or "none"
            self._error(
                entry,
                f"'{entry.text}' places a unit on machine '{target}', which is not in "
                f"`machines:` (it lists {listed}); add machine '{target}' there or place the "
                "unit on a listed machine.",
            )
        return Placement(target, container)

    def _unit(
        self, entry: RawPlacement, app: str, index: int, container: str | None
    ) -> Placement | None:
        unit = f"{app}/{index}"
        if app not in self.apps:
            self._error(
                entry,
                f"'{entry.text}' places a unit next to {unit}, but there is no application "
                f"'{app}'{did_you_mean(app, self.apps)}; name an application in this file.",
            )
            return None
        others = self.raw.get(app, [])
        if index >= len(others):
            self._error(entry, self._unplaced(entry, unit, "has no placement in this file"))
            return None
        found = self.resolve(others[index])
        if found is not None and found.container is None and found.machine != "new":
            return Placement(found.machine, container)
        why = "has no machine of its own"
        if found is not None:
            why = (
                f"is itself in a container ('{found}')"
                if found.container
                else "goes to a new machine"
            )
        self._error(entry, self._unplaced(entry, unit, why))
        return None

    def _unplaced(self, entry: RawPlacement, unit: str, why: str) -> str:
        return (
            f"'{entry.text}' places a unit next to {unit}, but {unit} {why}, which hastack "
            "cannot follow; place the unit on a machine number instead, such as '0' or 'lxd:0'."
        )

    def _error(self, entry: RawPlacement, message: str) -> None:
        self.report.error(entry.path, message, entry.source)
