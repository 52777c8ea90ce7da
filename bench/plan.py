"""Planner time: the reference bundle and a generated 1,000-machine bundle.

Both include the full failure analysis (every machine, and every pair - sampled above 60
machines). Prints JSON and writes bench/results/plan.json. Targets: <= 0.3 s and <= 3 s.

    .venv/bin/python bench/plan.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from hastack import plan
from hastack.topology.load import load, loads

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"reference": 0.3, "synthetic-1000": 3.0}


def synthetic(machines: int) -> str:
    """A converged cloud: 3 controllers with the HA core, the rest compute and storage."""
    lines = [
        "hastack:",
        "  profile: reference",
        "  networks:",
        "    management: {cidr: 198.18.0.0/20}",
        "    external: {cidr: 198.19.0.0/20}",
        "machines:",
    ]
    lines += [f'  "{i}": {{zone: z{i % 3}}}' for i in range(machines)]
    ctl = '["0", "1", "2"]'
    lines += [
        "applications:",
        f"  mysql: {{charm: percona-cluster, num_units: 3, to: {ctl},"
        " options: {vip: 198.18.15.1}}",
        "  mysql-hacluster: {charm: hacluster}",
        f"  rabbitmq-server: {{charm: rabbitmq-server, num_units: 3, to: {ctl}}}",
        f"  memcached: {{charm: memcached, num_units: 3, to: {ctl}}}",
        f"  keystone: {{charm: keystone, num_units: 3, to: {ctl}, options: {{vip: 198.18.15.2}}}}",
        "  keystone-hacluster: {charm: hacluster}",
        f"  nova-cloud-controller: {{charm: nova-cloud-controller, num_units: 3, to: {ctl},"
        " options: {vip: 198.18.15.3}}",
        "  ncc-hacluster: {charm: hacluster}",
        f"  glance: {{charm: glance, num_units: 3, to: {ctl}, options: {{vip: 198.18.15.4}}}}",
        "  glance-hacluster: {charm: hacluster}",
        '  ceph: {charm: ceph, num_units: 3, to: ["3", "4", "5"]}',
    ]
    osd = machines // 3
    compute = machines - 6 - osd
    lines.append(f"  ceph-osd: {{charm: ceph-osd, num_units: {osd}}}")
    lines.append(f"  nova-compute: {{charm: nova-compute, num_units: {compute}}}")
    lines += [
        "relations:",
        "  - [mysql, mysql-hacluster]",
        "  - [keystone, keystone-hacluster]",
        "  - [nova-cloud-controller, ncc-hacluster]",
        "  - [glance, glance-hacluster]",
        "  - [keystone, mysql]",
        "  - [keystone, memcached]",
        "  - [glance, mysql]",
        "  - [glance, keystone]",
        "  - [glance, ceph]",
        "  - [nova-cloud-controller, mysql]",
        "  - [nova-cloud-controller, rabbitmq-server]",
        "  - [nova-cloud-controller, keystone]",
        "  - [nova-cloud-controller, glance]",
        "  - [nova-compute, nova-cloud-controller]",
        "  - [nova-compute, rabbitmq-server]",
        "  - [nova-compute, glance]",
        "  - [nova-compute, ceph]",
        "  - [ceph-osd, ceph]",
    ]
    return "\n".join(lines) + "\n"


def measure(name: str, make: object, repeat: int) -> dict[str, object]:
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = plan.build(make())  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    assert result is not None
    median = statistics.median(times)
    return {
        "name": name,
        "machines": len({h.machine for h in result.hosts}),
        "units": len(result.units),
        "single_failures": len(result.single_failures),
        "double_failures": len(result.double_failures),
        "double_sampled": result.double_failures_sampled,
        "errors": len(result.errors),
        "seconds": [round(t, 4) for t in times],
        "median_s": round(median, 4),
        "target_s": TARGETS[name],
        "ratio_to_target": round(median / TARGETS[name], 3),
        "meets_target": median <= TARGETS[name],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    reference = ROOT / "examples" / "openstack-ha-reference.yaml"
    text = synthetic(1000)
    results = [
        measure("reference", lambda: load(reference), args.repeat),
        measure("synthetic-1000", lambda: loads(text, "synthetic-1000.yaml"), args.repeat),
    ]
    report = {"benchmark": "plan", "repeat": args.repeat, "results": results}
    out = ROOT / "bench" / "results" / "plan.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
