"""The lab's BMC daemon seen from the host: start it, find it, stop it.

The daemon itself is ``bmcd`` (one process serving every node's BMC). Its password goes
through a pipe, never argv or the environment.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from .. import errors
from ..wait import WaitTimeout, wait_until
from . import proc
from .layout import LabLayout
from .spec import LabSpec

log = logging.getLogger(__name__)

START_TIMEOUT = 10.0
DAEMON_MODULE = "hastack.lab.bmcd"


def _is_daemon(pid: int, layout: LabLayout) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return DAEMON_MODULE.encode() in cmdline and str(layout.root).encode() in cmdline


def running_pid(layout: LabLayout) -> int | None:
    """The BMC daemon's PID while it runs (found by its command line if the pid file is gone)."""
    pid = proc.read_pid(layout.bmc_pid)
    if pid is not None and proc.pid_alive(pid) and _is_daemon(pid, layout):
        return pid
    for entry in Path("/proc").iterdir():
        pid = int(entry.name) if entry.name.isdigit() else 0
        if pid and _is_daemon(pid, layout) and proc.pid_alive(pid):
            return pid
    return None


def start(spec: LabSpec, layout: LabLayout) -> list[str]:
    """Start the BMC daemon detached unless it runs; the password goes through a pipe."""
    if running_pid(layout) is not None:
        return []
    layout.bmc_dir.mkdir(parents=True, exist_ok=True)
    layout.bmc_pid.unlink(missing_ok=True)
    argv = ["setsid", "-f", sys.executable, "-m", DAEMON_MODULE, str(layout.root)]
    with open(layout.bmc_log, "a") as out:
        subprocess.run(
            argv,
            input=spec.bmc_password.reveal() + "\n",
            text=True,
            stdout=out,
            stderr=out,
            check=True,
            env={**os.environ, "PATH": proc.SBIN_PATH},
        )
    try:
        pid = wait_until(
            lambda: (running_pid(layout), "no BMC daemon runs yet"),
            what="the lab BMCs started",
            timeout=START_TIMEOUT,
            interval=0.02,
        )
    except WaitTimeout as timeout:
        tail = layout.bmc_log.read_text().splitlines()[-3:]
        raise errors.LabError(
            f"the lab BMCs did not start within {START_TIMEOUT:g} s: {'; '.join(tail)}"
            f" (log: {layout.bmc_log})"
        ) from timeout
    addresses = ", ".join(n.bmc_address for n in spec.nodes)
    return [f"started the BMCs ({addresses}, UDP 623) as pid {pid}"]


def stop(layout: LabLayout) -> list[str]:
    pid = running_pid(layout)
    layout.bmc_pid.unlink(missing_ok=True)
    if pid is None:
        return []
    proc.stop_pid(pid, grace=3.0)
    return [f"stopped the BMCs (pid {pid})"]
