"""Printing: results to stdout (tables or JSON), progress and errors to stderr."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import click
from rich.console import Console

# Every JSON document hastack prints carries this; it changes when a key changes meaning.
SCHEMA_VERSION = 1

# Piped with no COLUMNS, a table takes its natural width: no cell is cut or wrapped.
PIPED_WIDTH = 4096


def stdout_width(environ: Mapping[str, str], is_tty: bool) -> int | None:
    """The width of result tables: None lets rich use COLUMNS, else the terminal's width."""
    if environ.get("COLUMNS", "").isdigit() or is_tty:
        return None
    return PIPED_WIDTH


out = Console(emoji=False, width=stdout_width(os.environ, sys.stdout.isatty()))
err = Console(stderr=True, soft_wrap=True, emoji=False)

STATUS_STYLE = {
    "ok": "green",
    "degraded": "yellow",
    "read-only": "yellow",
    "waiting": "cyan",
    "blocked": "magenta",
    "down": "red",
    "error": "red",
    "warning": "yellow",
}

F = TypeVar("F", bound=Callable[..., Any])


def json_option(what: str) -> Callable[[F], F]:
    """``--json``: the command prints *what* (or its error) as one JSON document on stdout."""
    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        help=f"Print {what} as JSON on stdout (errors too).",
    )


def emit_json(data: Mapping[str, Any]) -> None:
    """One JSON document on stdout, ``schema_version`` first."""
    document = {"schema_version": SCHEMA_VERSION, **data}
    sys.stdout.write(json.dumps(document, indent=2, sort_keys=False, default=str) + "\n")


def emit_error(kind: str, message: str, exit_code: int, **extra: Any) -> None:
    """The JSON form of an error: ``{"schema_version": 1, "error": {"kind", "message", ...}}``."""
    emit_json({"error": {"kind": kind, "message": message, "exit_code": exit_code, **extra}})


def styled(status: str) -> str:
    style = STATUS_STYLE.get(status, "")
    return f"[{style}]{status}[/{style}]" if style else status


def progress(message: str) -> None:
    """One line of progress on stderr."""
    err.print(message, highlight=False, markup=False)


def line(text: str) -> None:
    """One line of result on stdout, printed as it is: no markup, no highlighting, never
    broken (a secret or a command line must survive copy and paste)."""
    out.print(text, markup=False, highlight=False, soft_wrap=True)
