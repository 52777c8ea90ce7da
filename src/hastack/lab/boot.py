"""How a lab node boots: ``systemd-nspawn --boot`` of this host's root, read-only, with the
node's disk laid over /etc, /var and /root, inside the node's network namespace.

systemd is PID 1 of the node: what is enabled in the node starts at power on, in the order
its units say, and the deployer manages services with ``systemctl`` exactly as on a real
host. Measured on this machine kind (``reference/spikes/systemd-node``): a node boots in
1–2 s. This host's init is not systemd, so nspawn runs with ``--register=no --keep-unit``
and each node gets its own cgroup first (nspawn makes its payload cgroup below the
caller's: without that, every node's systemd would share one tree). nspawn refuses ``/``
itself as a root, so it gets a read-only, non-recursive bind of ``/`` made in a private
mount namespace that dies with the node.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from pathlib import Path

from .. import errors
from . import proc
from .disk import OVERLAID
from .layout import NodeLayout
from .spec import NodeSpec

CGROUP_ROOT = Path("/sys/fs/cgroup")
# nspawn gives no CAP_NET_ADMIN with a network namespace of our own (IPaddr2, keepalived
# need it) and no CAP_IPC_LOCK (corosync locks its memory)
CAPABILITIES = "CAP_NET_ADMIN,CAP_IPC_LOCK"
# The node gets the unified cgroup hierarchy alone, whatever this host mounts: systemd 257
# (Debian 13) does not finish booting on a hybrid one (measured: still "starting" after
# 25 s, "running" with this), and systemd 252 (Debian 12) boots on both.
UNIFIED = {"SYSTEMD_NSPAWN_UNIFIED_HIERARCHY": "1"}
_BIND_ROOT = 'mount --bind / "$0" && mount -o remount,bind,ro "$0" && exec systemd-nspawn "$@"'


def machine(node: NodeSpec) -> str:
    """The node's machine name for nspawn (its locks, its propagation directory)."""
    return node.netns


def cgroups(node: NodeSpec) -> list[Path]:
    """The node's own cgroup in every hierarchy nspawn uses: the unified one alone, or
    ``name=systemd`` and ``unified`` on a hybrid host - and there in the v1 ``cpu``
    hierarchy too, so that each node gets an equal share of this machine's CPU when all
    want more, as if it had processors of its own: a node booting every service at once
    cannot starve the others (measured before: Keystone on the survivors took up to 16 s
    a token while a fenced node rebooted)."""
    if (CGROUP_ROOT / "cgroup.controllers").exists():
        return [CGROUP_ROOT / machine(node)]
    groups = [CGROUP_ROOT / h / machine(node) for h in ("systemd", "unified")]
    if (CGROUP_ROOT / "cpu" / "cpu.shares").exists():
        groups.append(CGROUP_ROOT / "cpu" / machine(node))
    return groups


def ensure_hierarchies() -> list[str]:
    """On a hybrid host (cgroup v1 controllers on a tmpfs), mount the ``name=systemd`` and
    unified hierarchies systemd needs when this host's init did not."""
    if (CGROUP_ROOT / "cgroup.controllers").exists():
        return []
    mounted = {line.split()[4] for line in Path("/proc/self/mountinfo").read_text().splitlines()}
    done = []
    wanted = {
        "systemd": ["-t", "cgroup", "-o", "none,name=systemd", "cgroup"],
        "unified": ["-t", "cgroup2", "cgroup2"],
    }
    for name, how in wanted.items():
        target = CGROUP_ROOT / name
        if str(target) in mounted:
            continue
        target.mkdir(exist_ok=True)
        proc.host_run(["mount", *how, str(target)])
        done.append(f"mounted the {name} cgroup hierarchy on {target}")
    return done


def nspawn_args(node: NodeSpec, layout: NodeLayout, rootfs: Path) -> list[str]:
    overlays = [f"--overlay=+{top}:{layout.on_disk(top)}:{top}" for top in OVERLAID]
    return [
        f"--directory={rootfs}",
        "--read-only",
        f"--machine={machine(node)}",
        f"--hostname={node.name}",
        "--register=no",
        "--keep-unit",
        f"--network-namespace-path={proc.NETNS_DIR / node.netns}",
        *overlays,
        "--tmpfs=/tmp",
        "--link-journal=no",
        "--resolv-conf=off",
        "--timezone=off",
        f"--capability={CAPABILITIES}",
        "--boot",
    ]


def launch(node: NodeSpec, layout: NodeLayout) -> None:
    """Start the node's nspawn detached (``setsid -f``) in the node's own cgroups; its
    output goes to the node's console log."""
    layout.rootfs.mkdir(parents=True, exist_ok=True)
    groups = cgroups(node)
    for group in groups:
        group.mkdir(parents=True, exist_ok=True)

    def enter_cgroups() -> None:  # runs in the child, before exec: its children inherit it
        for group in groups:
            (group / "cgroup.procs").write_text(f"{os.getpid()}\n")

    argv = ["setsid", "-f", "unshare", "--mount", "--propagation", "private", "--"]
    argv += ["sh", "-c", _BIND_ROOT, str(layout.rootfs), *nspawn_args(node, layout, layout.rootfs)]
    with open(layout.console_log, "a") as out:
        out.write(f"--- power on {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        out.flush()
        result = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
            check=False,
            env={"PATH": proc.SBIN_PATH, "LANG": "C.UTF-8", **UNIFIED},
            preexec_fn=enter_cgroups,
        )
    if result.returncode != 0:
        raise errors.LabError(
            f"cannot start lab node {node.name}: `{' '.join(argv[:8])} …` exited "
            f"{result.returncode}; see {layout.console_log}"
        )


def nspawn_of(leader: int) -> int | None:
    """The host PID of the nspawn that runs the node whose PID 1 is *leader*."""
    try:
        status = Path(f"/proc/{leader}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("PPid:"):
            return int(line.split()[1])
    return None


def cleanup(node: NodeSpec) -> list[str]:
    """Remove what a stopped node leaves on the host: its cgroups (deepest first) and the
    propagation directory nspawn cannot remove on a host whose /run is not a tmpfs."""
    done = []
    for group in cgroups(node):
        if not group.is_dir():
            continue
        for sub in sorted(group.rglob("*"), key=lambda p: len(p.parts), reverse=True):
            if sub.is_dir():
                with contextlib.suppress(OSError):
                    sub.rmdir()
        with contextlib.suppress(OSError):
            group.rmdir()
            done.append(f"removed cgroup {group}")
    propagate = Path("/run/systemd/nspawn/propagate") / machine(node)
    with contextlib.suppress(OSError):
        propagate.rmdir()
    return done
