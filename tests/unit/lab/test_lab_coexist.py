"""Labs side by side: `lab down` of one lab never touches another lab's nodes."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from hastack.lab import lab as lab_module


def fake_init(tmp_path: Path, root: Path) -> subprocess.Popen[bytes]:
    """A process whose command line looks like a node-init of the lab in *root*."""
    config = root / "nodes" / "ctl-1" / "node.json"
    script = "import time; time.sleep(30)"
    argv = [sys.executable, "-c", script, "/src/hastack/lab/nodeinit.py", str(config)]
    process = subprocess.Popen(argv)
    cmdline = Path(f"/proc/{process.pid}/cmdline")
    deadline = time.monotonic() + 10
    while b"node.json" not in cmdline.read_bytes() and time.monotonic() < deadline:
        time.sleep(0.01)  # until the child has exec'd
    return process


def test_a_node_init_belongs_to_the_lab_whose_root_it_reads(tmp_path: Path) -> None:
    mine, other = tmp_path / "mine" / "lab", tmp_path / "other" / "lab"
    process = fake_init(tmp_path, other)
    try:
        assert lab_module._inits_from(process.pid, other)
        assert not lab_module._inits_from(process.pid, mine)
    finally:
        process.kill()
        process.wait()


def test_a_process_that_is_no_node_init_is_never_claimed(tmp_path: Path) -> None:
    import os

    assert not lab_module._inits_from(os.getpid(), tmp_path)
    assert not lab_module._inits_from(2**22 + 12345, tmp_path)  # no such process
