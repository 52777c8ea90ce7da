"""The command line as a user meets it: exit codes, one-paragraph errors, JSON, no secrets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CORE = ROOT / "examples" / "lab-core.yaml"
REFERENCE = ROOT / "examples" / "openstack-ha-reference.yaml"


def hastack(*args: str, state: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    if state is not None:
        env["HASTACK_STATE_DIR"] = str(state)
    return subprocess.run(
        [sys.executable, "-m", "hastack", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_validate_a_good_bundle() -> None:
    done = hastack("validate", str(CORE))
    assert done.returncode == 0
    assert "valid" in done.stderr


def test_plan_json_of_the_reference_bundle_lists_every_seed_service() -> None:
    done = hastack("plan", str(REFERENCE), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    kinds = {app["kind"] for app in data["applications"].values()}
    assert {
        "ceph",
        "ceph-osd",
        "galera",
        "rabbitmq",
        "keystone",
        "nova-cloud-controller",
        "glance",
        "cinder",
        "neutron-gateway",
        "nova-compute",
        "swift-proxy",
        "swift-storage",
        "openstack-dashboard",
        "hacluster",
    } <= kinds
    assert len(data["failure_analysis"]["single"]) == 17
    assert data["failover_budgets"]
    assert data["ok"] is True


def test_plan_table_shows_failure_analysis() -> None:
    done = hastack("plan", str(CORE))
    assert done.returncode == 0, done.stderr
    assert "single machine failures" in done.stdout
    assert "failover budget" in done.stdout
    assert "start phases" in done.stdout


def test_bad_yaml_is_one_paragraph_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("applications:\n  mysql: {charm: percona-cluster\n")
    done = hastack("validate", str(bad))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"{bad}:" in done.stderr


def test_even_quorum_is_rejected_with_the_fix(tmp_path: Path) -> None:
    bundle = tmp_path / "even.yaml"
    bundle.write_text(
        CORE.read_text().replace(
            '    charm: percona-cluster\n    num_units: 3\n    to: ["0", "1", "2"]',
            '    charm: percona-cluster\n    num_units: 2\n    to: ["0", "1"]',
        )
    )
    done = hastack("plan", str(bundle))
    assert done.returncode == 1
    assert (
        "applications.mysql.num_units: 2 members cannot keep quorum after one failure; "
        "use 3, or 2 plus a garbd arbitrator" in done.stderr.replace("\n", " ").replace("  ", " ")
    )


def test_unknown_charm_suggests_the_closest(tmp_path: Path) -> None:
    bundle = tmp_path / "typo.yaml"
    bundle.write_text("applications:\n  ks:\n    charm: keystne\n    num_units: 3\n")
    done = hastack("validate", str(bundle))
    assert done.returncode == 1
    assert "keystone" in done.stderr
    assert "Traceback" not in done.stderr


def test_render_writes_every_host_and_never_prints_secrets(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = hastack("render", str(CORE), "-o", str(out), state=tmp_path / "state")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["ctl-1", "ctl-2", "ctl-3"]
    assert (out / "ctl-2" / "etc" / "haproxy" / "haproxy.cfg").exists()
    secrets = json.loads((tmp_path / "state/deployments/lab-core/secrets.json").read_text())
    assert oct((tmp_path / "state/deployments/lab-core/secrets.json").stat().st_mode)[-3:] == "600"
    for value in secrets.values():
        assert value not in done.stdout and value not in done.stderr
    again = hastack("render", str(CORE), "-o", str(tmp_path / "again"), state=tmp_path / "state")
    assert again.returncode == 0
    first = (out / "ctl-1/etc/corosync/corosync.conf").read_text()
    assert first == (tmp_path / "again/ctl-1/etc/corosync/corosync.conf").read_text()


def test_secrets_show_reveals_on_request(tmp_path: Path) -> None:
    hastack("render", str(CORE), "-o", str(tmp_path / "out"), state=tmp_path / "state")
    done = hastack(
        "secrets", "show", "lab-core", "--name", "erlang-cookie", state=tmp_path / "state"
    )
    assert done.returncode == 0
    cookie = json.loads((tmp_path / "state/deployments/lab-core/secrets.json").read_text())
    assert done.stdout.strip() == f"erlang-cookie: {cookie['erlang-cookie']}"


def test_missing_file_is_an_error_not_a_traceback() -> None:
    done = hastack("plan", "/nonexistent/bundle.yaml")
    assert done.returncode in (1, 2)
    assert "Traceback" not in done.stderr
