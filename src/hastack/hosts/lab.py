"""A lab node as a Connector: every command and file access enters the node's namespaces.

``nsenter -t <PID 1 of the node> -a`` puts the command in every namespace of the node
(mount, UTS, IPC, network, PID, cgroup), so paths are the node's view (its /etc is its own
disk laid over this host's) and the command is one of the node's processes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from .. import errors
from .base import CommandResult, Connector
from .local import run_process

log = logging.getLogger(__name__)

NODE_ENV = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG": "C.UTF-8",
    "HOME": "/root",
}
MISSING = 44  # read_file's exit code for "no such file"
_READ = '[ -e "$1" ] || exit 44; exec cat -- "$1"'
_WRITE = (
    'set -e; d=$(dirname -- "$1"); mkdir -p -- "$d"; t=$(mktemp "$d/.hastack.XXXXXX"); '
    'trap \'rm -f -- "$t"\' EXIT; cat >"$t"; chmod "$2" "$t"; chown "$3" "$t"; '
    'mv -f -- "$t" "$1"; trap - EXIT'
)


class LabConnector(Connector):
    """Runs argv inside lab node *name*; *init_pid* tells the host PID of its init (or None).

    ``Lab.connector(name)`` builds one; the PID is looked up again for every call, so a
    connector stays valid across power cycles of its node.
    """

    def __init__(self, name: str, init_pid: Callable[[], int | None]) -> None:
        self.name = name
        self._init_pid = init_pid

    def _pid(self) -> int:
        pid = self._init_pid()
        if pid is None:
            raise errors.ConnectError(
                f"lab node {self.name} is powered off; power it on with "
                f"`hastack lab power {self.name} on`"
            )
        return pid

    def enter_argv(self, argv: Sequence[str]) -> list[str]:
        """The host argv that runs *argv* inside the node."""
        pid = self._pid()
        return ["nsenter", "-t", str(pid), "-a", "--wd=/", "--", *argv]

    def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float = 120.0,
        stdin: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> CommandResult:
        log.debug("%s: %s", self.name, " ".join(argv))
        full = self.enter_argv(argv)
        result = run_process(full, timeout=timeout, stdin=stdin, env={**NODE_ENV, **(env or {})})
        if result.exit_code != 0 and self._init_pid() is None:
            self._pid()  # the node went away while the command ran: say so
        return CommandResult(tuple(argv), result.exit_code, result.stdout, result.stderr)

    def read_file(self, path: str) -> str | None:
        result = self.run(["sh", "-c", _READ, "sh", path], timeout=60.0)
        if result.exit_code == MISSING:
            return None
        if not result.ok:
            raise errors.CommandFailed(
                self.name, ["cat", path], result.exit_code, result.stdout, result.stderr
            )
        return result.stdout

    def write_file(self, path: str, text: str, *, mode: int = 0o644, owner: str = "root") -> None:
        argv = ["sh", "-c", _WRITE, "sh", path, f"{mode:o}", owner]
        result = self.run(argv, stdin=text, timeout=60.0)
        if not result.ok:
            raise errors.CommandFailed(
                self.name, [f"write {path}"], result.exit_code, result.stdout, result.stderr
            )
