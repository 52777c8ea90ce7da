"""Where a CLI run keeps its state, and which deployment the lab holds."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from ..errors import StateError, path_error
from ..lab.lab import Lab
from ..ops import deployment
from ..ops.lab_up import DEPLOYMENT_FILE
from ..topology import ProfileName

DEFAULT_STATE = Path("/var/lib/hastack")

STATE_FIX = "give --state-dir (or HASTACK_STATE_DIR) a directory you can write"


@dataclasses.dataclass(frozen=True)
class Context:
    state_dir: Path = DEFAULT_STATE
    verbose: int = 0
    state_dir_chosen: bool = False  # named by --state-dir or HASTACK_STATE_DIR

    def configured(self, state_dir: str | None, verbose: int) -> Context:
        """This context with the global options applied; no --state-dir keeps the default."""
        if state_dir:
            return Context(Path(state_dir), verbose, state_dir_chosen=True)
        return dataclasses.replace(self, verbose=verbose)

    def deployment_dir(self, name: str) -> Path:
        """Per-deployment state: secrets, generated client files, reports."""
        return deployment.deployment_dir(self.state_dir, name)

    def writable(self, directory: Path, what: str, fix: str = STATE_FIX) -> Path:
        """Create *directory* (holding *what*) or say in one paragraph why it cannot be."""
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise path_error(error, f"create the directory for {what}", fix) from error
        return directory

    def lab(self) -> Lab:
        """The lab under the state directory; a corrupt spec is reported here, in one
        paragraph, before any command leans on it."""
        lab = Lab(self.state_dir / "lab")
        fix = f"remove {lab.layout.spec} and run `hastack lab up BUNDLE`, which writes it again"
        spec = _read_json(lab.layout.spec, "the lab's spec", fix)
        if spec is not None and not isinstance(spec, dict):
            raise StateError(f"{lab.layout.spec} is not a lab spec (a JSON object); {fix}")
        return lab

    def lab_record(self) -> dict[str, Any] | None:
        """What ``lab up`` recorded about the deployment the lab holds (None: nothing yet)."""
        record = self.lab().layout.root / DEPLOYMENT_FILE
        fix = f"remove {record} and run `hastack lab up BUNDLE` with the bundle the lab runs"
        held = _read_json(record, "the lab's deployment record", fix)
        if held is None:
            return None
        if not isinstance(held, dict) or not isinstance(held.get("file"), str):
            raise StateError(f"{record} does not name a bundle file (key `file`); {fix}")
        return held

    def lab_bundle(self) -> Path:
        """The bundle file of the deployment the lab holds."""
        held = self.lab_record()
        if held is None:
            raise StateError(
                f"no deployment found in {self.lab().layout.root}; bring one up with "
                "`hastack lab up`"
            )
        return Path(held["file"])

    def deployment(self, profile: ProfileName | None = None) -> deployment.Deployment:
        """The deployment the lab holds, planned with *profile* (default: the bundle's)."""
        return deployment.on_lab(self.lab(), self.lab_bundle(), self.state_dir, profile)


def _read_json(path: Path, what: str, fix: str) -> Any:
    """The JSON in *path* (None when there is no such file), or a StateError saying *fix*."""
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text())
    except OSError as error:
        raise path_error(error, f"read {what}", fix) from error
    except ValueError as error:
        raise StateError(f"{path} is not valid JSON ({error}); {fix}") from error
