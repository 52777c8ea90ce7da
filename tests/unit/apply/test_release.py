"""Release and package facts of Debian 12 and 13, from their real outputs."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from hastack.apply import packages, release
from hastack.errors import DeployError
from hastack.hosts import Connector
from hastack.hosts.base import CommandResult

FIXTURES = Path(__file__).parents[2] / "fixtures" / "release"


def read(debian: int, name: str) -> str:
    return (FIXTURES / f"debian-{debian}" / name).read_text()


class ScriptedHost(Connector):
    """Answers ``dpkg-query``/``apt-cache``/``apt-get`` with captured outputs; records argv."""

    def __init__(self, debian: int, policy: str = "apt-cache-policy-fresh.txt") -> None:
        self.name = f"debian-{debian}"
        self.files = {release.OS_RELEASE: read(debian, "os-release")}
        self.outputs = {"dpkg-query": "", "apt-cache": read(debian, policy)}
        self.calls: list[tuple[str, ...]] = []

    def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float = 120.0,
        stdin: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> CommandResult:
        self.calls.append(tuple(argv))
        return CommandResult(tuple(argv), 0, self.outputs.get(argv[0], ""), "")

    def read_file(self, path: str) -> str | None:
        return self.files.get(path)

    def write_file(self, path: str, text: str, *, mode: int = 0o644, owner: str = "root") -> None:
        self.files[path] = text

    def installed_with(self, debian: int) -> ScriptedHost:
        self.outputs["dpkg-query"] = read(debian, "dpkg-query.txt")
        return self

    def apt_get_installs(self) -> list[tuple[str, ...]]:
        return [c for c in self.calls if c[:2] == ("apt-get", "install")]


@pytest.mark.parametrize(
    ("debian", "codename", "pretty"),
    [
        (12, "bookworm", "Debian GNU/Linux 12 (bookworm)"),
        (13, "trixie", "Debian GNU/Linux 13 (trixie)"),
    ],
)
def test_os_release_of_both_releases(debian: int, codename: str, pretty: str) -> None:
    os_release = release.parse_os_release(read(debian, "os-release"))
    assert (os_release.id, os_release.major, os_release.codename) == ("debian", debian, codename)
    assert os_release.name() == pretty
    assert os_release.supported


def test_other_releases_are_not_supported() -> None:
    ubuntu = release.parse_os_release('ID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\n')
    sid = release.parse_os_release('PRETTY_NAME="Debian GNU/Linux forky/sid"\nID=debian\n')
    assert (ubuntu.major, ubuntu.supported) == (None, False)
    assert (sid.major, sid.supported) == (None, False)


def test_an_older_debian_is_refused_with_the_fix() -> None:
    host = ScriptedHost(12)
    bullseye = release.parse_os_release(
        'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nID=debian\nVERSION_ID="11"\n'
    )
    with pytest.raises(DeployError) as error:
        release.check_supported(host, bullseye)
    assert str(error.value) == (
        "debian-12 runs Debian GNU/Linux 11 (bullseye); hastack needs the Corosync 3, "
        "Pacemaker 2 and Python 3.11 packages of Debian 12 (bookworm) and Debian 13 (trixie): "
        "upgrade it"
    )


def test_an_untested_release_is_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    forky = release.parse_os_release('PRETTY_NAME="Debian GNU/Linux 14 (forky)"\nID=debian\n'
                                     'VERSION_ID="14"\n')  # fmt: skip
    with caplog.at_level(logging.WARNING):
        release.check_supported(ScriptedHost(13), forky)
    assert "runs Debian GNU/Linux 14 (forky), which hastack was not tested on" in caplog.text


def test_installed_packages_of_both_releases() -> None:
    bookworm = release.parse_installed(read(12, "dpkg-query.txt"))
    trixie = release.parse_installed(read(13, "dpkg-query.txt"))
    assert (bookworm["pacemaker"], trixie["pacemaker"]) == ("2.1.5-1+deb12u1", "3.0.0-2")
    assert (bookworm["fence-agents"], "fence-agents-ipmilan" in bookworm) == ("4.12.1-1", False)
    # Debian 13 knows the transitional package but has not installed it
    assert ("fence-agents" in trixie, trixie["fence-agents-ipmilan"]) == (False, "4.16.0-3")


def test_candidates_of_both_releases() -> None:
    assert release.parse_candidates(read(12, "apt-cache-policy-fresh.txt")) == {
        "fence-agents": "4.12.1-1"  # Debian 12 has no fence-agents-ipmilan at all
    }
    assert release.parse_candidates(read(13, "apt-cache-policy-fresh.txt")) == {
        "fence-agents": "4.16.0-3",
        "fence-agents-ipmilan": "4.16.0-3",
    }
    assert release.parse_candidates("foo:\n  Installed: (none)\n  Candidate: (none)\n") == {
        "foo": None
    }


@pytest.mark.parametrize(
    ("debian", "chosen"), [(12, "fence-agents"), (13, "fence-agents-ipmilan")]
)
def test_a_fresh_host_gets_the_fence_package_its_archive_has(debian: int, chosen: str) -> None:
    host = ScriptedHost(debian)
    assert packages.install(host, ["fence-agents", "haproxy"]) == sorted([chosen, "haproxy"])
    assert host.apt_get_installs() == [
        ("apt-get", "install", "-y", "-q", "--no-install-recommends", *sorted([chosen, "haproxy"]))
    ]
    assert host.files[packages.POLICY] == packages.POLICY_TEXT  # no daemon starts meanwhile
    assert host.calls[-1] == ("rm", "-f", packages.POLICY)


@pytest.mark.parametrize("debian", [12, 13])
def test_a_prepared_host_of_either_release_needs_nothing(debian: int) -> None:
    host = ScriptedHost(debian, "apt-cache-policy.txt").installed_with(debian)
    wanted = ["fence-agents", "pacemaker", "corosync", "haproxy", "rabbitmq-server"]
    assert packages.missing(host, wanted) == []
    assert packages.install(host, wanted) == []
    assert not any(c[0] in ("apt-get", "apt-cache") for c in host.calls)


def test_missing_asks_dpkg_for_the_split_part_too() -> None:
    host = ScriptedHost(13).installed_with(13)
    assert packages.missing(host, ["fence-agents", "ipmitool"]) == ["ipmitool"]
    assert host.calls[0][-3:] == ("fence-agents", "ipmitool", "fence-agents-ipmilan")


def test_install_refuses_an_old_release_before_touching_apt() -> None:
    host = ScriptedHost(12)
    host.files[release.OS_RELEASE] = 'ID=debian\nVERSION_ID="11"\nPRETTY_NAME="Debian 11"\n'
    with pytest.raises(DeployError, match="runs Debian 11; hastack needs"):
        packages.install(host, ["haproxy"])
    assert host.calls == []
