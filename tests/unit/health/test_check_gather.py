"""gather over a fake Connector that answers with the captured fixtures."""

from collections.abc import Mapping, Sequence
from pathlib import Path

from hastack import errors
from hastack.facts.galera import WSREP_STATUS
from hastack.facts.network import IP_ADDR
from hastack.facts.pacemaker import CRM_MON
from hastack.facts.rabbitmq import CLUSTER_STATUS, QUORUM_QUEUES
from hastack.health import gather
from hastack.hosts.base import CommandResult, Connector

FIXTURES = Path(__file__).parents[2] / "fixtures" / "facts"


class FixtureConnector(Connector):
    def __init__(self, name: str, answers: Mapping[tuple[str, ...], str | int]) -> None:
        self.name = name
        self.answers = answers
        self.calls: list[tuple[tuple[str, ...], str | None]] = []

    def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float = 120.0,
        stdin: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> CommandResult:
        self.calls.append((tuple(argv), stdin))
        answer = self.answers.get(tuple(argv), 127)
        if isinstance(answer, int):
            return CommandResult(tuple(argv), answer, "", "command failed")
        return CommandResult(tuple(argv), 0, (FIXTURES / answer).read_text(), "")

    def read_file(self, path: str) -> str | None:
        return None

    def write_file(self, path: str, text: str, *, mode: int = 0o644, owner: str = "root") -> None:
        raise NotImplementedError


class Unreachable(FixtureConnector):
    def run(self, argv: Sequence[str], **_: object) -> CommandResult:
        raise errors.ConnectError(f"{self.name} is unreachable")


def test_pacemaker_from_the_first_node_that_answers() -> None:
    down = FixtureConnector("ctl-1", {CRM_MON.argv: 102})
    up = FixtureConnector("ctl-2", {CRM_MON.argv: "pacemaker/crm_mon-healthy.xml"})
    status = gather.pacemaker({"ctl-1": down, "ctl-2": up})
    assert status is not None and status.dc == "ctl-1"
    assert down.calls == [(("crm_mon", "--output-as=xml", "-1"), None)]


def test_per_node_facts_with_failures_as_none() -> None:
    good = FixtureConnector(
        "ctl-1",
        {
            IP_ADDR.argv: "network/ip-addr-vip-holder.json",
            WSREP_STATUS.argv: "galera/wsrep-status-synced.txt",
            CLUSTER_STATUS.argv: "rabbitmq/cluster_status-single.json",
            QUORUM_QUEUES.argv: "rabbitmq/list_queues-single.json",
            ("socat", "-", "UNIX-CONNECT:/run/haproxy/admin.sock"): "haproxy/show-stat-mixed.csv",
            ("socat", "-", "TCP:198.18.0.11:11211"): "memcached/stats.txt",
        },
    )
    garbled = FixtureConnector("ctl-2", {WSREP_STATUS.argv: "memcached/stats.txt"})
    lost = Unreachable("ctl-3", {})
    nodes = {"ctl-1": good, "ctl-2": garbled, "ctl-3": lost}
    addresses = gather.addresses(nodes)
    assert addresses["ctl-2"] is None and addresses["ctl-3"] is None
    assert any(a.address == "198.18.0.100" for a in addresses["ctl-1"] or [])
    galera = gather.galera(nodes)
    assert galera["ctl-1"] is not None and galera["ctl-2"] is None
    assert gather.rabbitmq(nodes)["ctl-1"] is not None
    assert [q.name for q in gather.quorum_queues(nodes)] == ["hs-fx-classic", "hs-fx-quorum"]
    haproxy = gather.haproxy(nodes)
    assert haproxy["ctl-1"] is not None and len(haproxy["ctl-1"]) == 17
    assert (("socat", "-", "UNIX-CONNECT:/run/haproxy/admin.sock"), "show stat\n") in good.calls
    memcached = gather.memcached(nodes, listen={"ctl-1": "198.18.0.11"})
    assert memcached["ctl-1"] is not None and memcached["ctl-1"].version == "1.6.18"
    assert memcached["ctl-2"] is None


def test_nothing_answers() -> None:
    assert gather.pacemaker({"ctl-1": Unreachable("ctl-1", {})}) is None
    assert gather.quorum_queues({"ctl-1": Unreachable("ctl-1", {})}) == []


def test_rabbitmq_stops_at_the_first_view_with_every_node_running() -> None:
    single = {CLUSTER_STATUS.argv: "rabbitmq/cluster_status-single.json"}
    first, second = FixtureConnector("ctl-1", single), FixtureConnector("ctl-2", single)
    views = gather.rabbitmq({"ctl-1": first, "ctl-2": second}, ["rabbit@localhost"])
    assert list(views) == ["ctl-1"] and second.calls == []


def test_rabbitmq_asks_on_while_a_view_misses_an_expected_node() -> None:
    single = {CLUSTER_STATUS.argv: "rabbitmq/cluster_status-single.json"}
    down = FixtureConnector("ctl-1", {CLUSTER_STATUS.argv: 69})
    first, second = FixtureConnector("ctl-2", single), FixtureConnector("ctl-3", single)
    nodes = {"ctl-1": down, "ctl-2": first, "ctl-3": second}
    views = gather.rabbitmq(nodes, ["rabbit@localhost", "rabbit@ctl-1"])
    assert views["ctl-1"] is None and list(views) == ["ctl-1", "ctl-2", "ctl-3"]
    assert views["ctl-3"] is not None and len(second.calls) == 1
