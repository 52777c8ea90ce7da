"""What Swift and Glance cost on the running lab, side by side in one run.

* **footprint**: every lab node's processes by service - resident memory (RSS, and PSS,
  which splits shared pages fairly) and the CPU they use while the lab is idle (a window of
  ``--seconds``), read from ``/proc``: a process belongs to the node whose ``hs-<node>``
  cgroup it is in;
* **image and object paths**: an image of ``--mib`` MiB downloaded through the Glance VIP
  and from each Glance unit directly, an object of the same size through the Swift VIP and
  from each proxy unit directly - medians of ``--rounds`` alternating rounds, and the ratio
  VIP / unit (what HAProxy adds).

Writes bench/results/cloud.json.

    sudo HASTACK_STATE_DIR=/var/lib/hastack .venv/bin/python bench/cloud.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import os
import re
import statistics
import sys
import time
import uuid
from pathlib import Path

from hastack.cli.context import Context
from hastack.cli.drill_cmds import lab_target
from hastack.openstack import client

ROOT = Path(__file__).resolve().parent.parent
# the first that appears in a command line names its service (order matters: heat-api-cfn
# before heat-api, the Swift daemons before their servers' common prefix)
SERVICES = (
    "swift-proxy", "swift-object", "swift-container", "swift-account", "rsync",
    "glance-api", "keystone", "horizon", "placement", "heat-api-cfn", "heat-api",
    "heat-engine", "haproxy", "mariadbd", "beam.smp", "epmd", "memcached", "corosync",
    "pacemaker", "systemd",
)  # fmt: skip
NODE = re.compile(r"/hs-([a-z0-9-]+?)(?:/|$)")


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _processes() -> dict[int, tuple[str, str, int, int, int]]:
    """pid -> (node, service, CPU ticks, RSS kB, PSS kB) of every lab node's process."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cgroup = Path(f"/proc/{entry}/cgroup").read_text()
            node = NODE.search(cgroup)
            if node is None:
                continue
            argv = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            stat = Path(f"/proc/{entry}/stat").read_text()
            rollup = Path(f"/proc/{entry}/smaps_rollup").read_text()
        except OSError:  # gone meanwhile, or a kernel thread
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        ticks = int(fields[11]) + int(fields[12])
        memory = dict(re.findall(r"^(Rss|Pss):\s+(\d+) kB", rollup, re.M))
        service = next((s for s in SERVICES if s in argv), "other")
        found[int(entry)] = (
            node.group(1), service, ticks, int(memory.get("Rss", 0)), int(memory.get("Pss", 0))
        )  # fmt: skip
    return found


def footprint(seconds: float) -> dict[str, object]:
    before = _processes()
    time.sleep(seconds)
    after = _processes()
    hz = os.sysconf("SC_CLK_TCK")
    nodes: dict[str, dict[str, collections.Counter[str]]] = collections.defaultdict(
        lambda: collections.defaultdict(collections.Counter)
    )
    for pid, (node, service, ticks, rss, pss) in after.items():
        used = ticks - before[pid][2] if pid in before else 0
        row = nodes[node][service]
        row["rss_mb"] += rss
        row["pss_mb"] += pss
        row["cpu_ticks"] += used
        row["processes"] += 1
    out: dict[str, object] = {}
    for node, services in sorted(nodes.items()):
        rows = {
            service: {
                "processes": c["processes"],
                "rss_mb": round(c["rss_mb"] / 1024, 1),
                "pss_mb": round(c["pss_mb"] / 1024, 1),
                "cpu_pct_of_one_core": round(100 * c["cpu_ticks"] / hz / seconds, 1),
            }
            for service, c in sorted(services.items(), key=lambda kv: -kv[1]["pss_mb"])
        }
        out[node] = {
            "total_rss_mb": round(sum(r["rss_mb"] for r in rows.values()), 1),
            "total_pss_mb": round(sum(r["pss_mb"] for r in rows.values()), 1),
            "total_cpu_pct_of_one_core": round(
                sum(r["cpu_pct_of_one_core"] for r in rows.values()), 1
            ),
            "services": rows,
        }
    return out


def _timed(address: str, port: int, path: str, token: str, wanted: bytes) -> float:
    started = time.monotonic()
    status, _, data = client.request(
        address, port, "GET", path, headers={"X-Auth-Token": token}, timeout=300
    )
    took = time.monotonic() - started
    if status != 200 or data != wanted:
        raise SystemExit(f"GET {address}:{port}{path}: HTTP {status}, {len(data)} bytes")
    return took


def paths(ctx: Context, mib: int, rounds: int) -> dict[str, object]:
    target = lab_target(ctx, None)
    plan, secrets = target.plan, target.secrets
    frontends = {f.application: f for c in plan.clusters for f in c.frontends}
    glance, swift = frontends["glance"], frontends["swift-proxy"]
    tokens = client.tokens(plan, "glance", secrets)
    token, project = tokens.get()
    data = os.urandom(mib * 1024 * 1024)
    auth = {"X-Auth-Token": token}
    name = f"hastack-bench-{uuid.uuid4().hex[:8]}"

    def call(frontend, method: str, path: str, body: bytes | None, ok: tuple[int, ...]) -> bytes:  # type: ignore[no-untyped-def]
        headers = {**auth, "Content-Type": "application/json" if method == "POST" else
                   "application/octet-stream"}  # fmt: skip
        status, _, answer = client.request(
            str(frontend.vips[0]), frontend.port, method, path, body=body, headers=headers,
            timeout=300,
        )  # fmt: skip
        client.expect(status, ok, f"{method} {path}")
        return answer

    say(f"uploading a {mib} MiB image and object")
    meta = {"name": name, "disk_format": "raw", "container_format": "bare"}
    image = json.loads(call(glance, "POST", "/v2/images", json.dumps(meta).encode(), (201,)))
    call(glance, "PUT", f"/v2/images/{image['id']}/file", data, (204,))
    object_path = f"/v1/AUTH_{project}/{name}"
    call(swift, "PUT", object_path, None, (201, 202))
    call(swift, "PUT", f"{object_path}/data", data, (201,))
    cases = {
        "glance via VIP": (str(glance.vips[0]), glance.port, f"/v2/images/{image['id']}/file"),
        "swift via VIP": (str(swift.vips[0]), swift.port, f"{object_path}/data"),
    }
    for backend in glance.backends:
        cases[f"glance unit {backend.host}"] = (
            str(backend.address), backend.port, f"/v2/images/{image['id']}/file"
        )  # fmt: skip
    for backend in swift.backends:
        cases[f"swift unit {backend.host}"] = (
            str(backend.address),
            backend.port,
            f"{object_path}/data",
        )
    times: dict[str, list[float]] = {case: [] for case in cases}
    try:
        for n in range(rounds):
            order = list(cases) if n % 2 == 0 else list(reversed(cases))
            for case in order:
                times[case].append(_timed(*cases[case], token, data))
            say(
                f"round {n + 1}/{rounds}: " + ", ".join(f"{c} {times[c][-1]:.2f} s" for c in cases)
            )
    finally:
        call(glance, "DELETE", f"/v2/images/{image['id']}", None, (204, 404))
        call(swift, "DELETE", f"{object_path}/data", None, (204, 404))
        call(swift, "DELETE", object_path, None, (204, 404))
    medians = {case: round(statistics.median(t), 3) for case, t in times.items()}
    unit_glance = statistics.median(v for c, v in medians.items() if c.startswith("glance unit"))
    unit_swift = statistics.median(v for c, v in medians.items() if c.startswith("swift unit"))
    return {
        "mib": mib,
        "rounds": rounds,
        "seconds": {case: [round(t, 3) for t in ts] for case, ts in times.items()},
        "median_s": medians,
        "median_mib_per_s": {c: round(mib / m, 2) for c, m in medians.items()},
        "ratio_vip_to_unit": {
            "glance": round(medians["glance via VIP"] / unit_glance, 2),
            "swift": round(medians["swift via VIP"] / unit_swift, 2),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="idle CPU window")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mib", type=int, default=16)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "cloud.json")
    args = parser.parse_args()
    ctx = Context().configured(os.environ.get("HASTACK_STATE_DIR"), 0)
    say(f"idle footprint over {args.seconds:g} s")
    idle = footprint(args.seconds)
    result = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count(), "load": os.getloadavg()},
        "footprint": idle,
        "paths": paths(ctx, args.mib, args.rounds),
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    say(f"wrote {args.out}")


if __name__ == "__main__":
    main()
