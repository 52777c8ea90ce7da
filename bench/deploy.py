"""Deploy time of the default lab: cold (nothing running, packages present) and no-op re-run.

Each cold run starts from a wiped lab; each no-op run is `hastack lab up` on the healthy
lab it left. Writes bench/results/deploy.json. Targets: cold <= 90 s, no-op <= 5 s.

    sudo .venv/bin/python bench/deploy.py [--cold 2] [--noop 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"cold": 90.0, "noop": 5.0}


def hastack(state: str, *args: str) -> float:
    env = {**os.environ, "HASTACK_STATE_DIR": state}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "hastack", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"hastack {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return elapsed


def summary(name: str, times: list[float]) -> dict[str, object]:
    median = statistics.median(times)
    return {
        "name": name,
        "seconds": [round(t, 2) for t in times],
        "median_s": round(median, 2),
        "target_s": TARGETS[name],
        "ratio_to_target": round(median / TARGETS[name], 3),
        "meets_target": median <= TARGETS[name],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cold", type=int, default=2)
    parser.add_argument("--noop", type=int, default=3)
    args = parser.parse_args()
    bundle = str(ROOT / "examples" / "lab-core.yaml")
    cold: list[float] = []
    noop: list[float] = []
    with tempfile.TemporaryDirectory(prefix="hastack-bench-") as state:
        try:
            for _ in range(args.cold):
                hastack(state, "lab", "down", "--wipe")
                cold.append(hastack(state, "lab", "up", bundle))
            noop.extend(hastack(state, "lab", "up", bundle) for _ in range(args.noop))
        finally:
            hastack(state, "lab", "down", "--wipe")
    report = {
        "benchmark": "deploy",
        "bundle": "examples/lab-core.yaml",
        "note": "cold = wiped lab to all services up (Debian packages already installed)",
        "results": [summary("cold", cold), summary("noop", noop)],
    }
    out = ROOT / "bench" / "results" / "deploy.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
