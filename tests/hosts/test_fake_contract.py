"""FakeHost passes the Connector contract, answering the coreutils it uses from its own state.

The handlers below read and write the fake's dict filesystem, so a check such as "mode and
owner are applied" passes only if ``write_file`` really recorded them.
"""

from __future__ import annotations

import posixpath

import pytest
from contract import ConnectorContract, Target

from hastack.hosts import CommandResult
from hastack.hosts.fake import Call, FakeHost, Handler

SCRATCH = "/var/tmp/hs-contract"


def _echo(host: FakeHost, call: Call) -> CommandResult:
    return call.result(stdout=" ".join(call.argv[1:]) + "\n")


def _cat(host: FakeHost, call: Call) -> CommandResult:
    if len(call.argv) == 1:
        return call.result(stdout=call.stdin)
    out = ""
    for path in call.argv[1:]:
        text = host.read_file(path)
        if text is None:
            return call.result(1, out, f"cat: {path}: No such file or directory\n")
        out += text
    return call.result(stdout=out)


def _printenv(host: FakeHost, call: Call) -> CommandResult:
    value = call.env.get(call.argv[1])
    return call.result(1) if value is None else call.result(stdout=value + "\n")


def _operand(argv: tuple[str, ...]) -> str:
    """The one path of `ls [-A] [--] PATH` or `stat -c FMT [--] PATH`."""
    return argv[-1]


def _children(host: FakeHost, folder: str) -> list[str]:
    paths = [*host.files, *host.dirs]
    return sorted(
        posixpath.basename(p) for p in paths if p != "/" and posixpath.dirname(p) == folder
    )


def _ls(host: FakeHost, call: Call) -> CommandResult:
    path = posixpath.normpath(_operand(call.argv))
    if path in host.dirs:
        return call.result(stdout="".join(f"{name}\n" for name in _children(host, path)))
    if path in host.files:
        return call.result(stdout=path + "\n")
    return call.result(2, stderr=f"ls: cannot access '{path}': No such file or directory\n")


def _stat(host: FakeHost, call: Call) -> CommandResult:
    assert call.argv[1] == "-c", "the fake stat knows only `stat -c FORMAT [--] PATH`"
    path = posixpath.normpath(_operand(call.argv))
    found = host.files.get(path)
    if found is None and path not in host.dirs:
        return call.result(1, stderr=f"stat: cannot statx '{path}': No such file or directory\n")
    user, group = found.owner.split(":") if found else ("root", "root")
    kind = "directory" if found is None else "regular file" if found.text else "regular empty file"
    mode = f"{found.mode:o}" if found else "755"
    fields = {"%a": mode, "%U": user, "%G": group, "%F": kind}
    out = call.argv[2]
    for token, value in fields.items():
        out = out.replace(token, value)
    return call.result(stdout=out + "\n")


def _sleep(host: FakeHost, call: Call) -> CommandResult:
    if float(call.argv[1]) > call.timeout:
        raise TimeoutError
    return call.result()


def _exit(code: int) -> Handler:
    return lambda host, call: call.result(code)


COREUTILS: dict[str, Handler] = {
    "cat": _cat,
    "echo": _echo,
    "false": _exit(1),
    "ls": _ls,
    "printenv": _printenv,
    "sleep": _sleep,
    "stat": _stat,
    "true": _exit(0),
}


def fake_host() -> FakeHost:
    host = FakeHost("fake-1")
    for name, handler in COREUTILS.items():
        host.on([name], handler)
    host.make_dirs(SCRATCH)
    return host


def _unreachable() -> FakeHost:
    host = fake_host()
    host.reachable = False
    return host


@pytest.fixture
def target() -> Target:
    return Target(fake_host(), SCRATCH, unreachable=_unreachable)


class TestFakeHost(ConnectorContract):
    pass
