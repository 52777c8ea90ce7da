"""Make a host's files match the rendered ones; a file is changed only when it differs."""

from __future__ import annotations

from ..hosts import Connector
from ..render.base import RenderedFile


def sync_files(connector: Connector, files: list[RenderedFile]) -> list[str]:
    """Write every file whose content differs; return the changed paths."""
    changed = []
    for item in files:
        if connector.read_file(item.path) == item.text:
            continue
        connector.write_file(item.path, item.text, mode=item.mode, owner=item.owner)
        changed.append(item.path)
    return changed
