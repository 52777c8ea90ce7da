"""Failover time of the VIP holder's power-off, per timer profile, on a running lab.

For each profile the lab is set up again with it (`lab down` + `lab up --profile`), then
the `vip-holder-power-off` drill runs N times (power off the holder under load, measure,
power it on, wait for all green with no deploy). The outage is the DB VIP TCP probe's
(first failure to the next prompt success); the planner's prediction is recorded beside
it, and so is the time from power on to full redundancy. A drill that does not heal by
itself fails, and the next run is refused by its health gate: the benchmark stops there.
Writes bench/results/failover.json.

    sudo HASTACK_STATE_DIR=/var/lib/hastack-dr .venv/bin/python bench/failover.py [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from hastack.cli.context import Context
from hastack.cli.drill_cmds import lab_target, quiet_clients
from hastack.drills.nodes import VipHolderPowerOff
from hastack.drills.result import DrillResult
from hastack.drills.runner import run_drill
from hastack.errors import DrillAborted

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ("reference", "fast")


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def hastack(ctx: Context, *args: str) -> None:
    env = {**os.environ, "HASTACK_STATE_DIR": str(ctx.state_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "hastack", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"hastack {' '.join(args)} failed:\n{done.stderr[-2000:]}")


def restart_lab(ctx: Context, profile: str | None) -> None:
    """Every daemon restarted with *profile*'s timers: a live redeploy rewrites the configs
    but does not restart Galera or RabbitMQ, and mixed Galera evs timeouts once left the
    survivors of a member loss non-Primary."""
    bundle = json.loads((ctx.state_dir / "lab" / "deployment.json").read_text())["file"]
    say(f"restarting the lab with the {profile or 'bundle'} profile")
    hastack(ctx, "lab", "down")
    hastack(ctx, "lab", "up", bundle, *(["--profile", profile] if profile else []))


def one_profile(ctx: Context, profile: str, runs: int) -> dict[str, object]:
    restart_lab(ctx, profile)
    target = lab_target(ctx, profile)
    results: list[DrillResult] = []
    for number in range(1, runs + 1):
        try:
            result = run_drill(VipHolderPowerOff(), target, say=lambda m: say(f"[{profile}] {m}"))
        except DrillAborted as refused:  # the last run left the lab red: it did not heal
            say(f"[{profile}] run {number} not run: {refused}")
            break
        results.append(result)
        outage = result.measured_outage_s
        say(f"[{profile}] run {number}: outage {outage} s, {result.heal_sentence}")
    outages = [r.measured_outage_s for r in results if r.measured_outage_s is not None]
    greens = [r.green_at for r in results if r.green_at is not None]
    healed = [r.healed_in_s for r in results if r.healed_in_s is not None]
    predicted = results[0].predicted if results else None
    return {
        "profile": profile,
        "runs": len(results),
        "predicted_outage_s": predicted.seconds if predicted else None,
        "predicted_items": dict(predicted.items) if predicted else {},
        "outage_s": outages,
        "median_outage_s": round(statistics.median(outages), 2) if outages else None,
        "failed_requests": [r.failed_requests for r in results],
        "median_all_green_s": round(statistics.median(greens), 1) if greens else None,
        "healed_in_s": healed,
        "median_healed_in_s": round(statistics.median(healed), 1) if healed else None,
        "lost_writes": sum(r.sql.lost for r in results if r.sql),
        "lost_messages": sum(r.amqp.lost for r in results if r.amqp),
        "max_vip_holders": max((r.max_holders for r in results), default=0),
        "all_passed": len(results) == runs and all(r.passed for r in results),
        "failures": [f for r in results for f in r.failures()],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profiles", default=",".join(PROFILES))
    args = parser.parse_args()
    ctx = Context().configured(os.environ.get("HASTACK_STATE_DIR"), 0)
    quiet_clients(0)
    out = {
        "benchmark": "failover",
        "scenario": "vip-holder-power-off",
        "note": "outage = DB VIP TCP probe at 10/s: first failure to the next success <= 1 s; "
        "the holder is powered off with its links cut first (no RST); fencing via "
        "fence_ipmilan to the lab BMC; each profile starts from `lab down` + `lab up --profile`",
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "results": [one_profile(ctx, p, args.runs) for p in args.profiles.split(",")],
    }
    path = ROOT / "bench" / "results" / "failover.json"
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out["results"], indent=2))
    restart_lab(ctx, None)  # leave the lab on the bundle's own profile


if __name__ == "__main__":
    main()
