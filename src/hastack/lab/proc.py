"""Host-side processes: running lab commands, finding node inits, signalling and waiting
for them to be gone (with ``hastack.wait``, the one wait loop)."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from .. import errors
from ..wait import WaitTimeout, wait_until

log = logging.getLogger(__name__)

NETNS_DIR = Path("/run/netns")
SBIN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def host_run(
    argv: Sequence[str], *, check: bool = True, stdin: str | None = None, timeout: float = 30.0
) -> subprocess.CompletedProcess[str]:
    """Run a lab command on the host; raise ``LabError`` naming the command when it fails."""
    log.debug("host: %s", " ".join(argv))
    try:
        result = subprocess.run(
            list(argv),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "PATH": SBIN_PATH},
        )
    except FileNotFoundError as exc:
        raise errors.LabError(f"`{argv[0]}` is not installed: {exc}") from exc
    except subprocess.TimeoutExpired as exc:
        raise errors.LabError(f"`{' '.join(argv)}` did not finish within {timeout:g} s") from exc
    if check and result.returncode != 0:
        why = (result.stderr.strip() or result.stdout.strip() or "no output").splitlines()[-1]
        raise errors.LabError(f"`{' '.join(argv)}` failed (exit {result.returncode}): {why}")
    return result


def read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def write_pid(path: Path, pid: int) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(f"{pid}\n")
    tmp.replace(path)


def pid_alive(pid: int) -> bool:
    """True while *pid* exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def command_name(pid: int) -> str | None:
    """The process's name (``comm``), or None when it is gone."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return None


def _ns_inode(path: str | Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def netns_pids(netns: str) -> list[int]:
    """Every live process whose network namespace is *netns* (like ``ip netns pids``)."""
    inode = _ns_inode(NETNS_DIR / netns)
    if inode is None:
        return []
    pids = [
        int(entry.name)
        for entry in os.scandir("/proc")
        if entry.name.isdigit() and _ns_inode(f"/proc/{entry.name}/ns/net") == inode
    ]
    return sorted(p for p in pids if pid_alive(p))


def _nspid(pid: int) -> list[str]:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("NSpid:"):
                return line.split()[1:]
    except OSError:
        pass
    return []


def is_node_init(pid: int, netns: str) -> bool:
    """True when *pid* is PID 1 of its own PID namespace and lives in *netns*."""
    nspid = _nspid(pid)
    if len(nspid) < 2 or nspid[-1] != "1" or not pid_alive(pid):
        return False
    return _ns_inode(f"/proc/{pid}/ns/net") == _ns_inode(NETNS_DIR / netns)


def find_node_init(netns: str) -> int | None:
    """The host PID of the process that is PID 1 of a node living in *netns*."""
    for pid in netns_pids(netns):
        if is_node_init(pid, netns):
            return pid
    return None


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def signal_pid(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


def wait_gone(pids: Iterable[int], timeout: float, interval: float = 0.02) -> list[int]:
    """Wait until every pid is gone (reaping our own children); return those still alive."""
    pending = list(pids)

    def probe() -> tuple[bool | None, str]:
        for pid in pending:
            _reap(pid)
        pending[:] = [p for p in pending if pid_alive(p)]
        return (None if pending else True), f"still alive: {' '.join(map(str, pending))}"

    with contextlib.suppress(WaitTimeout):  # the caller decides: kill them, or say so
        wait_until(probe, what="processes gone", timeout=timeout, interval=interval)
    return pending


def wait_netns_empty(netns: str, timeout: float, interval: float = 0.02) -> list[int]:
    """Wait until no process is left in *netns*; return those still there."""

    def probe() -> tuple[bool | None, str]:
        left = netns_pids(netns)
        return (None if left else True), f"still in {netns}: {' '.join(map(str, left))}"

    with contextlib.suppress(WaitTimeout):  # the caller decides: kill them, or say so
        wait_until(probe, what=f"{netns} empty", timeout=timeout, interval=interval)
    return netns_pids(netns)


def stop_pid(pid: int, grace: float) -> bool:
    """SIGTERM, wait *grace* seconds, then SIGKILL; True when it had to be killed."""
    signal_pid(pid, signal.SIGTERM)
    if not wait_gone([pid], grace):
        return False
    signal_pid(pid, signal.SIGKILL)
    wait_gone([pid], 2.0)
    return True
