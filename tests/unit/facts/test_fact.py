"""Fact: its argv run through a Connector, its parser applied, every failure said once."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import pytest

from hastack import errors
from hastack.facts import Fact, ParseError
from hastack.hosts.base import CommandResult, Connector


def parse_answer(text: str) -> int:
    if not text.startswith("answer="):
        raise ParseError("the answer", f"no 'answer=' in {text!r}")
    return int(text.removeprefix("answer="))


ANSWER = Fact("the answer", ("answer", "--now"), parse_answer, stdin="ask\n", timeout=7.0)


class OneAnswer(Connector):
    """Answers every command with one exit code and stdout; records what it was asked."""

    def __init__(self, exit_code: int = 0, stdout: str = "", stderr: str = "") -> None:
        self.name = "ctl-1"
        self.answer = (exit_code, stdout, stderr)
        self.calls: list[tuple[tuple[str, ...], float, str | None]] = []

    def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float = 120.0,
        stdin: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> CommandResult:
        self.calls.append((tuple(argv), timeout, stdin))
        return CommandResult(tuple(argv), *self.answer)

    def read_file(self, path: str) -> str | None:
        return None

    def write_file(self, path: str, text: str, *, mode: int = 0o644, owner: str = "root") -> None:
        raise NotImplementedError


class Unreachable(OneAnswer):
    def run(self, argv: Sequence[str], **_: object) -> CommandResult:
        raise errors.ConnectError("ctl-1 (198.18.0.11) is unreachable: no route to host")


def test_parse_ok_runs_the_argv_with_its_stdin_and_timeout() -> None:
    host = OneAnswer(stdout="answer=42\n")
    assert ANSWER.read(host) == 42
    assert ANSWER.require(host) == 42
    assert ANSWER.try_read(host, timeout=2.0) == (42, "read")
    assert host.calls == [
        (("answer", "--now"), 7.0, "ask\n"),
        (("answer", "--now"), 7.0, "ask\n"),
        (("answer", "--now"), 2.0, "ask\n"),
    ]


def test_command_fails(caplog: pytest.LogCaptureFixture) -> None:
    host = OneAnswer(exit_code=3, stderr="answer: not now\n")
    with caplog.at_level(logging.WARNING, logger="hastack.facts"):
        assert ANSWER.read(host) is None
    assert caplog.messages == ["ctl-1: `answer --now` exited 3: answer: not now"]
    with pytest.raises(errors.DeployError) as caught:
        ANSWER.require(host)
    assert str(caught.value) == (
        "on ctl-1: cannot read the answer (`answer --now` exited 3: answer: not now); run "
        "`answer --now <<< 'ask'` on ctl-1 to see what it says, fix that, then run the "
        "command again"
    )


def test_parse_error(caplog: pytest.LogCaptureFixture) -> None:
    host = OneAnswer(stdout="question=?\n")
    with caplog.at_level(logging.WARNING, logger="hastack.facts"):
        assert ANSWER.read(host) is None
    assert caplog.messages == ["ctl-1: cannot parse the answer: no 'answer=' in 'question=?\\n'"]
    with pytest.raises(errors.DeployError, match=r"^on ctl-1: cannot read the answer \(cannot"):
        ANSWER.require(host)


def test_unreachable_host(caplog: pytest.LogCaptureFixture) -> None:
    host = Unreachable()
    with caplog.at_level(logging.WARNING, logger="hastack.facts"):
        assert ANSWER.read(host) is None
    assert caplog.messages == ["ctl-1: ctl-1 (198.18.0.11) is unreachable: no route to host"]
    assert ANSWER.try_read(host) == (
        None,
        "ctl-1 (198.18.0.11) is unreachable: no route to host",
    )
    with pytest.raises(errors.DeployError) as caught:
        ANSWER.require(host)
    assert "unreachable: no route to host" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_facts_of_each_source_are_defined_next_to_their_parsers() -> None:
    from hastack.facts import galera, haproxy, memcached, network, pacemaker, rabbitmq

    assert pacemaker.CRM_MON.argv == ("crm_mon", "--output-as=xml", "-1")
    assert pacemaker.CRM_MON.parse is pacemaker.parse_crm_mon
    assert galera.WSREP_STATUS.parse is galera.parse_wsrep_status
    assert rabbitmq.CLUSTER_STATUS.parse is rabbitmq.parse_cluster_status
    assert rabbitmq.QUORUM_QUEUES.parse is rabbitmq.parse_quorum_queues
    assert network.IP_ADDR.argv == ("ip", "-j", "addr")
    assert haproxy.STAT.argv == ("socat", "-", "UNIX-CONNECT:/run/haproxy/admin.sock")
    assert haproxy.STAT.stdin == "show stat\n"
    stats = memcached.stats_fact("198.18.0.11")
    assert stats.argv == ("socat", "-", "TCP:198.18.0.11:11211")
    assert stats.stdin == "stats\r\nquit\r\n"
