"""No operator mistake ends in "internal error": each is one paragraph and exit 1."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sysconfig
import tempfile
from pathlib import Path

import click
import pytest

from conftest import CORE, ROOT, Hastack
from hastack.cli import main as cli_main
from hastack.errors import DeployError, HastackError
from hastack.secrets import NAMES
from hastack.wait import ManualClock, WaitTimeout, wait_until


def never_quorate() -> tuple[str | None, str]:
    return None, "DC None, quorum False, online ['ctl-1']"


def test_a_wait_that_times_out_is_a_deploy_error_saying_what_next() -> None:
    with pytest.raises(WaitTimeout) as caught:
        wait_until(
            never_quorate, what="cluster c1 quorate with a DC", timeout=5, clock=ManualClock()
        )
    assert isinstance(caught.value, DeployError) and isinstance(caught.value, HastackError)
    assert str(caught.value) == (
        "cluster c1 quorate with a DC: not reached after 5 s (last seen: DC None, quorum "
        "False, online ['ctl-1']); see which check fails with `hastack status`, fix it, then "
        "run the command again"
    )


def test_a_deploy_wait_timing_out_exits_1_in_one_paragraph(hastack: Hastack) -> None:
    group = click.Group("hastack")

    @group.command(name="deploy-step")
    def deploy_step() -> None:
        wait_until(
            never_quorate, what="cluster c1 quorate with a DC", timeout=5, clock=ManualClock()
        )

    done = hastack("deploy-step", group=group)
    assert done.code == 1
    assert done.err_line.startswith("error: cluster c1 quorate with a DC: not reached after 5 s")
    assert "Traceback" not in done.err and "internal error" not in done.err


def test_a_bug_is_still_exit_70_with_the_traceback_in_a_file(
    hastack: Hastack, tmp_path: Path
) -> None:
    group = click.Group("hastack")

    @group.command(name="broken")
    def broken() -> None:
        raise ZeroDivisionError("a bug")

    done = hastack("broken", group=group)
    assert done.code == 70
    assert "internal error (a bug in hastack): the traceback is in" in done.err_line
    log = Path(done.err_line.split("the traceback is in ")[1].split(";")[0])
    assert "ZeroDivisionError: a bug" in log.read_text()


def test_the_debug_log_goes_beside_another_users_log(tmp_path: Path) -> None:
    theirs = tmp_path / "hastack-debug.log"
    theirs.symlink_to(tmp_path / "elsewhere")  # never written through, like a foreign file
    where = Path(cli_main.write_debug_log("Traceback: x", theirs))
    assert where.parent == tmp_path and where != theirs
    assert where.read_text() == "Traceback: x"
    assert not (tmp_path / "elsewhere").exists()


def test_unwritable_state_dir(hastack: Hastack, blocked: Path, tmp_path: Path) -> None:
    done = hastack("--state-dir", str(blocked), "render", str(CORE), "-o", str(tmp_path / "o"))
    assert done.code == 1
    assert done.err_line == (
        f"error: cannot keep the deployment's secrets: {blocked}/deployments/lab-core: Not a "
        "directory; give --state-dir (or HASTACK_STATE_DIR) a directory you can write; "
        "secrets.json is kept there with mode 0600"
    )


def test_unwritable_output_dir(hastack: Hastack, blocked: Path, tmp_path: Path) -> None:
    done = hastack("render", str(CORE), "-o", str(blocked), default_state=tmp_path / "state")
    assert done.code == 1
    assert done.err_line == (
        f"error: cannot create the directory for the rendered files: {blocked}: Not a "
        "directory; pick an -o directory you can write"
    )


def test_unwritable_drill_report_dir_is_refused_before_any_drill(
    hastack: Hastack, tmp_path: Path, blocked: Path
) -> None:
    if os.geteuid() != 0:
        pytest.skip("drills need root before they look at anything else")
    done = hastack("--state-dir", str(tmp_path), "drill", "all", "--report", str(blocked))
    assert done.code == 1
    assert done.err_line == (
        f"error: cannot create the directory for the drill report: {blocked}: Not a "
        "directory; pick a --report directory you can write"
    )


def test_unknown_secret_name(hastack: Hastack, tmp_path: Path) -> None:
    state = str(tmp_path / "state")
    assert hastack("--state-dir", state, "render", str(CORE), "-o", str(tmp_path / "o")).code == 0
    done = hastack("--state-dir", state, "secrets", "show", "lab-core", "--name", "erlang-cooky")
    assert done.code == 1
    path = tmp_path / "state/deployments/lab-core/secrets.json"
    assert done.err_line == (
        f"error: {path} has no secret named 'erlang-cooky'; did you mean 'erlang-cookie'? "
        f"--name takes one of {', '.join(sorted(NAMES))}"  # every kind's: bmc-password, ...
    )
    assert (
        "bmc-password, corosync-authkey, erlang-cookie, glance-db-password, glance-password, "
        "haproxy-stats-password"
    ) in done.err_line
    assert done.out == ""


def test_secrets_of_an_unknown_deployment(hastack: Hastack, tmp_path: Path) -> None:
    done = hastack("--state-dir", str(tmp_path), "secrets", "show", "nope")
    assert done.code == 1
    assert done.err_line == (
        f"error: deployment 'nope' has no secrets in {tmp_path}/deployments/nope/secrets.json;"
        " `hastack lab up` generates them, and so does `hastack --state-dir DIR render BUNDLE "
        "-o OUT` (into DIR)"
    )


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('{"name": "lab-core", "fi', "is not valid JSON (Unterminated string starting at: "),
        ("[1, 2]", "does not name a bundle file (key `file`)"),
    ],
)
def test_corrupt_deployment_record(hastack: Hastack, tmp_path: Path, text: str, why: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("status needs root before it reads the record")
    record = tmp_path / "lab" / "deployment.json"
    record.parent.mkdir(parents=True)
    record.write_text(text)
    done = hastack("--state-dir", str(tmp_path), "status")
    assert done.code == 1
    assert done.err_line.startswith(f"error: {record} {why}")
    assert done.err_line.endswith(
        f"; remove {record} and run `hastack lab up BUNDLE` with the bundle the lab runs"
    )


NOBODY = 65534


def as_a_regular_user(argv: list[str]) -> subprocess.CompletedProcess[str]:
    """Run *argv* as user nobody when this is root, else as this (already regular) user,
    with this interpreter's packages on the path."""
    site = sysconfig.get_paths()["purelib"]
    root = os.geteuid() == 0
    return subprocess.run(
        argv,
        env={"PYTHONPATH": f"{ROOT / 'src'}:{site}", "PATH": os.environ["PATH"]},
        user=NOBODY if root else None,
        group=NOBODY if root else None,
        extra_groups=[] if root else None,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def regular_python() -> str:
    """A Python that a regular user can run with hastack's dependencies (or skip)."""
    for python in ("/usr/bin/python3", shutil.which("python3")):
        try:
            if (
                python
                and as_a_regular_user([python, "-c", "import hastack.cli.main"]).returncode == 0
            ):
                return python
        except OSError:  # that user may not even reach the interpreter
            continue
    pytest.skip("no Python with hastack's dependencies that a regular user can run")


def test_render_as_a_regular_user_needs_no_root_and_writes_no_state(regular_python: str) -> None:
    work = Path(tempfile.mkdtemp(prefix="hastack-regular-user-"))
    try:
        work.chmod(0o777)
        locked = work / "locked"  # a state directory that user may not write
        locked.mkdir(mode=0o755)
        render = [regular_python, "-m", "hastack", "render", str(CORE), "-o", str(work / "out")]
        done = as_a_regular_user(render)
        assert done.returncode == 0, done.stderr
        assert "rendered with throwaway secrets" in " ".join(done.stderr.split())
        assert (work / "out" / "ctl-1" / "etc" / "corosync" / "corosync.conf").exists()
        refused = as_a_regular_user([*render[:3], "--state-dir", str(locked), *render[3:]])
        assert refused.returncode == 1, refused.stderr
        assert " ".join(refused.stderr.split()) == (
            f"error: cannot keep the deployment's secrets: {locked}/deployments: Permission "
            "denied; give --state-dir (or HASTACK_STATE_DIR) a directory you can write; "
            "secrets.json is kept there with mode 0600"
        )
        assert stat.S_IMODE(locked.stat().st_mode) == 0o755 and not any(locked.iterdir())
    finally:
        shutil.rmtree(work)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("{bad", "is not valid JSON (Expecting property name enclosed in double quotes: "),
        ('"a string"', "is not a lab spec (a JSON object)"),
    ],
)
def test_corrupt_lab_spec(hastack: Hastack, tmp_path: Path, text: str, why: str) -> None:
    spec = tmp_path / "lab" / "lab.json"
    spec.parent.mkdir(parents=True)
    spec.write_text(text)
    done = hastack("--state-dir", str(tmp_path), "lab", "nodes")
    assert done.code == 1
    assert done.err_line.startswith(f"error: {spec} {why}")
    assert done.err_line.endswith(
        f"; remove {spec} and run `hastack lab up BUNDLE`, which writes it again"
    )
