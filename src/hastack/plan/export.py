"""The plan as plain data, for ``hastack plan --json`` and reports."""

from __future__ import annotations

from typing import Any

from ..errors import Finding
from .model import FailoverBudget, FailureCase, Host, Plan


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "severity": finding.severity,
        "path": finding.path,
        "message": finding.message,
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
    }


def _case(case: FailureCase, hosts: tuple[Host, ...]) -> dict[str, Any]:
    return {
        "machines": list(case.machines),
        "hosts": list(case.hosts),
        "failed": [_failed(machine, hosts) for machine in case.machines],
        "worst": case.worst().value,
        "why": case.why,
        "affected": [
            {
                "application": o.application,
                "outcome": o.outcome.value,
                "reason": o.reason,
                "lost_hosts": list(o.lost),
                "because": list(o.because),
            }
            for o in case.affected
        ],
    }


def _failed(machine: str, hosts: tuple[Host, ...]) -> dict[str, Any]:
    """One failed machine: its own host name and the containers that went with it."""
    on = [h for h in hosts if h.machine == machine]
    return {
        "machine": machine,
        "host": next((h.name for h in on if h.container is None), None),
        "containers": [h.name for h in on if h.container is not None],
    }


def _budget(budget: FailoverBudget) -> dict[str, Any]:
    return {
        "scenario": budget.scenario,
        "subject": budget.subject,
        "seconds": budget.seconds,
        "items": [{"label": i.label, "seconds": i.seconds} for i in budget.items],
        "note": budget.note,
    }


def to_dict(plan: Plan) -> dict[str, Any]:
    topo = plan.topology
    return {
        "bundle": {"name": topo.name, "file": topo.file, "format": topo.format},
        "profile": plan.profile.name.value,
        "vip_provider": topo.settings.vip_provider.value,
        "ok": not plan.errors,
        "findings": [finding_dict(f) for f in plan.findings],
        "hosts": [
            {
                "name": h.name,
                "machine": h.machine,
                "zone": h.zone,
                "container": h.container,
                "addresses": {a.role.value: str(a.address) for a in h.addresses},
                "units": [u.name for u in plan.units_on(h.name)],
            }
            for h in plan.hosts
        ],
        "applications": {
            name: {
                "charm": app.charm,
                "kind": plan.kinds.get(name),
                "units": [{"unit": u.name, "host": u.host} for u in plan.units_of(name)],
            }
            for name, app in sorted(topo.applications.items())
        },
        "clusters": [
            {
                "name": c.name,
                "hosts": list(c.hosts),
                "applications": list(c.applications),
                "vip_provider": c.vip_provider.value,
                "vips": [
                    {
                        "application": v.application,
                        "address": str(v.address),
                        "network": v.role.value,
                        "interface": v.interface,
                    }
                    for v in c.vips
                ],
                "frontends": [
                    {
                        "name": f.name,
                        "port": f.port,
                        "mode": f.mode,
                        "vips": [str(v) for v in f.vips],
                        "single_writer": f.single_writer,
                        "backends": [
                            {
                                "host": b.host,
                                "address": f"{b.address}:{b.port}",
                                "backup": b.backup,
                            }
                            for b in f.backends
                        ],
                    }
                    for f in c.frontends
                ],
            }
            for c in plan.clusters
        ],
        "phases": [
            {"phase": p.number, "applications": list(p.applications), "reason": p.reason}
            for p in plan.phases
        ],
        "failure_analysis": {
            "single": [_case(c, plan.hosts) for c in plan.single_failures],
            "double": [_case(c, plan.hosts) for c in plan.double_failures],
            "double_sampled": plan.double_failures_sampled,
        },
        "failover_budgets": [_budget(b) for b in plan.budgets],
    }
