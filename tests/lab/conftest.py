"""The deployed labs the lab tests share: `hastack lab up` once per bundle, real daemons.

A test module names its bundle with ``LAB`` (default ``"core"``: examples/lab-core.yaml;
``"cloud"``: examples/lab-cloud.yaml, the core with Swift and Glance). pytest runs every
test of one bundle before the next and takes a lab down before it brings the next up: both
use the same node names, and two labs at once would not fit two cores anyway. Each lab runs
the real CLI in a private state directory and is taken down at the end, asserting that no
namespace, link, mount or process of the lab is left behind.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hastack import plan
from hastack.lab.lab import Lab
from hastack.secrets import SecretStore
from hastack.topology.load import load

ROOT = Path(__file__).resolve().parents[2]
BUNDLES = {
    "core": ROOT / "examples" / "lab-core.yaml",
    "cloud": ROOT / "examples" / "lab-cloud.yaml",
}
HASTACK = [sys.executable, "-m", "hastack"]


@dataclasses.dataclass
class DeployedLab:
    state_dir: Path
    plan: plan.Plan
    lab: Lab
    secrets: SecretStore
    up_output: str
    bundle: Path

    def cli(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "HASTACK_STATE_DIR": str(self.state_dir)}
        return subprocess.run(
            [*HASTACK, *args], capture_output=True, text=True, timeout=timeout, env=env
        )

    def node(self, name: str):  # type: ignore[no-untyped-def]
        return self.lab.connector(name)


def _lab_objects() -> list[str]:
    netns = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    links = subprocess.run(["ip", "-br", "link"], capture_output=True, text=True).stdout
    found = [line.split()[0] for line in netns.splitlines() if line.startswith("hs-ctl-")]
    found += [line.split()[0] for line in links.splitlines() if line.startswith("hs-mgmt-0")]
    return found


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that uses the lab gets its module's bundle (``LAB``), session-scoped: the
    tests of one bundle run together, on one lab."""
    if "deployed" in metafunc.fixturenames:
        name = getattr(metafunc.module, "LAB", "core")
        metafunc.parametrize("deployed", [name], indirect=True, scope="session")


@pytest.fixture(scope="session")
def deployed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DeployedLab]:
    bundle = BUNDLES[request.param]
    if os.geteuid() != 0:
        pytest.fail("lab tests need root: they create network namespaces and run daemons")
    if _lab_objects():
        pytest.fail(f"a lab is already running here ({_lab_objects()}); `hastack lab down` first")
    state = tmp_path_factory.mktemp("hastack-state")
    topo = load(bundle)
    result = plan.build(topo)
    lab = Lab(state / "lab")
    env = {**os.environ, "HASTACK_STATE_DIR": str(state)}
    try:
        up = subprocess.run(
            [*HASTACK, "lab", "up", str(bundle)],
            capture_output=True,
            text=True,
            env=env,
            timeout=900,
        )
        if up.returncode != 0:
            pytest.fail(f"lab up failed:\n{up.stdout}\n{up.stderr}\n{_node_logs(lab, result)}")
        secrets = SecretStore(state / "deployments" / topo.name)
        yield DeployedLab(state, result, lab, secrets, up.stdout + up.stderr, bundle)
    finally:
        namespaces = _pid_namespaces(lab)
        down = subprocess.run(
            [*HASTACK, "lab", "down", "--wipe"],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert down.returncode == 0, down.stderr
        assert _lab_objects() == [], "lab down left namespaces or links behind"
        cgroups = [
            *Path("/sys/fs/cgroup").glob("hs-ctl-*"),
            *Path("/sys/fs/cgroup").glob("*/hs-ctl-*"),
        ]
        assert cgroups == [], f"lab down left the nodes' cgroups behind: {cgroups}"
        mounts = subprocess.run(
            ["findmnt", "-rn", "-o", "TARGET"], capture_output=True, text=True
        ).stdout
        assert str(state) not in mounts
        leftovers = _processes_in(namespaces)
        assert leftovers == [], f"processes left behind: {leftovers}"


NODE_LOGS = (
    ("systemctl", "--failed", "--no-legend", "--plain"),
    ("tail", "-n", "40", "/var/log/mysql/error.log"),
    ("journalctl", "--no-pager", "-n", "40", "-u", "rabbitmq-server", "-u", "pacemaker"),
)


def _node_logs(lab: Lab, result: plan.Plan) -> str:
    """Failed units and the ends of the daemons' logs on every node: the lab is wiped after
    a failed start, and CI shows only what the test prints."""
    out = []
    for host in result.hosts:
        for argv in NODE_LOGS:
            try:
                done = lab.connector(host.name).run(list(argv), timeout=30)
                text = done.stdout + done.stderr
            except Exception as error:  # a node that never started: say so and go on
                text = f"(cannot run: {error})"
            out.append(f"--- {host.name}: {' '.join(argv)}\n{text.rstrip()}")
    return "\n".join(out)


def _pid_namespaces(lab: Lab) -> set[str]:
    """The PID namespaces of this lab's nodes (other labs may run beside it)."""
    found = set()
    for node in lab.status() if (lab.layout.root / "lab.json").exists() else []:
        if node.init_pid is not None:
            found.add(os.readlink(f"/proc/{node.init_pid}/ns/pid"))
    return found


def _processes_in(namespaces: set[str]) -> list[str]:
    """Processes still alive in any of *namespaces*."""
    left = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if os.readlink(proc / "ns" / "pid") in namespaces:
                left.append(f"{proc.name} {(proc / 'comm').read_text().strip()}")
        except OSError:
            continue  # exited meanwhile
    return left


def status_json(lab: DeployedLab) -> tuple[int, dict[str, object]]:
    done = lab.cli("status", "--json", timeout=120)
    return done.returncode, json.loads(done.stdout)
