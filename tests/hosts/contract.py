"""The Connector contract (hosts/base.py) as tests every connector must pass.

Written once: a module subclasses ``ConnectorContract`` as ``Test<Connector>`` and provides
a ``target`` fixture, one ``Target`` per connector factory it lists. Runs today:

* ``FakeHost``: tests/hosts/test_fake_contract.py (the coreutils it needs are handlers there);
* ``LocalConnector``: tests/hosts/test_local_contract.py (a temporary directory);
* ``LabConnector``: tests/lab/test_connector_contract.py (node ctl-1 of the deployed lab).

An SSH connector joins the factory list of the lab module, against a lab node's sshd.

Everything is observed through the connector itself with ordinary commands (``stat``,
``ls -A``, ``cat``, ``printenv``), so a fake passes only by answering them from its own
state. Every file goes under ``Target.scratch``, which the fixture removes afterwards.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

import pytest

from hastack import errors
from hastack.hosts import CommandResult, Connector

MISSING_USER = "hs-contract-no-such-user"
UNKNOWN_COMMAND = "hs-contract-no-such-command"
TEXTS = (
    "plain\n",
    "héllo — ünïcödé ✓ 日本\n",
    "no trailing newline",
    "",
    "\n\nblank lines\n\n\n",
    "tab\tand  spaces  \n",
)


@dataclasses.dataclass
class Target:
    connector: Connector
    scratch: str  # an empty directory on the host, removed after the test
    # the same kind of connector for a host that cannot be reached (None: cannot happen)
    unreachable: Callable[[], Connector] | None = None


def wait_for(read: Callable[[], str | None], want: str, seconds: float = 5.0) -> str | None:
    """Poll *read* until it returns *want* (a daemon writes its log on its own time)."""
    deadline = time.monotonic() + seconds
    seen = read()
    while seen != want and time.monotonic() < deadline:
        time.sleep(0.1)
        seen = read()
    return seen


def stat(conn: Connector, path: str, fmt: str) -> str:
    return conn.check(["stat", "-c", fmt, "--", path]).stdout.strip()


def listing(conn: Connector, path: str) -> list[str]:
    return conn.check(["ls", "-A", "--", path]).stdout.split()


class ConnectorContract:
    """The checks; a subclass named ``Test...`` runs them against its ``target`` fixture."""

    # run: exit codes, output, no shell

    def test_exit_codes_are_returned_not_raised(self, target: Target) -> None:
        conn = target.connector
        assert conn.run(["true"]).exit_code == 0
        assert conn.run(["false"]).exit_code == 1
        missing = f"{target.scratch}/missing"
        result = conn.run(["ls", "--", missing])
        assert (result.exit_code, result.ok, result.stdout) == (2, False, "")
        assert missing in result.stderr

    def test_result_carries_the_argv_as_given(self, target: Target) -> None:
        argv = ["echo", "x"]
        result = target.connector.run(argv)
        assert result == CommandResult(("echo", "x"), 0, "x\n", "")

    def test_argv_reaches_the_command_without_a_shell(self, target: Target) -> None:
        words = ["a;b", "$HOME", "`id`", "$(id)", "*", "two words", "'q'", '"d"', "x|y", ">f"]
        result = target.connector.run(["echo", *words])
        assert result.stdout == " ".join(words) + "\n"
        assert target.connector.run(["ls", "-A", "--", target.scratch]).stdout == ""

    def test_an_argv_element_is_one_word(self, target: Target) -> None:
        result = target.connector.run(["echo hi"])  # a command named "echo hi"
        assert (result.exit_code, result.stdout) == (127, "")

    def test_an_unknown_command_is_exit_127(self, target: Target) -> None:
        result = target.connector.run([UNKNOWN_COMMAND, "--help"])
        assert result.exit_code == 127
        assert result.stderr.strip()

    def test_a_file_that_cannot_be_executed_is_an_exit_code(self, target: Target) -> None:
        path = f"{target.scratch}/not-executable"
        target.connector.write_file(path, "#!/bin/sh\necho ran\n", mode=0o644)
        result = target.connector.run([path])
        assert result.exit_code in (126, 127)  # the shell's "cannot execute" / "not found"
        assert result.stdout == ""

    def test_stdin_is_delivered(self, target: Target) -> None:
        text = "line 1\nhéllo ✓\n\nno newline at the end"
        assert target.connector.run(["cat"], stdin=text).stdout == text

    def test_no_stdin_is_empty_stdin(self, target: Target) -> None:
        result = target.connector.run(["cat"], timeout=20)
        assert (result.exit_code, result.stdout) == (0, "")

    def test_env_is_passed(self, target: Target) -> None:
        value = "a b;$HOME ✓"
        result = target.connector.run(["printenv", "HS_CONTRACT"], env={"HS_CONTRACT": value})
        assert (result.exit_code, result.stdout) == (0, value + "\n")
        assert target.connector.run(["printenv", "HS_CONTRACT_UNSET"]).exit_code == 1

    def test_a_timeout_is_exit_124_not_an_exception(self, target: Target) -> None:
        started = time.monotonic()
        result = target.connector.run(["sleep", "30"], timeout=1)
        assert result.exit_code == 124
        assert time.monotonic() - started < 20

    # check

    def test_check_returns_the_result(self, target: Target) -> None:
        assert target.connector.check(["echo", "ok"]).stdout == "ok\n"

    def test_check_raises_command_failed(self, target: Target) -> None:
        conn = target.connector
        argv = ["ls", "--", f"{target.scratch}/missing"]
        with pytest.raises(errors.CommandFailed) as raised:
            conn.check(argv)
        failed = raised.value
        assert (failed.host, failed.argv, failed.exit_code) == (conn.name, tuple(argv), 2)
        assert f"on {conn.name}: `{' '.join(argv)}` exited 2" in str(failed)
        assert "missing" in failed.stderr

    # files

    @pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
    def test_write_then_read_is_the_same_text(self, target: Target, text: str) -> None:
        path = f"{target.scratch}/round-trip.conf"
        target.connector.write_file(path, text)
        assert target.connector.read_file(path) == text

    def test_a_rewrite_replaces_the_whole_file(self, target: Target) -> None:
        path = f"{target.scratch}/shrinks.conf"
        target.connector.write_file(path, "a long first version\n" * 20)
        target.connector.write_file(path, "short\n")
        assert target.connector.read_file(path) == "short\n"

    def test_mode_and_owner_are_applied(self, target: Target) -> None:
        conn = target.connector
        path = f"{target.scratch}/owned.conf"
        cases = [
            ((0o640, "root:nogroup"), "640 root:nogroup"),
            ((0o400, "nobody:nogroup"), "400 nobody:nogroup"),  # a rewrite changes both
            ((0o755, "nobody"), "755 nobody:root"),  # no group: the writer's (root's)
            ((0o644, "root"), "644 root:root"),  # the defaults
        ]
        for (mode, owner), want in cases:
            if (mode, owner) == (0o644, "root"):
                conn.write_file(path, "x\n")
            else:
                conn.write_file(path, "x\n", mode=mode, owner=owner)
            assert stat(conn, path, "%a %U:%G") == want, (mode, owner)

    def test_missing_parent_directories_are_created(self, target: Target) -> None:
        conn = target.connector
        path = f"{target.scratch}/a/b/c/deep.conf"
        conn.write_file(path, "deep\n")
        assert conn.read_file(path) == "deep\n"
        assert stat(conn, f"{target.scratch}/a/b/c", "%F") == "directory"

    def test_a_write_leaves_no_temporary_file(self, target: Target) -> None:
        conn = target.connector
        folder = f"{target.scratch}/etc"
        conn.write_file(f"{folder}/one.conf", "1\n")
        conn.write_file(f"{folder}/two.conf", "2\n", mode=0o600)
        conn.write_file(f"{folder}/one.conf", "1 again\n")
        assert listing(conn, folder) == ["one.conf", "two.conf"]

    def test_a_failed_write_keeps_the_old_file_and_leaves_nothing(self, target: Target) -> None:
        conn = target.connector
        folder = f"{target.scratch}/etc"
        conn.write_file(f"{folder}/kept.conf", "old\n", mode=0o640)
        with pytest.raises(errors.HastackError):
            conn.write_file(f"{folder}/kept.conf", "new\n", owner=MISSING_USER)
        assert conn.read_file(f"{folder}/kept.conf") == "old\n"
        assert stat(conn, f"{folder}/kept.conf", "%a %U") == "640 root"
        assert listing(conn, folder) == ["kept.conf"]

    def test_reading_a_missing_file_is_none(self, target: Target) -> None:
        assert target.connector.read_file(f"{target.scratch}/missing.conf") is None
        assert target.connector.read_file(f"{target.scratch}/no/such/dir.conf") is None

    def test_an_empty_file_is_not_a_missing_one(self, target: Target) -> None:
        target.connector.write_file(f"{target.scratch}/empty", "")
        assert target.connector.read_file(f"{target.scratch}/empty") == ""

    # reachability

    def test_an_unreachable_host_raises_connect_error(self, target: Target) -> None:
        if target.unreachable is None:
            pytest.skip(f"{type(target.connector).__name__}'s host is always reachable")
        conn = target.unreachable()
        path = f"{target.scratch}/never.conf"
        attempts: list[Callable[[], object]] = [
            lambda: conn.run(["true"]),
            lambda: conn.check(["true"]),
            lambda: conn.read_file(path),
            lambda: conn.write_file(path, "x\n"),
        ]
        for attempt in attempts:
            with pytest.raises(errors.ConnectError, match=conn.name):
                attempt()
        assert target.connector.read_file(path) is None
