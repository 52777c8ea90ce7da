"""What FakeHost adds to the contract: scripted commands, a process table, a history."""

from __future__ import annotations

import pytest

from hastack import errors
from hastack.hosts.fake import FakeHost, pgrep, with_systemd


def test_an_unscripted_command_fails_loudly_and_is_recorded() -> None:
    host = FakeHost("ctl-9")
    result = host.run(["memcached", "-d"])
    assert result.exit_code == 127
    assert result.stderr.startswith("memcached: command not found on fake host ctl-9")
    assert host.history == [("memcached", "-d")]
    with pytest.raises(errors.CommandFailed, match=r"on ctl-9: `memcached -d`"):
        host.check(["memcached", "-d"])


def test_the_longest_matching_prefix_answers() -> None:
    host = FakeHost()
    host.on(["systemctl"], lambda h, call: call.result(stdout="any\n"))
    host.on(["systemctl", "is-active"], lambda h, call: call.result(3, "inactive\n"))
    host.on([], lambda h, call: call.result(99))
    assert host.run(["systemctl", "is-active", "x"]).stdout == "inactive\n"
    assert host.run(["systemctl", "start", "x"]).stdout == "any\n"
    assert host.run(["other"]).exit_code == 99
    assert host.run(["systemctl", "is-active", "x"]).argv == ("systemctl", "is-active", "x")


def test_pgrep_answers_from_the_process_table() -> None:
    host = FakeHost()
    host.on(["pgrep"], pgrep)
    assert host.run(["pgrep", "-x", "mariadbd"]).exit_code == 1
    host.processes.append("mariadbd")
    assert host.run(["pgrep", "-x", "mariadbd"]).stdout == "1000\n"
    assert host.run(["pgrep", "-f", "mariadbd"]).exit_code == 2  # only -x is modelled


def test_systemctl_answers_from_the_unit_table() -> None:
    host = with_systemd(FakeHost(), "memcached.service")
    show = ["systemctl", "show", "--property=LoadState,ActiveState,UnitFileState", "--"]
    assert host.run([*show, "memcached.service"]).stdout == (
        "LoadState=loaded\nActiveState=inactive\nUnitFileState=disabled\n"
    )
    assert host.run([*show, "nope.service"]).stdout == (
        "LoadState=not-found\nActiveState=inactive\nUnitFileState=\n"
    )
    assert host.run(["systemctl", "is-active", "memcached.service"]).exit_code == 3
    host.check(["systemctl", "enable", "--now", "memcached.service"])
    unit = host.units["memcached.service"]
    assert (unit.enabled, unit.active) == ("enabled", "active")
    assert host.run(["systemctl", "is-active", "--quiet", "memcached.service"]).stdout == ""
    host.check(["systemctl", "reload", "memcached.service"])
    host.check(["systemctl", "disable", "memcached.service"])
    assert (unit.enabled, unit.active) == ("disabled", "active")  # disable leaves it running
    host.check(["systemctl", "stop", "memcached.service"])
    failed = host.run(["systemctl", "reload", "memcached.service"])
    assert failed.exit_code == 1 and "is not active" in failed.stderr
    assert host.run(["systemctl", "start", "nope.service"]).stderr == (
        "Failed to start unit: Unit nope.service not found.\n"
    )
    assert host.run(["systemctl", "frobnicate", "memcached.service"]).exit_code == 1


def test_a_unit_that_fails_to_start_is_failed_and_says_why_in_its_journal() -> None:
    host = with_systemd(FakeHost(), "memcached.service")
    host.units["memcached.service"].fails = "failed to listen on 198.18.0.2:11211"
    assert host.run(["systemctl", "start", "memcached.service"]).exit_code == 1
    assert host.units["memcached.service"].active == "failed"
    journal = host.run(["journalctl", "--unit", "memcached.service", "--lines", "5"])
    assert journal.stdout == "failed to listen on 198.18.0.2:11211\n"
    host.check(["systemctl", "reset-failed", "memcached.service"])
    assert host.units["memcached.service"].active == "inactive"


def test_daemon_reload_loads_the_drop_ins_written_since() -> None:
    host = with_systemd(FakeHost(), "corosync.service")
    path = "/etc/systemd/system/corosync.service.d/hastack.conf"
    host.write_file(path, "[Service]\nRestart=on-failure\n")
    assert host.units["corosync.service"].loaded_dropins == {}
    host.check(["systemctl", "daemon-reload"])
    assert host.units["corosync.service"].loaded_dropins == {
        path: "[Service]\nRestart=on-failure\n"
    }


def test_writes_are_recorded_and_a_directory_is_not_a_file() -> None:
    host = FakeHost(users=("root", "memcache"), groups=("root", "memcache"))
    host.write_file("/etc/memcached.conf", "-m 64\n", owner="memcache:memcache")
    assert host.written == ["/etc/memcached.conf"]
    assert host.files["/etc/memcached.conf"].owner == "memcache:memcache"
    assert {"/", "/etc"} <= host.dirs
    with pytest.raises(errors.HastackError, match="cannot write /etc on"):
        host.write_file("/etc", "x")
    with pytest.raises(errors.HastackError, match="owner 'mysql:mysql' does not exist"):
        host.write_file("/var/lib/mysql/grastate.dat", "x", owner="mysql:mysql")
    assert host.written == ["/etc/memcached.conf"]
