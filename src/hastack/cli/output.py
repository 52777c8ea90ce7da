"""Printing: results to stdout (tables or JSON), progress and errors to stderr."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

# Piped output keeps table rows on one line instead of wrapping at 80 columns.
_WIDTH = None if sys.stdout.isatty() else 160
out = Console(soft_wrap=True, emoji=False, width=_WIDTH)
err = Console(stderr=True, soft_wrap=True, emoji=False)

STATUS_STYLE = {
    "ok": "green",
    "degraded": "yellow",
    "waiting": "cyan",
    "blocked": "magenta",
    "down": "red",
    "error": "red",
    "warning": "yellow",
}


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=False, default=str) + "\n")


def styled(status: str) -> str:
    style = STATUS_STYLE.get(status, "")
    return f"[{style}]{status}[/{style}]" if style else status


def progress(message: str) -> None:
    """One line of progress on stderr."""
    err.print(message, highlight=False, markup=False)
