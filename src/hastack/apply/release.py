"""Which Debian release a host runs and which packages it has or can get: read, never assumed.

Each fact is its command (or file) and its parser side by side. hastack supports Debian 12
(bookworm) and Debian 13 (trixie). Where they differ, the host is asked, not the release:

* a package a release split (``fence-agents``) is installed as its part wherever the archive
  offers it (``CANDIDATES``) and counts as present either way (``INSTALLED``); see
  ``packages.SPLITS``;
* Django 4.1 removed ``MemcachedCache``: Horizon's rendered cache settings ask the Django
  they run under (``render/templates/horizon-cache.py.j2``);
* Pacemaker 3.0's ``crm_mon`` XML, RabbitMQ 4.0's ``rabbitmqctl`` JSON and MariaDB 11.8's
  wsrep output parse as before (fixtures of both releases under ``tests/fixtures/facts/``).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from ..errors import DeployError
from ..hosts import Connector

log = logging.getLogger(__name__)

T = TypeVar("T")

OS_RELEASE = "/etc/os-release"
SUPPORTED = {12: "bookworm", 13: "trixie"}  # Debian major version -> codename
OLDEST = min(SUPPORTED)


@dataclasses.dataclass(frozen=True)
class OsRelease:
    """``/etc/os-release``: who made the system and which release it is."""

    id: str  # "debian"
    version_id: str  # "12", "13"; empty on testing/unstable
    codename: str  # "bookworm", "trixie"
    pretty_name: str  # "Debian GNU/Linux 13 (trixie)"

    @property
    def major(self) -> int | None:
        """Debian's major version, or None for another distribution or an unnumbered one."""
        if self.id != "debian" or not self.version_id.isdigit():
            return None
        return int(self.version_id)

    @property
    def supported(self) -> bool:
        return self.major in SUPPORTED

    def name(self) -> str:
        return self.pretty_name or f"{self.id} {self.version_id}".strip()


def parse_os_release(text: str) -> OsRelease:
    """Parse ``/etc/os-release`` (shell-style ``KEY=value`` lines, values maybe quoted)."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            values[key] = value.strip().strip("\"'")
    return OsRelease(
        id=values.get("ID", ""),
        version_id=values.get("VERSION_ID", ""),
        codename=values.get("VERSION_CODENAME", ""),
        pretty_name=values.get("PRETTY_NAME", ""),
    )


def read_os_release(connector: Connector) -> OsRelease:
    text = connector.read_file(OS_RELEASE)
    if text is None:
        raise DeployError(
            f"{connector.name} has no {OS_RELEASE}, so its release is unknown; hastack "
            f"supports {supported_names()}"
        )
    return parse_os_release(text)


def supported_names() -> str:
    return " and ".join(f"Debian {major} ({name})" for major, name in sorted(SUPPORTED.items()))


def check_supported(connector: Connector, release: OsRelease) -> None:
    """Refuse a Debian older than the oldest supported one; warn about any other untested."""
    if release.supported:
        return
    major = release.major
    if major is not None and major < OLDEST:
        raise DeployError(
            f"{connector.name} runs {release.name()}; hastack needs the Corosync 3, "
            f"Pacemaker 2 and Python 3.11 packages of {supported_names()}: upgrade it"
        )
    log.warning(
        "%s runs %s, which hastack was not tested on (supported: %s); package names and "
        "tool versions are detected, but expect differences",
        connector.name,
        release.name(),
        supported_names(),
    )


@dataclasses.dataclass(frozen=True)
class PackageFact(Generic[T]):
    """A command about packages (their names appended) and the parser of its output."""

    argv: tuple[str, ...]
    parse: Callable[[str], T]
    timeout: float = 60.0

    def read(self, connector: Connector, names: Iterable[str]) -> T:
        # both commands print what they know and exit non-zero (or warn) for the rest
        result = connector.run([*self.argv, *names], timeout=self.timeout)
        return self.parse(result.stdout)


def parse_installed(text: str) -> dict[str, str]:
    """``dpkg-query -W -f='${Package}\\t${Version}\\t${Status}\\n'``: installed -> version."""
    installed = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) == 3 and fields[2].endswith("install ok installed"):
            installed[fields[0]] = fields[1]
    return installed


def parse_candidates(text: str) -> dict[str, str | None]:
    """``apt-cache policy NAME...``: each package the archive knows -> the version apt
    would install (None: known but not installable). Unknown names are absent."""
    candidates: dict[str, str | None] = {}
    package = None
    for line in text.splitlines():
        if line and not line[0].isspace() and line.endswith(":"):
            package = line[:-1]
        elif package is not None and line.strip().startswith("Candidate:"):
            version = line.split(":", 1)[1].strip()
            candidates[package] = None if version == "(none)" else version
            package = None
    return candidates


INSTALLED = PackageFact(
    ("dpkg-query", "-W", "-f=${Package}\t${Version}\t${Status}\n"), parse_installed
)
CANDIDATES = PackageFact(("apt-cache", "policy"), parse_candidates)
