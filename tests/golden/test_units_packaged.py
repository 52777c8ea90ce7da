"""The systemd units hastack manages are Debian's own and behave as hastack assumes (marker
``tools``: the packages are installed): a unit without hastack's ``Restart=`` drop-in is
restarted on failure by its package's unit, one with the drop-in is not already, and the
patterns drills find processes by match the command lines Debian's units run.

Nothing is started: the command lines come from the packages' own scripts run with an
``echo`` in place of the daemon, in a throwaway mount namespace with a fresh /run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tools import run, sandbox

from hastack.apply import apache, pacemaker, units
from hastack.kinds.heat import service as heat
from hastack.kinds.keystone import deploy as keystone
from hastack.kinds.memcached import service as memcached
from hastack.kinds.rabbitmq import deploy as rabbitmq

pytestmark = pytest.mark.tools

UNIT_DIRS = (Path("/usr/lib/systemd/system"), Path("/lib/systemd/system"))
MANAGED = (
    pacemaker.COROSYNC,
    pacemaker.PACEMAKER,
    pacemaker.KEEPALIVED,
    memcached.UNIT,
    rabbitmq.UNIT,
    heat.ENGINE.unit,
    keystone.INSTANCE.unit,
)
RESTARTS = ("on-failure", "always")  # both bring back a crashed or SIGKILLed daemon


def unit_file(name: str) -> str:
    """The package's unit file (a template's for ``name@instance.service``)."""
    packaged = re.sub(r"@[^.]+\.", "@.", name)
    for directory in UNIT_DIRS:
        if (directory / packaged).is_file():
            return (directory / packaged).read_text()
    pytest.fail(f"{packaged} is not installed: install the package that ships it")


def setting(text: str, key: str) -> str:
    values = re.findall(rf"^{key}=(.*)$", text, re.MULTILINE)
    return values[-1].strip() if values else ""


@pytest.mark.parametrize("unit", MANAGED, ids=lambda u: u.name)
def test_every_managed_unit_comes_back_after_a_crash(unit: units.Unit) -> None:
    packaged = setting(unit_file(unit.name), "Restart") or "no"
    ours = [line.partition("=")[2] for line in unit.service if line.startswith("Restart=")]
    if ours:
        assert packaged not in RESTARTS, f"{unit.name}: the package restarts it already"
        assert ours == ["on-failure"]
    else:
        assert packaged in RESTARTS, f"{unit.name}: Restart={packaged} and no drop-in"
    assert "[Install]" in unit_file(unit.name), f"{unit.name} cannot be enabled"


def _in_fresh_run(command: list[str], env: dict[str, str]) -> str:
    script = 'mount -t tmpfs none /run && mkdir /run/lock && exec env "$@"'
    pairs = [f"{k}={v}" for k, v in env.items()]
    result = run([*sandbox(mount=True), "sh", "-c", script, "sh", *pairs, *command])
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_heat_engine_pattern_matches_what_debians_unit_runs() -> None:
    text = unit_file(heat.ENGINE.unit.name)
    init, verb = setting(text, "ExecStart").split()
    assert verb == "systemd-start", "the unit execs the daemon through its init script"
    argv = _in_fresh_run(["sh", init, "show-args"], {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
    script = argv.split()[0]
    interpreter = Path(script).read_text().splitlines()[0].removeprefix("#!").strip()
    command_line = f"{interpreter} {argv}"  # what the kernel shows for a script
    assert re.search(heat.ENGINE.pattern, command_line), command_line
    assert f"--log-file={heat.ENGINE.log}" in argv


def test_the_apache_instance_pattern_matches_what_debians_unit_runs() -> None:
    instance = keystone.INSTANCE
    text = unit_file(instance.unit.name).replace("%i", instance.service)
    env = dict(pair.split("=", 1) for pair in setting(text, "Environment").split() if "=" in pair)
    assert env["APACHE_CONFDIR"] == apache.config_dir(instance.service)
    assert setting(text, "ConditionPathIsDirectory") == apache.config_dir(instance.service)
    ctl, action = setting(text, "ExecStart").split()
    echoed = _in_fresh_run(
        ["sh", ctl, action],
        {**env, "APACHE_HTTPD": "/bin/echo", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
    )
    command_line = f"{apache.APACHE} {echoed.splitlines()[-1]}"
    assert re.search(instance.pattern, command_line), command_line
    assert Path(instance.conf).name == "apache2.conf"  # what `apache2 -d DIR` reads
