"""Pacemaker's load throttle on lab nodes: the DC's power-off with ``load-threshold`` at
Pacemaker's default (80 %) and at the 0 % hastack sets where every node is a container,
side by side on one running lab.

A lab node reads the machine's load average, not its own, so with the default threshold
the controller throttles the whole cluster to one action at a time whenever the drills'
load is up. Each round runs ``dc-power-off`` once per setting, in alternating order; a
setting is live for 35 s before its drill (the controller re-reads the load every 30 s).
Recorded per run: how long the survivors took to hold the dead DC's first VIP, the outage
through it, the time to full redundancy and the verdict. The lab is left at 0 %.
Writes bench/results/throttle.json.

    sudo HASTACK_STATE_DIR=/var/lib/hastack-dr .venv/bin/python bench/throttle.py [--rounds 2]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

from hastack.apply.pacemaker import CONTAINER_LOAD_THRESHOLD
from hastack.cli.context import Context
from hastack.cli.drill_cmds import lab_target, quiet_clients
from hastack.drills.nodes import DcPowerOff
from hastack.drills.runner import run_drill
from hastack.drills.target import Target
from hastack.errors import DrillAborted

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = {"pacemaker-default": "80%", "containers": CONTAINER_LOAD_THRESHOLD}
SETTLE_S = 35.0


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def set_threshold(target: Target, value: str) -> None:
    for host in target.hosts:
        if target.is_on(host):
            argv = ["crm_attribute", "--type", "crm_config", "--name", "load-threshold"]
            target.connectors[host].check([*argv, "--update", value], timeout=60)
            return
    raise SystemExit("no lab node is on")


def one_run(target: Target, name: str) -> dict[str, object] | None:
    set_threshold(target, SETTINGS[name])
    time.sleep(SETTLE_S)
    try:
        result = run_drill(DcPowerOff(), target, say=lambda m: say(f"[{name}] {m}"))
    except DrillAborted as refused:  # the last run left the lab red
        say(f"[{name}] not run: {refused}")
        return None
    takeover = None  # the steps run one after another, each timed from its own start
    elapsed = 0.0
    for step in result.steps:
        elapsed += step.after_s
        if step.description.startswith("VIP ") and step.ok:
            takeover = round(elapsed, 1)
            break
    return {
        "setting": name,
        "load_threshold": SETTINGS[name],
        "vip_takeover_s": takeover,
        "outage_s": result.measured_outage_s,
        "outage_through": result.measured_kind,
        "healed_in_s": result.healed_in_s,
        "passed": result.passed,
        "failures": result.failures(),
    }


def summary(runs: list[dict[str, object]], name: str) -> dict[str, object]:
    mine = [r for r in runs if r["setting"] == name]

    def median(key: str) -> float | None:
        values = [float(v) for r in mine if isinstance(v := r[key], int | float)]
        return round(statistics.median(values), 1) if values else None

    return {
        "setting": name,
        "load_threshold": SETTINGS[name],
        "runs": len(mine),
        "passed": sum(1 for r in mine if r["passed"]),
        "median_vip_takeover_s": median("vip_takeover_s"),
        "median_outage_s": median("outage_s"),
        "median_healed_in_s": median("healed_in_s"),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    ctx = Context().configured(os.environ.get("HASTACK_STATE_DIR"), 0)
    quiet_clients(0)
    target = lab_target(ctx, None)
    runs: list[dict[str, object]] = []
    order = list(SETTINGS)
    try:
        for number in range(args.rounds):
            for name in order if number % 2 == 0 else reversed(order):
                run = one_run(target, name)
                if run is None:
                    raise SystemExit("a run was refused: the lab did not heal")
                runs.append(run)
                say(f"[{name}] {json.dumps(run)}")
    finally:
        set_threshold(target, CONTAINER_LOAD_THRESHOLD)
    out = {
        "benchmark": "throttle",
        "scenario": "dc-power-off",
        "note": "one lab, alternating order; vip_takeover_s = power-off to one survivor "
        "holding the DC's first VIP; outage through that VIP; the fast profile",
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "summary": [summary(runs, name) for name in SETTINGS],
        "runs": runs,
    }
    path = ROOT / "bench" / "results" / "throttle.json"
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out["summary"], indent=2))


if __name__ == "__main__":
    main()
