"""The Connector seam: the only way hastack touches a host.

A Connector runs argv lists (never shell strings) and reads and writes files on exactly one
host. Everything above ``hosts/`` talks to a Connector and never knows whether it is a lab
node (namespaces on this machine), an SSH host, or a fake.
"""

from __future__ import annotations

import abc
import dataclasses
from collections.abc import Mapping, Sequence

from .. import errors


@dataclasses.dataclass(frozen=True)
class CommandResult:
    argv: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


class Connector(abc.ABC):
    """Runs commands and moves files on one host.

    Contract:
    * ``run`` passes ``argv`` without a shell; it returns the exit code and never raises for
      a non-zero exit (``check`` does). It raises ``errors.ConnectError`` when the host
      cannot be reached, and ``TimeoutError`` is turned into exit code 124.
    * ``write_file`` is atomic (temporary file + rename in the same directory), sets the
      mode and owner, and creates missing parent directories.
    * ``read_file`` returns ``None`` for a missing file.
    """

    name: str  # the host's name as the plan knows it ("ctl-1")

    @abc.abstractmethod
    def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float = 120.0,
        stdin: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> CommandResult: ...

    @abc.abstractmethod
    def read_file(self, path: str) -> str | None: ...

    @abc.abstractmethod
    def write_file(self, path: str, text: str, *, mode: int = 0o644, owner: str = "root") -> None:
        """Write *text* atomically; ``owner`` is "user" or "user:group"."""

    def check(
        self,
        argv: Sequence[str],
        *,
        timeout: float = 120.0,
        stdin: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> CommandResult:
        """Like ``run`` but raise ``errors.CommandFailed`` on a non-zero exit."""
        result = self.run(argv, timeout=timeout, stdin=stdin, env=env)
        if result.exit_code != 0:
            raise errors.CommandFailed(
                self.name, result.argv, result.exit_code, result.stdout, result.stderr
            )
        return result

    def close(self) -> None:  # noqa: B027 - optional hook, nothing to release by default
        """Release the connection; the default has nothing to release."""
