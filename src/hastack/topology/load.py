"""The only file parser: a bundle file in, a structurally valid ``Topology`` out.

Three shapes are accepted and told apart by their top-level keys:

* ``hastack``: a Juju bundle with hastack's own ``hastack:`` mapping (networks, VIP provider,
  timer profile, host name prefix);
* ``juju-bundle``: a Juju bundle as it is (``applications:`` or the older ``services:``,
  ``machines:``, ``relations:``);
* ``juju-deployer``: named deployments (``{series, inherits, services, relations}``).

Every problem is collected and raised at once as a ``TopologyError``; warnings (charm options
hastack does not understand) travel on ``Topology.warnings``. Semantic checks (quorum,
VIPs inside networks, placement rules) are the planner's.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from ..errors import Finding, TopologyError
from .applications import RawPlacement, read_applications
from .deployer import flatten, looks_like_deployer
from .document import Report, check_keys, describe, is_mapping, join, parse
from .model import Application, Topology
from .placement import place, read_machines
from .relations import read_relations
from .settings import read_settings

MAX_BYTES = 10 * 1024 * 1024

# Top-level keys of a bundle: hastack reads the first five; Juju's others are accepted.
READ_KEYS = ("applications", "services", "machines", "relations", "hastack")
BUNDLE_KEYS = frozenset((*READ_KEYS, "name", "series", "default-base", "description", "bundle"))


def load(path: str | Path) -> Topology:
    """The topology in the bundle file at *path*; raises TopologyError with every finding."""
    file = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise TopologyError([_too_big(size, file)])
        data = Path(path).read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        message = f"cannot read the file: {reason}; check the path and its permissions."
        raise TopologyError([Finding("", message, file)]) from None
    return loads(_decode(data, file), file)


def loads(text: str, file: str | None = None) -> Topology:
    """The topology in *text* (a bundle's YAML); *file* only names it in findings."""
    report = Report(file)
    doc = _document(report, text)
    if doc is None:
        raise report.stop()
    topology = _topology(report, doc, file)
    if report.errors():
        raise report.stop()
    return dataclasses.replace(topology, warnings=report.warnings())


def _too_big(size: int, file: str | None) -> Finding:
    return Finding(
        "",
        f"the file is {size / 1024 / 1024:.1f} MiB, more than the {MAX_BYTES // 1024 // 1024} "
        "MiB a bundle may be; is this the right file?",
        file,
    )


def _decode(data: bytes, file: str) -> str:
    if b"\x00" in data:
        raise TopologyError([_binary(file)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = (
            f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} cannot be decoded); "
            "save it as UTF-8."
        )
        raise TopologyError([Finding("", message, file, line)]) from None


def _binary(file: str | None) -> Finding:
    return Finding(
        "", "the file is binary (it holds NUL bytes), not YAML; give hastack a bundle file.", file
    )


def _document(report: Report, text: str) -> Any:
    """The top-level mapping of *text*, or None after a finding about why there is none."""
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        report.findings.append(_too_big(len(text.encode("utf-8", "surrogatepass")), report.file))
        return None
    if "\x00" in text:
        report.findings.append(_binary(report.file))
        return None
    doc = parse(text, report)
    if doc is None or report.errors():
        return None
    if not is_mapping(doc):
        report.error(
            "",
            f"the top level of the file is {describe(doc)}, not a mapping; a bundle starts "
            "with keys such as `applications:` and `relations:`.",
            report.node_at(doc),
        )
        return None
    return doc


def _shape(report: Report, doc: Any) -> tuple[str, str, Any, str]:
    """The format, the bundle's name, the mapping holding its sections, and their path."""
    if looks_like_deployer(doc, BUNDLE_KEYS - {"hastack"}):
        name, body = flatten(report, doc, frozenset(("hastack",)))
        return "juju-deployer", name, body, name
    check_keys(report, doc, "", BUNDLE_KEYS, "the top level of a bundle")
    fmt = "hastack" if "hastack" in doc else "juju-bundle"
    return fmt, str(doc.get("name") or ""), doc, ""


def _topology(report: Report, doc: Any, file: str | None) -> Topology:
    fmt, name, body, base = _shape(report, doc)
    key = _applications_key(report, body, base)
    section = body.get(key) if key else None
    apps: dict[str, Application] = {}
    raw: dict[str, list[RawPlacement]] = {}
    if key:
        at = report.value_at(body, key)
        deployer = fmt == "juju-deployer"
        apps, raw = read_applications(report, section, join(base, key), deployer, at)
    machines = None
    if body.get("machines") is not None:
        at = report.value_at(body, "machines")
        machines = read_machines(report, body["machines"], join(base, "machines"), at)
    names = [str(k) for k in section] if section is not None and is_mapping(section) else []
    at = report.value_at(body, "relations")
    relations = read_relations(report, body.get("relations"), join(base, "relations"), names, at)
    return Topology(
        name=name or (Path(file).stem if file else "bundle"),
        file=file,
        applications=place(report, apps, raw, machines),
        machines=machines or {},
        relations=relations,
        settings=read_settings(
            report, doc.get("hastack"), "hastack", report.value_at(doc, "hastack")
        ),
        format=fmt,
    )


def _applications_key(report: Report, body: Any, base: str) -> str | None:
    """``applications`` or the older ``services``; a finding when neither or both are given."""
    if "applications" in body and "services" in body:
        report.error(
            join(base, "services"),
            "the bundle has both `applications:` and `services:` (the older name for the same "
            "thing); move every application under `applications:`.",
            report.key_at(body, "services"),
        )
    if "applications" in body or "services" in body:
        return "applications" if "applications" in body else "services"
    where = "the deployment" if base else "the bundle"
    report.error(
        join(base, "services" if base else "applications"),
        f"{where} has no `{'services' if base else 'applications'}:` section; add one that "
        "maps application names to charms, such as `keystone: {charm: keystone, num_units: 3}`.",
        report.node_at(body),
    )
    return None
