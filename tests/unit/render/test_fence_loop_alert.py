"""The fence-loop guard's alert agent, run as Pacemaker runs it: a subprocess with the
event in its environment, here with stand-ins for stonith_admin, crm_resource and logger
on its PATH that record their argv and answer from files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hastack.facts.fencing import GUARD, REBOOT_ACTION
from hastack.render import fence_guard

TOOL = """#!/bin/sh
echo "$0 $*" >> {log}
case "$*" in
  *--history*) cat {history} ;;
  *--get-parameter*) cat {held} ;;
esac
"""


@pytest.fixture
def agent(tmp_path: Path) -> Path:
    path = tmp_path / "fence-loop-alert"
    path.write_text(fence_guard.agent_file().text)
    path.chmod(0o755)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("stonith_admin", "crm_resource", "logger"):
        tool = bin_dir / name
        tool.write_text(
            TOOL.format(
                log=tmp_path / "calls", history=tmp_path / "history", held=tmp_path / "held"
            )
        )
        tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    (tmp_path / "held").write_text("")
    return path


def _stamp(seconds_ago: float) -> str:
    return datetime.fromtimestamp(time.time() - seconds_ago, UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def _history(tmp_path: Path, *events: tuple[str, str, float]) -> None:
    rows = "".join(
        f'<fence_event action="{action}" target="ctl-2" origin="ctl-1" status="{status}"'
        f' delegate="ctl-1" completed="{_stamp(ago)}"/>'
        for action, status, ago in events
    )
    (tmp_path / "history").write_text(
        f'<pacemaker-result><list name="fencing history">{rows}</list>'
        '<status code="0" message="OK"/></pacemaker-result>'
    )


def _alert(agent: Path, action: str = "reboot", rc: str = "0") -> tuple[str, list[str]]:
    env = {
        "PATH": f"{agent.parent / 'bin'}:/usr/bin:/bin",
        "CRM_alert_kind": "fencing",
        "CRM_alert_node": "ctl-2",
        "CRM_alert_rc": rc,
        "CRM_alert_task": "st_notify_fence",
        "CRM_alert_desc": f"Operation {action} of ctl-2 by ctl-1 for stonith_admin.1@ctl-1: OK"
        " (ref=8d03ac66)",
        "fencings": "3",
        "window_s": "600",
        "device_prefix": "fence-",
    }
    # the agent runs with the node's python3; here the test's, as its shebang is not ours
    done = subprocess.run(
        [sys.executable, str(agent)], env=env, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    calls = agent.parent / "calls"
    lines = calls.read_text().splitlines() if calls.exists() else []
    return done.stderr.strip(), [line.split("/")[-1] for line in lines]


def test_fewer_reboots_than_the_limit_let_the_node_rejoin(agent: Path) -> None:
    _history(agent.parent, ("reboot", "success", 5), ("reboot", "success", 100))
    said, calls = _alert(agent)
    assert said == "ctl-2 rebooted by fencing 2 times within 10 min (limit 3): let it rejoin"
    assert [c for c in calls if not c.startswith("logger")] == [
        "stonith_admin --history ctl-2 --verbose --output-as=xml"
    ]


def test_the_nth_reboot_within_the_window_leaves_the_node_off(agent: Path) -> None:
    _history(
        agent.parent,
        ("off", "success", 1),  # not a reboot: not counted
        ("reboot", "success", 2),
        ("reboot", "failed", 30),  # failed: not counted
        ("reboot", "success", 60),
        ("reboot", "success", 120),
        ("reboot", "success", 3600),  # outside the window
    )
    said, calls = _alert(agent)
    assert said.startswith("ctl-2 rebooted by fencing 3 times within 10 min: left it off (fenced")
    assert said.endswith("limit 3): a fence loop); fence-ctl-2 now powers it off; powered it off")
    reason = said.split("left it off (")[1].split("); fence-ctl-2")[0]
    assert [c for c in calls if not c.startswith("logger")] == [
        "stonith_admin --history ctl-2 --verbose --output-as=xml",
        "crm_resource --resource fence-ctl-2 --meta --get-parameter hastack-fence-guard",
        f"crm_resource --resource fence-ctl-2 --meta --set-parameter hastack-fence-guard"
        f" --parameter-value {reason}",
        "crm_resource --resource fence-ctl-2 --set-parameter pcmk_reboot_action"
        " --parameter-value off",
        "stonith_admin --fence ctl-2 --timeout 15",
    ]


def test_a_node_already_guarded_is_not_fenced_again(agent: Path) -> None:
    _history(agent.parent, *(("reboot", "success", s) for s in (1, 2, 3)))
    (agent.parent / "held").write_text("fenced 3 times within 10 min\n")
    said, calls = _alert(agent)
    assert said.endswith("fence-ctl-2 already guards it (fenced 3 times within 10 min)")
    assert not any("--set-parameter" in c or "--fence" in c for c in calls)


@pytest.mark.parametrize(
    ("action", "rc"), [("off", "0"), ("on", "0"), ("reboot", "1")], ids=["off", "on", "failed"]
)
def test_only_successful_reboots_count(agent: Path, action: str, rc: str) -> None:
    said, calls = _alert(agent, action, rc)
    assert "nothing to do" in said
    assert [c for c in calls if not c.startswith("logger")] == []


def test_the_agent_and_the_facts_name_the_same_attributes() -> None:
    text = fence_guard.agent_file().text
    assert f'GUARD = "{GUARD}"' in text
    assert f'REBOOT_ACTION = "{REBOOT_ACTION}"' in text
    assert os.path.basename(fence_guard.AGENT) == "fence-loop-alert"
