"""The one error tree. ``str(error)`` is always a complete sentence for an operator."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence


class HastackError(Exception):
    """Base of every expected error; the CLI prints it in one paragraph and exits 1."""


@dataclasses.dataclass(frozen=True)
class Finding:
    """One problem found in the input: where it is, what is wrong, and how to fix it."""

    path: str  # dotted path inside the document: "applications.mysql.num_units"
    message: str  # what is wrong and what to do, one paragraph
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    severity: str = "error"  # "error" or "warning"

    def location(self) -> str:
        place = self.file or "<bundle>"
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return place

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class TopologyError(HastackError):
    """The bundle cannot be read or is invalid; carries every finding at once."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__(self._text())

    def _text(self) -> str:
        count = len(self.findings)
        head = "1 problem" if count == 1 else f"{count} problems"
        return f"the bundle has {head}:\n" + "\n".join(f"  {f}" for f in self.findings)


class PlanError(HastackError):
    """The bundle is valid YAML but describes something that cannot be deployed."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        count = len(self.findings)
        head = "1 problem" if count == 1 else f"{count} problems"
        super().__init__(f"the plan has {head}:\n" + "\n".join(f"  {f}" for f in self.findings))


class RenderError(HastackError):
    """A config file could not be rendered (a bug or an impossible input)."""


class ConnectError(HastackError):
    """A host cannot be reached."""


class CommandFailed(HastackError):
    """A command on a host exited non-zero."""

    def __init__(
        self, host: str, argv: Sequence[str], exit_code: int, stdout: str, stderr: str
    ) -> None:
        self.host = host
        self.argv = tuple(argv)
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr
        tail = (stderr.strip() or stdout.strip()).splitlines()[-5:]
        detail = ("; ".join(tail))[:600]
        super().__init__(
            f"on {host}: `{' '.join(self.argv)}` exited {exit_code}"
            + (f": {detail}" if detail else "")
        )


class LabError(HastackError):
    """The lab cannot be created, changed or removed."""


class DeployError(HastackError):
    """A deployment step failed; the message names the node, the step and the log to read."""


class DrillAborted(HastackError):
    """A drill refused to start or could not finish safely."""


class StateError(HastackError):
    """hastack's own files (state directory, output directory, deployment record) are
    missing, unreadable, unwritable or corrupt."""


def path_error(error: OSError, doing: str, fix: str) -> StateError:
    """*doing* failed on a path the operator chose: what, where, why, and *fix*."""
    where = error.filename or "?"
    why = error.strerror or str(error)
    return StateError(f"cannot {doing}: {where}: {why}; {fix}")
