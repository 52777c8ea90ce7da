"""Run the real command line in this process: the same error tiers and exit codes as
``hastack`` itself, stdout and stderr apart."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import click
import pytest

from hastack.cli.context import Context
from hastack.cli.main import cli, run

ROOT = Path(__file__).resolve().parents[3]
CORE = ROOT / "examples" / "lab-core.yaml"
REFERENCE = ROOT / "examples" / "openstack-ha-reference.yaml"


@dataclasses.dataclass(frozen=True)
class Done:
    code: int
    out: str
    err: str

    @property
    def err_line(self) -> str:
        """stderr as one line (rich may wrap long messages)."""
        return " ".join(self.err.split())


Hastack = Callable[..., Done]


@pytest.fixture
def hastack(capsys: pytest.CaptureFixture[str]) -> Hastack:
    """``hastack(*args, default_state=..., group=...)``: run and capture one command line.

    *default_state* stands in for /var/lib/hastack (the state directory used when neither
    --state-dir nor HASTACK_STATE_DIR names one)."""

    def invoke(*args: str, default_state: Path | None = None, group: click.Group = cli) -> Done:
        context = Context(state_dir=default_state) if default_state else None
        code = run(group, args, context)
        captured = capsys.readouterr()
        return Done(code, captured.out, captured.err)

    return invoke


@pytest.fixture(autouse=True)
def no_state_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HASTACK_STATE_DIR", raising=False)


@pytest.fixture
def blocked(tmp_path: Path) -> Path:
    """A path no one can create, root included: it lies under a regular file."""
    (tmp_path / "file").write_text("")
    return tmp_path / "file" / "sub"
