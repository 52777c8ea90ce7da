"""The galera step on fake hosts: prepare each member for Pacemaker's agent, wait, say why."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "golden"))
from golden_cases import build, secrets

from hastack import errors
from hastack.apply.report import Report
from hastack.hosts.base import CommandResult
from hastack.hosts.fake import Call, FakeHost
from hastack.kinds.galera import deploy, recover

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "facts"
CRM_MON = ("crm_mon", "--output-as=xml", "-1")
WSREP = ("mariadb", "-N", "-B", "-e", "SHOW GLOBAL STATUS LIKE 'wsrep_%'")
HOSTS = ("ctl-1", "ctl-2", "ctl-3")


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text()


def _synced_of_three() -> str:
    text = _fixture("galera/wsrep-status-synced.txt")
    return text.replace("wsrep_cluster_size\t1", "wsrep_cluster_size\t3")


class Lab:
    """Three fake members; ``crm_mon`` answers the fixtures in ``views``, one per call, the
    last one for good."""

    def __init__(self, *views: str) -> None:
        self.views = [_fixture(f"pacemaker/crm_mon-galera-{v}.xml") for v in views]
        self.unit: dict[str, tuple[bool, bool]] = {h: (False, False) for h in HOSTS}
        self.datadir = dict.fromkeys(HOSTS, True)
        self.hosts = {h: self._host(h) for h in HOSTS}

    def _host(self, name: str) -> FakeHost:
        host = FakeHost(name, users=("root", "mysql"), groups=("root", "mysql"))
        host.on(
            CRM_MON,
            lambda h, c: c.result(0, self.views.pop(0) if len(self.views) > 1 else self.views[0]),
        )
        host.on(WSREP, lambda h, c: c.result(0, _synced_of_three()))
        host.on(["test", "-d", "/run/systemd/system"], lambda h, c: c.result(0))
        host.on(
            ["test", "-d", "/var/lib/mysql/mysql"],
            lambda h, c: c.result(0 if self.datadir[name] else 1),
        )
        host.on(["systemctl", "is-enabled"], lambda h, c: c.result(0 if self.unit[name][0] else 1))
        host.on(["systemctl", "is-active"], lambda h, c: c.result(0 if self.unit[name][1] else 3))
        host.on(["systemctl", "disable", "--now"], self._disable)
        host.on(["mariadb-install-db"], self._install)
        host.on(["crm_resource", "--cleanup"], lambda h, c: c.result(0))
        host.on(["mariadb", "-N", "-B", "-e"], lambda h, c: c.result(0, "2\n"))
        return host

    def _disable(self, host: FakeHost, call: Call) -> CommandResult:
        self.unit[host.name] = (False, False)
        return call.result(0)

    def _install(self, host: FakeHost, call: Call) -> CommandResult:
        self.datadir[host.name] = True
        return call.result(0)

    def ran(self, name: str, *prefix: str) -> bool:
        return any(argv[: len(prefix)] == prefix for argv in self.hosts[name].history)


def _ensure(lab: Lab) -> Report:
    report = Report()
    deploy.ensure(build("lab-core-fast"), "mysql", lab.hosts, secrets(), report)
    return report


def test_a_healthy_cluster_changes_nothing_and_says_so() -> None:
    lab = Lab("promoted")
    report = _ensure(lab)
    assert [(r.host, r.step, r.changed, r.message) for r in report.results] == [
        ("ctl-1", "galera", False, "galera mysql: every member Promoted and Synced"),
        ("ctl-1", "galera-users", False, "database users exist"),
    ]
    assert not any(lab.ran(h, "crm_resource") or lab.ran(h, "systemctl", "disable") for h in HOSTS)


def test_mariadb_service_is_disabled_and_stopped_where_it_is_on() -> None:
    lab = Lab("promoted")
    lab.unit["ctl-2"] = (True, True)
    report = _ensure(lab)
    assert lab.ran("ctl-2", "systemctl", "disable", "--now", "mariadb.service")
    assert not lab.ran("ctl-1", "systemctl", "disable")
    assert (
        "ctl-2",
        True,
        "disabled mariadb.service (was enabled and running): Pacemaker runs mariadbd",
    ) in [(r.host, r.changed, r.message) for r in report.results]


def test_it_waits_for_pacemaker_to_promote_every_member() -> None:
    lab = Lab("unpromoted", "promoted")
    report = _ensure(lab)
    galera = [r for r in report.results if r.step == "galera"]
    assert [(r.changed, r.message) for r in galera] == [
        (True, "galera mysql: Pacemaker promoted ctl-1, ctl-2, ctl-3; every member Synced")
    ]
    assert not lab.ran("ctl-1", "crm_resource")  # every member was ready: nothing to retry


def test_an_uninitialised_datadir_is_created_and_the_failures_cleared() -> None:
    lab = Lab("unpromoted", "promoted")
    lab.datadir["ctl-3"] = False
    report = _ensure(lab)
    assert lab.ran("ctl-3", "mariadb-install-db", "--user=mysql", "--datadir=/var/lib/mysql")
    assert lab.ran("ctl-1", "crm_resource", "--cleanup", "--resource", "galera-mysql-clone")
    messages = [r.message for r in report.results]
    assert "initialised the datadir /var/lib/mysql" in messages
    assert (
        "cleared the failures of galera-mysql-clone: a member was not ready for the galera agent"
        in messages
    )


def test_what_is_missing_names_roles_and_failed_actions() -> None:
    lab = Lab("promote-failed")
    ready, seen = deploy.members_ready("mysql", lab.hosts)
    assert ready is None
    assert (
        seen == "not Promoted yet: ctl-3 Promoted; failed: promote on ctl-3: User-injected result"
    )
    ready, seen = deploy.members_ready("mysql", Lab("unpromoted").hosts)
    assert seen == "not Promoted yet: ctl-1 Unpromoted, ctl-2 Unpromoted, ctl-3 Unpromoted"


def test_a_cluster_that_never_gets_promoted_is_one_paragraph_with_next_steps() -> None:
    lab = Lab("unpromoted")
    with pytest.raises(errors.DeployError) as caught:
        deploy.wait_ready("mysql", lab.hosts, timeout=0.01)
    message = str(caught.value)
    assert message.startswith(
        "galera mysql: Pacemaker did not promote every member to a Synced galera node in"
        " 0.01 s (not Promoted yet: ctl-1 Unpromoted, ctl-2 Unpromoted, ctl-3 Unpromoted)"
    )
    assert "`hastack recover galera` clears the failures" in message
    assert "crm_mon -1 --show-detail" in message


def test_recover_on_a_healthy_cluster_does_nothing() -> None:
    lab = Lab("promoted")
    report = recover.recover_galera(build("lab-core-fast"), lab.hosts, secrets(), Report())
    assert not report.changed
    assert not any(lab.ran(h, "crm_resource") for h in HOSTS)


def test_recover_clears_the_failures_and_waits() -> None:
    lab = Lab("promote-failed", "promote-failed", "promoted")
    report = recover.recover_galera(build("lab-core-fast"), lab.hosts, secrets(), Report())
    assert lab.ran("ctl-1", "crm_resource", "--cleanup", "--resource", "galera-mysql-clone")
    assert report.results[-1].message == "galera mysql: Promoted and Synced on ctl-1, ctl-2, ctl-3"
