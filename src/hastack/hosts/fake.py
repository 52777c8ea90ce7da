"""An in-memory host for unit tests: files in a dict, systemd units in a table, daemons in a
list, scripted commands.

Nothing is executed. Every argv is answered by the handler a test registered for the
longest matching prefix (``host.on(["pgrep", "-x"], pgrep)``); an argv no handler claims
exits 127, so a step the test did not foresee fails loudly instead of passing as a silent
success. ``history`` holds every argv run, in order; ``written`` every path
written. ``with_systemd(host, "memcached.service", ...)`` installs those units and answers
``systemctl`` and ``journalctl`` from ``host.units``.
"""

from __future__ import annotations

import dataclasses
import posixpath
import threading
from collections.abc import Callable, Mapping, Sequence

from .. import errors
from .base import CommandResult, Connector
from .local import TIMEOUT_EXIT

SYSTEM_DIR = "/etc/systemd/system"


@dataclasses.dataclass
class FakeUnit:
    """One installed systemd unit as ``systemctl`` reports it."""

    active: str = "inactive"  # "active", "inactive", "failed"
    enabled: str = "disabled"  # "enabled", "disabled", "static"
    restarts: int = 0  # NRestarts
    fails: str = ""  # set: a start fails with this journal line
    journal: list[str] = dataclasses.field(default_factory=list)
    loaded_dropins: dict[str, str] = dataclasses.field(default_factory=dict)  # at daemon-reload


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
        self.units: dict[str, FakeUnit] = {}  # installed units, by name ("memcached.service")
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


def with_systemd(host: FakeHost, *installed: str) -> FakeHost:
    """Install the units *installed* (disabled, inactive) and answer ``systemctl`` and
    ``journalctl`` from ``host.units``."""
    for name in installed:
        host.units.setdefault(name, FakeUnit())
    host.on(["systemctl"], systemctl)
    host.on(["journalctl"], journalctl)
    return host


def _unit_names(argv: tuple[str, ...]) -> list[str]:
    return [a for a in argv if not a.startswith("-")]


def systemctl(host: FakeHost, call: Call) -> CommandResult:
    """``systemctl`` as hastack uses it, against ``host.units``: show --property=...,
    is-active, enable [--now], disable, start, stop, restart, reload, reset-failed,
    daemon-reload (which loads the drop-ins under /etc/systemd/system)."""
    verb, *rest = call.argv[1:] or ("",)
    names = _unit_names(tuple(rest))
    if verb == "daemon-reload":
        for name, unit in host.units.items():
            prefix = f"{SYSTEM_DIR}/{name}.d/"
            unit.loaded_dropins = {
                p: f.text for p, f in host.files.items() if p.startswith(prefix)
            }
        return call.result()
    if verb == "show":
        return call.result(stdout="".join(_show(host, name, rest) for name in names))
    missing = [n for n in names if n not in host.units]
    if verb == "is-active":
        found = [host.units[n].active if n in host.units else "inactive" for n in names]
        quiet = "--quiet" in rest
        out = "" if quiet else "".join(f"{a}\n" for a in found)
        return call.result(0 if all(a == "active" for a in found) else 3, out)
    if verb not in VERBS:
        return call.result(1, stderr=f"Unknown command verb {verb}.\n")
    if missing:
        return call.result(5, stderr=f"Failed to {verb} unit: Unit {missing[0]} not found.\n")
    for name in names:
        failed = _act(host.units[name], verb, "--now" in rest, name)
        if failed is not None:
            return call.result(1, stderr=failed)
    return call.result()


VERBS = ("enable", "disable", "start", "stop", "restart", "reload", "reset-failed")


def _show(host: FakeHost, name: str, rest: list[str]) -> str:
    unit = host.units.get(name)
    values = {
        "LoadState": "loaded" if unit else "not-found",
        "ActiveState": unit.active if unit else "inactive",
        "UnitFileState": unit.enabled if unit else "",
        "NRestarts": str(unit.restarts if unit else 0),
    }
    wanted = [p for a in rest if a.startswith("--property=") for p in a[11:].split(",")]
    return "".join(f"{key}={values[key]}\n" for key in wanted or values)


def _act(unit: FakeUnit, verb: str, now: bool, name: str) -> str | None:
    """Apply *verb* to *unit*; the error a failed start prints, else None."""
    if verb in ("enable", "disable"):
        unit.enabled = "enabled" if verb == "enable" else "disabled"
        if not now:
            return None
        verb = "start" if verb == "enable" else "stop"
    if verb == "reset-failed" and unit.active == "failed":
        unit.active = "inactive"
    if verb == "stop":
        unit.active = "inactive"
    if verb == "reload" and unit.active != "active":
        return f"Job for {name} failed: {name} is not active, cannot reload.\n"
    if verb in ("start", "restart") and (verb == "restart" or unit.active != "active"):
        if unit.fails:
            unit.active = "failed"
            unit.journal.append(unit.fails)
            return f"Job for {name} failed because the control process exited with error code.\n"
        unit.active = "active"
        unit.journal.append(f"Started {name}.")
    return None


def journalctl(host: FakeHost, call: Call) -> CommandResult:
    """``journalctl --unit NAME --lines N ...``: the unit's journal lines."""
    argv = list(call.argv)
    name = argv[argv.index("--unit") + 1] if "--unit" in argv else ""
    lines = int(argv[argv.index("--lines") + 1]) if "--lines" in argv else 10
    unit = host.units.get(name)
    text = unit.journal[-lines:] if unit else []
    return call.result(stdout="".join(f"{line}\n" for line in text) or "-- No entries --\n")
