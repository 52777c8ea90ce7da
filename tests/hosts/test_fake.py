"""What FakeHost adds to the contract: scripted commands, a process table, a history."""

from __future__ import annotations

import pytest

from hastack import errors
from hastack.hosts.fake import FakeHost, init_script, ok, pgrep


def test_an_unscripted_command_fails_loudly_and_is_recorded() -> None:
    host = FakeHost("ctl-9")
    result = host.run(["/etc/init.d/memcached", "start"])
    assert result.exit_code == 127
    assert result.stderr.startswith("/etc/init.d/memcached: command not found on fake host ctl-9")
    assert host.history == [("/etc/init.d/memcached", "start")]
    with pytest.raises(errors.CommandFailed, match=r"on ctl-9: `/etc/init\.d/memcached start`"):
        host.check(["/etc/init.d/memcached", "start"])


def test_the_longest_matching_prefix_answers() -> None:
    host = FakeHost()
    host.on(["systemctl"], lambda h, call: call.result(stdout="any\n"))
    host.on(["systemctl", "is-active"], lambda h, call: call.result(3, "inactive\n"))
    host.on([], lambda h, call: call.result(99))
    assert host.run(["systemctl", "is-active", "x"]).stdout == "inactive\n"
    assert host.run(["systemctl", "start", "x"]).stdout == "any\n"
    assert host.run(["other"]).exit_code == 99
    assert host.run(["systemctl", "is-active", "x"]).argv == ("systemctl", "is-active", "x")


def test_pgrep_and_an_init_script_share_the_process_table() -> None:
    host = FakeHost()
    host.on(["pgrep"], pgrep)
    host.on(["/etc/init.d/memcached"], init_script("memcached"))
    assert host.run(["pgrep", "-x", "memcached"]).exit_code == 1
    assert host.run(["/etc/init.d/memcached", "status"]).exit_code == 3
    host.check(["/etc/init.d/memcached", "start"])
    host.check(["/etc/init.d/memcached", "start"])  # already running: still one
    assert host.processes == ["memcached"]
    assert host.run(["pgrep", "-x", "memcached"]).stdout == "1000\n"
    host.check(["/etc/init.d/memcached", "restart"])
    assert host.processes == ["memcached"]
    host.check(["/etc/init.d/memcached", "stop"])
    assert host.processes == []
    assert host.run(["/etc/init.d/memcached", "frobnicate"]).exit_code == 2
    assert host.run(["pgrep", "-f", "memcached"]).exit_code == 2  # only -x is modelled


def test_spawn_names_the_process_as_the_kernel_does() -> None:
    host = FakeHost()
    host.on(["/usr/sbin/rabbitmq-server-with-a-long-name"], ok)
    host.on(["pgrep"], pgrep)
    host.spawn(["/usr/sbin/rabbitmq-server-with-a-long-name", "-x"], log="/var/log/r/out.log")
    assert host.processes == ["rabbitmq-server"]  # 15 characters, what `pgrep -x` matches
    assert host.run(["pgrep", "-x", "rabbitmq-server"]).ok
    assert host.read_file("/var/log/r/out.log") == ""
    assert host.history[0] == ("/usr/sbin/rabbitmq-server-with-a-long-name", "-x")


def test_a_daemon_that_cannot_start_leaves_a_log_and_no_process() -> None:
    host = FakeHost()
    host.on(["corosync"], lambda h, call: call.result(8, stderr="parse error in config\n"))
    host.spawn(["corosync", "-f"], log="/var/log/corosync/stdout.log")
    host.spawn(["pacemakerd"], log="/var/log/pacemaker/stdout.log")  # no handler: no binary
    assert host.processes == []
    assert host.read_file("/var/log/corosync/stdout.log") == "parse error in config\n"
    assert "pacemakerd: command not found" in (
        host.read_file("/var/log/pacemaker/stdout.log") or ""
    )


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
