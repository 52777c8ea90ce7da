"""Per-deployment secrets: generated once, kept in the state directory (0600), never printed.

Every secret the renderers need has a name in ``NAMES``; ``SecretStore.get`` returns a
``Secret`` whose ``str()`` is masked. Only ``hastack secrets show`` reveals them.
"""

from __future__ import annotations

import json
import os
import secrets as random_source
import string
from pathlib import Path

from .errors import HastackError
from .secret import Secret

_ALNUM = string.ascii_letters + string.digits

# name -> how to generate it
NAMES: dict[str, str] = {
    "corosync-authkey": "hex256",  # corosync reads the raw bytes; 256 hex chars = 2048 bits
    "erlang-cookie": "upper20",
    "haproxy-stats-password": "alnum24",
    "mysql-root-password": "alnum24",
    "mysql-hastack-password": "alnum24",  # hastack's own admin/probe user over the network
    "rabbitmq-password": "alnum24",  # the "openstack" messaging user
    "keystone-db-password": "alnum24",
    "keystone-admin-password": "alnum24",
    "horizon-secret-key": "alnum48",  # Django's SECRET_KEY: the same on every unit
    "bmc-password": "alnum16",
}


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

    def ensure(self) -> bool:
        """Generate every missing secret; True when something new was written."""
        missing = [name for name in NAMES if name not in self._values]
        for name in missing:
            self._values[name] = _generate(NAMES[name])
        if missing:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                json.dump(self._values, handle, indent=1, sort_keys=True)
            os.replace(tmp, self.path)
        return bool(missing)

    def get(self, name: str) -> Secret:
        if name not in self._values:
            raise KeyError(f"secret {name!r} has not been generated")
        return Secret(self._values[name])

    @classmethod
    def from_values(cls, values: dict[str, str]) -> SecretStore:
        """An in-memory store (tests, golden files)."""
        store = cls.__new__(cls)
        store.path = Path("/nonexistent/secrets.json")
        store._values = dict(values)
        return store

    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self._values))
