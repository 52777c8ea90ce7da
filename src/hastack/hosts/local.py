"""The machine hastack runs on, as a Connector (host-side lab commands, local deploys)."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from .. import errors
from .base import CommandResult, Connector

log = logging.getLogger(__name__)

TIMEOUT_EXIT = 124


def run_process(
    argv: Sequence[str],
    *,
    timeout: float,
    stdin: str | None,
    env: Mapping[str, str] | None,
) -> CommandResult:
    """Run *argv* in its own process group; on timeout kill the whole group, exit 124.

    The group matters for ``nsenter``: the command it forks lives in the node and would
    outlive a plain kill of ``nsenter``.
    """
    proc = subprocess.Popen(
        list(argv),
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(env) if env is not None else None,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(stdin.encode() if stdin is not None else None, timeout=timeout)
        code = proc.returncode
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        code = TIMEOUT_EXIT
        err += f"\ntimed out after {timeout:g} s".encode()
    return CommandResult(
        tuple(argv),
        code,
        out.decode("utf-8", errors="replace"),
        err.decode("utf-8", errors="replace"),
    )


class LocalConnector(Connector):
    """Runs argv on this machine with subprocess (no shell); files through the local fs."""

    def __init__(self, name: str = "localhost") -> None:
        self.name = name

    def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float = 120.0,
        stdin: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> CommandResult:
        log.debug("%s: %s", self.name, " ".join(argv))
        full_env = {**os.environ, **env} if env else None
        try:
            return run_process(argv, timeout=timeout, stdin=stdin, env=full_env)
        except FileNotFoundError as exc:
            return CommandResult(tuple(argv), 127, "", f"{argv[0]}: command not found ({exc})")
        except PermissionError as exc:  # the shell's answer too: found, not executable
            return CommandResult(tuple(argv), 126, "", f"{argv[0]}: cannot execute ({exc})")

    def read_file(self, path: str) -> str | None:
        try:
            return Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def write_file(self, path: str, text: str, *, mode: int = 0o644, owner: str = "root") -> None:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        user, _, group = owner.partition(":")
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.chmod(tmp, mode)
            shutil.chown(tmp, user, group or None)
            os.replace(tmp, target)
        except BaseException as exc:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            if isinstance(exc, LookupError):
                raise errors.HastackError(
                    f"cannot write {path} on {self.name}: owner {owner!r} does not exist ({exc})"
                ) from exc
            raise
