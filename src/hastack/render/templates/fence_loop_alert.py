#!/usr/bin/python3 -I
"""hastack's fence-loop guard: a Pacemaker alert agent for fencing events.

Pacemaker runs it on every node that sees a fencing operation complete, as the hacluster
user, with the event in CRM_alert_* and the alert's attributes in the environment:
``fencings`` and ``window_s`` (a node fenced that often within that window is a loop) and
``device_prefix`` (the fence device of node N is <prefix>N). It counts the node's successful
reboots in the fencer's own history, which the cluster keeps and shares; at the limit it
marks the node's fence device (meta attribute hastack-fence-guard = the reason), makes its
reboots power the node off (pcmk_reboot_action=off) and powers it off now, since the last
reboot has just powered it on again. `hastack recover fencing NODE` clears all of it.
Standard library only: it runs with the node's own python3.
"""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

GUARD = "hastack-fence-guard"
REBOOT_ACTION = "pcmk_reboot_action"
DESC = re.compile(r"^Operation (\S+) of (\S+) by ")
NODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
TOOL_TIMEOUT_S = 20


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=TOOL_TIMEOUT_S)


def log(message: str) -> None:
    subprocess.run(["logger", "-t", "hastack-fence-loop-guard", message], check=False)
    print(message, file=sys.stderr)


def completed_at(text: str) -> float | None:
    """Epoch seconds of the fencer's "2026-12-01 21:22:20Z" (or "+01:00"), None if unreadable."""
    text = text.strip().replace("Z", "+00:00")
    try:
        stamp = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=datetime.UTC)
    return stamp.timestamp()


def reboots(history_xml: str, node: str) -> list[float]:
    """When *node* was rebooted by fencing, successfully (epoch seconds, oldest first)."""
    found = []
    for event in ET.fromstring(history_xml).iter("fence_event"):
        if (event.get("target"), event.get("action"), event.get("status")) != (
            node,
            "reboot",
            "success",
        ):
            continue
        when = completed_at(event.get("completed", ""))
        if when is not None:
            found.append(when)
    return sorted(found)


def utc(epoch: float) -> str:
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).strftime("%H:%M:%S")


def guard(env: dict[str, str], now: float) -> str:
    """Act on one alert; return what was done, for the log."""
    if env.get("CRM_alert_kind") != "fencing" or env.get("CRM_alert_rc") != "0":
        return "not a successful fencing: nothing to do"
    match = DESC.match(env.get("CRM_alert_desc", ""))
    node = env.get("CRM_alert_node", "")
    if match is None or match.group(1) != "reboot" or not NODE.match(node):
        return f"not a reboot ({env.get('CRM_alert_desc', '')}): nothing to do"
    limit, window = int(env.get("fencings", "4")), int(env.get("window_s", "600"))
    device = env.get("device_prefix", "fence-") + node
    history = run("stonith_admin", "--history", node, "--verbose", "--output-as=xml")
    if history.returncode != 0:
        return f"cannot read the fencing history of {node}: {history.stderr.strip()}"
    recent = [t for t in reboots(history.stdout, node) if now - t <= window]
    counted = f"{node} rebooted by fencing {len(recent)} times within {window // 60} min"
    if len(recent) < limit:
        return f"{counted} (limit {limit}): let it rejoin"
    held = run("crm_resource", "--resource", device, "--meta", "--get-parameter", GUARD)
    if held.returncode == 0 and held.stdout.strip():
        return f"{counted}: {device} already guards it ({held.stdout.strip()})"
    reason = (
        f"fenced {len(recent)} times within {window // 60} min "
        f"({utc(recent[0])} to {utc(recent[-1])} UTC, limit {limit}): a fence loop"
    )
    steps = (
        ("--meta", "--set-parameter", GUARD, "--parameter-value", reason),
        ("--set-parameter", REBOOT_ACTION, "--parameter-value", "off"),
    )
    for step in steps:
        done = run("crm_resource", "--resource", device, *step)
        if done.returncode != 0:
            return f"{counted}: cannot mark {device}: {done.stderr.strip()}"
    off = run("stonith_admin", "--fence", node, "--timeout", str(TOOL_TIMEOUT_S - 5))
    said = "powered it off" if off.returncode == 0 else f"power off failed: {off.stderr.strip()}"
    return f"{counted}: left it off ({reason}); {device} now powers it off; {said}"


def main() -> int:
    try:
        log(guard(dict(os.environ), time.time()))
    except Exception as error:  # an alert agent must not fail loudly; say why and stop
        log(f"fence-loop guard failed: {error!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
