"""Labs side by side: `lab down` of one lab never touches another lab's nodes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from hastack.lab import lab as lab_module


def fake_nspawn(root: Path) -> subprocess.Popen[bytes]:
    """A process whose command line looks like the nspawn of a node of the lab in *root*."""
    disk = root / "nodes" / "ctl-1" / "disk" / "etc"
    script = "import time; time.sleep(30)"
    argv = [sys.executable, "-c", script, "--read-only", f"--overlay=+/etc:{disk}:/etc"]
    process = subprocess.Popen(argv)
    cmdline = Path(f"/proc/{process.pid}/cmdline")
    deadline = time.monotonic() + 10
    while b"--overlay" not in cmdline.read_bytes() and time.monotonic() < deadline:
        time.sleep(0.01)  # until the child has exec'd
    return process


def test_a_node_belongs_to_the_lab_whose_disks_it_boots(tmp_path: Path) -> None:
    mine, other = tmp_path / "mine" / "lab", tmp_path / "other" / "lab"
    process = fake_nspawn(other)
    try:
        assert lab_module._booted_from(process.pid, other)
        assert not lab_module._booted_from(process.pid, mine)
    finally:
        process.kill()
        process.wait()


def test_a_process_that_boots_no_node_is_never_claimed(tmp_path: Path) -> None:
    assert not lab_module._booted_from(os.getpid(), tmp_path)
    assert not lab_module._booted_from(2**22 + 12345, tmp_path)  # no such process
