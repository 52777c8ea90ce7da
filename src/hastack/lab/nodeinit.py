"""PID 1 of a lab node. Run as a script (standard library only): ``python3 nodeinit.py CONFIG``.

It runs inside fresh mount, UTS, IPC and PID namespaces (made by ``unshare``) and the node's
network namespace. It bind-mounts the node's own directories over the host paths named in
CONFIG (JSON: hostname, binds, ready, grace), mounts a fresh tmpfs on /dev/shm, sets the
hostname, writes the ready file, then reaps orphans until SIGTERM: then it sends SIGTERM to
every process of the node, waits up to ``grace`` seconds, SIGKILLs the rest and exits.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time

WAKE = {signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP}


def say(message: str) -> None:
    print(f"node-init: {message}", flush=True)


def mount(argv: list[str]) -> None:
    result = subprocess.run(["mount", "-n", *argv], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"`mount -n {' '.join(argv)}` failed: {result.stderr.strip()}")


def setup(config: dict[str, object]) -> None:
    binds = config["binds"]
    assert isinstance(binds, list)
    for source, target in binds:
        mount(["--bind", source, target])
    mount(["-t", "tmpfs", "-o", "mode=1777,nosuid,nodev,size=256m", "hs-shm", "/dev/shm"])
    socket.sethostname(str(config["hostname"]))
    with open(str(config["ready"]), "w") as ready:
        ready.write(f"{time.time()}\n")


def reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def signal_all(sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(-1, sig)  # from PID 1: every process of this PID namespace but ourselves


def has_children() -> bool:
    return any(name.isdigit() and name != "1" for name in os.listdir("/proc"))


def stop(grace: float) -> None:
    say(f"stopping: SIGTERM to every process, up to {grace:g} s")
    signal_all(signal.SIGTERM)
    # Not hastack.wait.wait_until: this file runs as a standalone script (`python3 -I
    # nodeinit.py`, PID 1 inside the node's namespaces), which imports nothing of hastack,
    # and its wait sleeps in sigtimedwait so a child's SIGCHLD wakes it; the deadline is
    # not an error here either, it is when SIGKILL follows.
    deadline = time.monotonic() + grace
    while has_children() and time.monotonic() < deadline:
        signal.sigtimedwait(WAKE, 0.1)
        reap()
    if has_children():
        say("grace period over: SIGKILL to what is left")
        signal_all(signal.SIGKILL)
        time.sleep(0.1)
        reap()
    say("stopped")


def serve(grace: float) -> None:
    while True:
        info = signal.sigtimedwait(WAKE, 5.0)
        reap()
        if info is not None and info.si_signo in (signal.SIGTERM, signal.SIGINT):
            stop(grace)
            return


def main(argv: list[str]) -> int:
    for sig in WAKE:  # a handler makes the signal deliverable to a PID-namespace init
        signal.signal(sig, lambda *_: None)
    signal.pthread_sigmask(signal.SIG_BLOCK, WAKE)
    with open(argv[1]) as handle:
        config = json.load(handle)
    try:
        setup(config)
    except (OSError, RuntimeError) as exc:
        say(f"cannot prepare the node: {exc}")
        return 1
    say(f"{config['hostname']} is up")
    serve(float(config.get("grace", 8.0)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
