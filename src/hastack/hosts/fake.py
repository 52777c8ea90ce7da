"""An in-memory host for unit tests: files in a dict, daemons in a list, scripted commands.

Nothing is executed. Every argv is answered by the handler a test registered for the
longest matching prefix (``host.on(["pgrep", "-x"], pgrep)``); an argv no handler claims
exits 127, so a step the test did not foresee fails loudly instead of passing as a silent
success. ``history`` holds every argv run or spawned, in order; ``written`` every path
written.
"""

from __future__ import annotations

import dataclasses
import posixpath
import threading
from collections.abc import Callable, Mapping, Sequence

from .. import errors
from .base import CommandResult, Connector
from .local import TIMEOUT_EXIT

COMM_LENGTH = 15  # Linux keeps this much of a process name; `pgrep -x` matches against it


@dataclasses.dataclass
class FakeFile:
    text: str
    mode: int
    owner: str  # always "user:group"


@dataclasses.dataclass(frozen=True)
class Call:
    """What a handler is asked to answer."""

    argv: tuple[str, ...]
    stdin: str  # "" when the caller gave none
    env: Mapping[str, str]  # only what the caller passed
    timeout: float

    def result(self, exit_code: int = 0, stdout: str = "", stderr: str = "") -> CommandResult:
        return CommandResult(self.argv, exit_code, stdout, stderr)


# Answers one command; raise TimeoutError for a command that outlives ``call.timeout``.
Handler = Callable[["FakeHost", Call], CommandResult]


class FakeHost(Connector):
    """One host in memory; set ``reachable = False`` to make every access a ConnectError."""

    def __init__(
        self,
        name: str = "fake-1",
        *,
        users: Sequence[str] = ("root", "nobody"),
        groups: Sequence[str] = ("root", "nogroup"),
    ) -> None:
        self.name = name
        self.users = set(users)
        self.groups = set(groups)
        self.files: dict[str, FakeFile] = {}
        self.dirs: set[str] = {"/"}
        self.processes: list[str] = []  # one name per running daemon, as `pgrep -x` sees it
        self.history: list[tuple[str, ...]] = []
        self.written: list[str] = []
        self.reachable = True
        self._handlers: dict[tuple[str, ...], Handler] = {}
        self._lock = threading.RLock()  # handlers may call back into the host

    def on(self, prefix: Sequence[str], handler: Handler) -> None:
        """Answer every argv that starts with *prefix* (the longest prefix wins)."""
        self._handlers[tuple(prefix)] = handler

    def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float = 120.0,
        stdin: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> CommandResult:
        self._reach()
        call = Call(tuple(argv), stdin or "", dict(env or {}), timeout)
        with self._lock:
            self.history.append(call.argv)
            handler = self._handler_for(call.argv)
            if handler is None:
                return call.result(127, stderr=self._unknown(call.argv))
            try:
                return dataclasses.replace(handler(self, call), argv=call.argv)
            except TimeoutError:
                return call.result(TIMEOUT_EXIT, stderr=f"timed out after {timeout:g} s")

    def read_file(self, path: str) -> str | None:
        self._reach()
        with self._lock:
            found = self.files.get(posixpath.normpath(path))
            return None if found is None else found.text

    def write_file(self, path: str, text: str, *, mode: int = 0o644, owner: str = "root") -> None:
        self._reach()
        path = posixpath.normpath(path)
        user, _, group = owner.partition(":")
        group = group or "root"  # chown without a group keeps the writer's (root's)
        if user not in self.users or group not in self.groups:
            raise errors.HastackError(
                f"cannot write {path} on {self.name}: owner {owner!r} does not exist"
            )
        with self._lock:
            if path in self.dirs:
                raise errors.HastackError(f"cannot write {path} on {self.name}: a directory")
            self.make_dirs(posixpath.dirname(path))
            self.files[path] = FakeFile(text, mode, f"{user}:{group}")
            self.written.append(path)

    def spawn(self, argv: Sequence[str], *, log: str) -> None:
        """Answer *argv* as ``run`` does, append its output to *log*; unless it failed, a
        process named after ``argv[0]`` runs from now on (as a daemon that stays up)."""
        result = self.run(argv)
        with self._lock:
            old = self.read_file(log) or ""
            self.write_file(log, old + result.stdout + result.stderr)
            if result.ok:
                self.processes.append(posixpath.basename(argv[0])[:COMM_LENGTH])

    def make_dirs(self, path: str) -> None:
        """Create *path* and its parents (``mkdir -p``)."""
        path = posixpath.normpath(path)
        if path in self.files:
            raise errors.HastackError(f"cannot create {path} on {self.name}: a file")
        while path not in self.dirs:
            self.dirs.add(path)
            path = posixpath.dirname(path)

    def _reach(self) -> None:
        if not self.reachable:
            raise errors.ConnectError(f"fake host {self.name} is unreachable (the test said so)")

    def _handler_for(self, argv: tuple[str, ...]) -> Handler | None:
        for end in range(len(argv), -1, -1):
            handler = self._handlers.get(argv[:end])
            if handler is not None:
                return handler
        return None

    def _unknown(self, argv: tuple[str, ...]) -> str:
        return (
            f"{argv[0] if argv else '(empty argv)'}: command not found on fake host "
            f"{self.name}; script it with FakeHost.on([...], handler)"
        )


def ok(host: FakeHost, call: Call) -> CommandResult:
    """Succeed with no output (a daemon that starts quietly, a command that just works)."""
    return call.result()


def pgrep(host: FakeHost, call: Call) -> CommandResult:
    """``pgrep -x NAME`` against the process table: a PID per match, exit 1 for none."""
    if len(call.argv) != 3 or call.argv[1] != "-x":
        return call.result(2, stderr=f"the fake pgrep knows only `pgrep -x NAME`: {call.argv}")
    pids = [str(1000 + i) for i, name in enumerate(host.processes) if name == call.argv[2]]
    return call.result(0 if pids else 1, "".join(f"{pid}\n" for pid in pids))


def init_script(process: str) -> Handler:
    """``/etc/init.d/<name> start|stop|restart|reload|status`` for a daemon named *process*."""

    def handle(host: FakeHost, call: Call) -> CommandResult:
        action = call.argv[1] if len(call.argv) == 2 else ""
        running = process in host.processes
        if action in ("stop", "restart"):
            host.processes[:] = [p for p in host.processes if p != process]
        if action in ("start", "restart") and (action == "restart" or not running):
            host.processes.append(process)
        if action in ("start", "stop", "restart"):
            return call.result()
        if action in ("status", "reload"):
            return call.result(0) if running else call.result(3, f"{process} is not running\n")
        return call.result(2, stderr=f"Usage: {call.argv[0]} {{start|stop|restart|reload|status}}")

    return handle
