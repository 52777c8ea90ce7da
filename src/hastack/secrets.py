"""Per-deployment secrets: generated once, kept in the state directory (0600), never printed.

Every kind declares the secrets it needs (``ServiceKind.secrets``); ``NAMES`` gathers them.
``SecretStore.get`` returns a ``Secret`` whose ``str()`` is masked. Only ``hastack secrets
show`` reveals them.
"""

from __future__ import annotations

import difflib
import json
import os
import secrets as random_source
import string
from pathlib import Path

from . import catalog
from .errors import HastackError, path_error
from .secret import Secret

_ALNUM = string.ascii_letters + string.digits

# name -> how to generate it: what every kind in the catalog declares
NAMES: dict[str, str] = dict(pair for kind in catalog.KINDS for pair in kind.secrets)


def _generate(how: str) -> str:
    if how == "hex256":
        return random_source.token_hex(128)
    if how == "upper20":
        return "".join(random_source.choice(string.ascii_uppercase) for _ in range(20))
    length = int(how.removeprefix("alnum"))
    return "".join(random_source.choice(_ALNUM) for _ in range(length))


class SecretStore:
    """Secrets of one deployment, in ``<state>/secrets.json`` (mode 0600)."""

    def __init__(self, state_dir: Path) -> None:
        self.path = Path(state_dir) / "secrets.json"
        self._values: dict[str, str] = {}
        if self.path.exists():
            try:
                self._values = json.loads(self.path.read_text())
            except (OSError, ValueError) as error:
                raise HastackError(
                    f"cannot read the secrets file {self.path}: {error}; restore it from a "
                    "backup (deleting it would generate new secrets the running cluster "
                    "does not know)"
                ) from error

    def missing(self) -> tuple[str, ...]:
        """The secrets not generated yet."""
        return tuple(name for name in NAMES if name not in self._values)

    def ensure(self) -> bool:
        """Generate every missing secret; True when something new was written."""
        missing = self.missing()
        for name in missing:
            self._values[name] = _generate(NAMES[name])
        if missing:
            try:
                self._write()
            except OSError as error:
                raise path_error(
                    error,
                    "keep the deployment's secrets",
                    "give --state-dir (or HASTACK_STATE_DIR) a directory you can write; "
                    "secrets.json is kept there with mode 0600",
                ) from error
        return bool(missing)

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(self._values, handle, indent=1, sort_keys=True)
        os.replace(tmp, self.path)

    def in_memory(self) -> SecretStore:
        """A copy with every missing secret generated in memory; nothing is ever written."""
        generated = {name: _generate(NAMES[name]) for name in self.missing()}
        return SecretStore.from_values({**self._values, **generated})

    def get(self, name: str) -> Secret:
        if name not in self._values:
            raise KeyError(f"secret {name!r} has not been generated")
        return Secret(self._values[name])

    def reveal(self, name: str) -> str:
        """The value of *name* for ``hastack secrets show``; an unknown name is an operator's
        typo, so it is a ``HastackError`` listing the names there are."""
        if name not in self._values:
            close = difflib.get_close_matches(name, self.names(), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise HastackError(
                f"{self.path} has no secret named {name!r}; {hint}--name takes one of "
                f"{', '.join(self.names())}"
            )
        return self._values[name]

    @classmethod
    def from_values(cls, values: dict[str, str]) -> SecretStore:
        """An in-memory store (tests, golden files)."""
        store = cls.__new__(cls)
        store.path = Path("/nonexistent/secrets.json")
        store._values = dict(values)
        return store

    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self._values))
