"""Where a CLI run keeps its state and how it reports errors."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

DEFAULT_STATE = Path("/var/lib/hastack")


@dataclasses.dataclass
class Context:
    state_dir: Path
    verbose: int = 0

    @classmethod
    def create(cls, state_dir: str | None, verbose: int) -> Context:
        root = state_dir or os.environ.get("HASTACK_STATE_DIR") or str(DEFAULT_STATE)
        return cls(Path(root), verbose)

    def deployment_dir(self, name: str) -> Path:
        """Per-deployment state: secrets, generated client files, reports."""
        return self.state_dir / "deployments" / name
