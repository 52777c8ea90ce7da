"""No generated secret in any log or state file of a deployed lab.

Config files hold the credentials their daemons need (/etc on each node, mode 0640 or
stricter); Pacemaker's secrets directory, the Erlang cookie, hastack's secrets.json and the
operator's client credentials (clouds.yaml, openrc: mode 0600) are where secrets live.
Everything else — every log, the CIB and its history, the scheduler's inputs, database and
broker files, the BMCs' and node-init's logs, hastack's own logs — must not hold one,
compressed or not.
"""

from __future__ import annotations

import bz2
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import DeployedLab
from hastack.secrets import NAMES

pytestmark = pytest.mark.lab

# Where a secret belongs (paths on a node's disk, or in the state directory).
HOMES = (
    "etc/",
    "var/lib/pacemaker/lrm/secrets/",
    "var/lib/rabbitmq/.erlang.cookie",
)
STATE_HOMES = ("secrets.json", "clouds.yaml", "openrc")
DEBUG_LOGS = "hastack-debug*.log"  # in /tmp: the debug log and its per-user fallbacks


def _files(deployed: DeployedLab) -> Iterator[tuple[str, Path]]:
    """(where, path) for every file a secret must not be in."""
    for path in sorted(deployed.state_dir.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        if path.name in STATE_HOMES:
            assert path.stat().st_mode & 0o077 == 0, f"{path} is readable by others"
            continue
        relative = path.relative_to(deployed.state_dir).as_posix()
        parts = relative.split("/disk/", 1)
        if len(parts) == 2 and parts[1].startswith(HOMES):
            continue
        yield relative, path
    for log in sorted(Path("/tmp").glob(DEBUG_LOGS)):
        if log.is_file() and not log.is_symlink():
            yield str(log), log


def _content(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".bz2":  # Pacemaker's scheduler inputs (pe-input-*.bz2)
        data += bz2.decompress(data)
    return data


def test_no_secret_in_any_log_or_state_file(deployed: DeployedLab) -> None:
    values = {name: deployed.secrets.get(name).reveal().encode() for name in NAMES}
    checked, found = 0, []
    for where, path in _files(deployed):
        data = _content(path)
        checked += 1
        found += [f"{name} in {where}" for name, value in values.items() if value in data]
    assert checked > 100, f"only {checked} files looked at: is the lab's state where expected?"
    assert found == [], "\n".join(found)


def test_the_cib_holds_references_and_the_fencer_resolves_them(deployed: DeployedLab) -> None:
    """The BMC password is ``lrm://`` in the live CIB; the fence devices still run (their
    monitor logs into the BMC), so the fencer read the value from the secrets directory."""
    ctl1 = deployed.node("ctl-1")
    cib = ctl1.check(["cibadmin", "--query", "--scope", "resources"]).stdout
    assert 'name="password" value="lrm://"' in cib
    check = ctl1.check(["cibsecret", "-C", "check", "fence-ctl-2", "password"])
    assert check.exit_code == 0, check.stderr
    history = ctl1.check(["stonith_admin", "--list-registered"]).stdout
    assert "fence-ctl-2" in history and "fence-ctl-3" in history
