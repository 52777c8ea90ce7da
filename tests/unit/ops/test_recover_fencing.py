"""`hastack recover fencing NODE` on fake hosts: what it runs on a peer, in which order, and
what it says."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "golden"))
from golden_cases import build

from hastack.apply.report import Report
from hastack.errors import DeployError
from hastack.hosts import Connector
from hastack.hosts.base import CommandResult
from hastack.hosts.fake import Call, FakeHost
from hastack.ops.fencing import recover_fencing
from hastack.wait import ManualClock

FIXTURES = Path(__file__).parents[2] / "fixtures" / "facts" / "pacemaker"


class Cluster:
    """ctl-1 answers as a live peer; ctl-3 is off until the peer unfences it."""

    def __init__(self, *, guarded: bool, off: bool) -> None:
        self.off = off
        self.peer = FakeHost("ctl-1")
        resources = (FIXTURES / "cib-resources-guarded.xml").read_text()
        if not guarded:
            resources = resources.replace(
                'name="pcmk_reboot_action" value="off"', 'name="x" value=""'
            )
            resources = resources.replace('name="hastack-fence-guard"', 'name="other"')
        self.peer.on(["crm_mon"], self._crm_mon)
        self.peer.on(["cibadmin", "--query"], lambda h, c: c.result(stdout=resources))
        self.peer.on(["crm_resource"], lambda h, c: c.result())
        self.peer.on(["stonith_admin"], self._stonith_admin)
        self.hosts: dict[str, Connector] = {
            "ctl-1": self.peer,
            "ctl-2": FakeHost("ctl-2"),
            "ctl-3": FakeHost("ctl-3"),
        }

    def _crm_mon(self, host: FakeHost, call: Call) -> CommandResult:
        name = "fenced" if self.off else "healthy"
        return call.result(stdout=(FIXTURES / f"crm_mon-{name}.xml").read_text())

    def _stonith_admin(self, host: FakeHost, call: Call) -> CommandResult:
        if "--unfence" in call.argv:
            self.off = False
        return call.result()

    def ran(self) -> list[str]:
        return [" ".join(argv) for argv in self.peer.history if argv[0] != "crm_mon"]


def test_a_guarded_node_is_cleared_powered_on_and_waited_for() -> None:
    cluster = Cluster(guarded=True, off=True)
    report = recover_fencing(
        build("lab-core-fast"), cluster.hosts, "ctl-3", Report(), clock=ManualClock()
    )
    assert cluster.ran() == [
        "cibadmin --query --scope resources",
        "crm_resource --resource fence-ctl-3 --delete-parameter pcmk_reboot_action",
        "crm_resource --resource fence-ctl-3 --meta --delete-parameter hastack-fence-guard",
        "stonith_admin --history ctl-3 --cleanup",
        "stonith_admin --unfence ctl-3 --timeout 60",
    ]
    assert [(r.step, r.changed, r.message) for r in report.results] == [
        (
            "fence-guard",
            True,
            "cleared the fence-loop guard on fence-ctl-3 (fenced 4 times within 10 min"
            " (21:24:05 to 21:24:35 UTC, limit 4): a fence loop): fencing reboots ctl-3 again",
        ),
        ("fence-history", True, "cleaned the fencing history of ctl-3 (the count starts again)"),
        ("power", True, "powered ctl-3 on through its fence device (unfence)"),
        ("online", True, "ctl-3 booted and rejoined the cluster"),
    ]


def test_an_unguarded_online_node_only_gets_its_count_restarted() -> None:
    cluster = Cluster(guarded=False, off=False)
    report = recover_fencing(build("lab-core-fast"), cluster.hosts, "ctl-3", Report())
    assert cluster.ran() == [
        "cibadmin --query --scope resources",
        "stonith_admin --history ctl-3 --cleanup",
    ]
    assert [(r.changed, r.message) for r in report.results] == [
        (False, "fence-ctl-3 holds no fence-loop guard on ctl-3"),
        (True, "cleaned the fencing history of ctl-3 (the count starts again)"),
        (False, "ctl-3 is online in the cluster"),
    ]


def test_a_node_outside_every_cluster_is_refused() -> None:
    cluster = Cluster(guarded=True, off=True)
    with pytest.raises(DeployError) as error:
        recover_fencing(build("lab-core-fast"), cluster.hosts, "ctl-9", Report())
    assert str(error.value) == (
        "ctl-9 is not a member of any cluster of this deployment (members: ctl-1, ctl-2,"
        " ctl-3); name one of them"
    )


def test_without_a_quorate_peer_nothing_is_touched() -> None:
    cluster = Cluster(guarded=True, off=True)
    cluster.peer.on(["crm_mon"], lambda h, c: c.result(exit_code=102, stderr="not connected"))
    with pytest.raises(DeployError, match="no peer of ctl-3 \\(ctl-1, ctl-2\\) answers"):
        recover_fencing(build("lab-core-fast"), cluster.hosts, "ctl-3", Report())
    assert cluster.ran() == []
