import json
from pathlib import Path

import pytest

from hastack.facts import ParseError
from hastack.facts.galera import (
    GaleraStatus,
    GraState,
    parse_grastate,
    parse_wsrep_recover,
    parse_wsrep_status,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "facts" / "galera"
UUID = "c2e9faae-e614-11f1-bc9f-de95bde6930a"


def load(name: str) -> GaleraStatus:
    return parse_wsrep_status((FIXTURES / name).read_text())


def test_synced_single_node() -> None:
    status = load("wsrep-status-synced.txt")
    assert status == GaleraStatus(
        cluster_size=1,
        cluster_status="Primary",
        local_state_comment="Synced",
        ready=True,
        connected=True,
        cluster_state_uuid=UUID,
        last_committed=4,
        incoming_addresses=("AUTO",),
    )
    assert status.synced and status.primary
    assert status.variables["wsrep_provider_name"] == "Galera"


def test_pymysql_rows_give_the_same_result() -> None:
    rows = json.loads((FIXTURES / "wsrep-status-synced-pymysql.json").read_text())
    assert parse_wsrep_status([tuple(r) for r in rows]) == load("wsrep-status-synced.txt")


def test_two_nodes() -> None:
    status = load("wsrep-status-two-nodes.txt")
    assert (status.cluster_size, status.incoming_addresses) == (2, ("AUTO", "AUTO"))


def test_desynced() -> None:
    status = load("wsrep-status-desynced.txt")
    assert status.local_state_comment == "Donor/Desynced"
    assert status.primary and not status.synced


def test_non_primary() -> None:
    status = load("wsrep-status-non-primary.txt")
    assert (status.cluster_status, status.ready, status.local_state_comment) == (
        "non-Primary",
        False,
        "Initialized",
    )
    assert not status.primary


def test_grastate() -> None:
    assert parse_grastate((FIXTURES / "grastate-clean.dat").read_text()) == GraState(
        uuid=UUID, seqno=7, safe_to_bootstrap=True, version="2.1"
    )
    assert parse_grastate((FIXTURES / "grastate-crashed.dat").read_text()) == GraState(
        uuid=UUID, seqno=-1, safe_to_bootstrap=False, version="2.1"
    )


def test_wsrep_recover() -> None:
    assert parse_wsrep_recover((FIXTURES / "wsrep-recover-crashed.log").read_text()) == (UUID, 6)
    assert parse_wsrep_recover((FIXTURES / "wsrep-recover-clean.log").read_text()) == (UUID, 7)
    assert parse_wsrep_recover("[Note] InnoDB: Starting shutdown...") is None


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ("", "no wsrep_cluster_size, wsrep_cluster_status, wsrep_local_state_comment;"),
        ("ERROR 2002 (HY000): Can't connect", "line 1 is not 'wsrep_<name><TAB><value>'"),
        ([("wsrep_cluster_size",)], "expected (name, value) rows"),
        (
            "wsrep_cluster_size\tmany\nwsrep_cluster_status\tPrimary\n"
            "wsrep_local_state_comment\tSynced\n",
            "wsrep_cluster_size='many' is not a number",
        ),
    ],
)
def test_bad_status(rows: str | list[tuple[str]], problem: str) -> None:
    with pytest.raises(ParseError, match=r"^cannot parse wsrep status: ") as info:
        parse_wsrep_status(rows)
    assert problem in str(info.value)


def test_bad_grastate() -> None:
    with pytest.raises(ParseError, match=r"grastate\.dat: no 'seqno:' line"):
        parse_grastate("uuid: x\n")
    with pytest.raises(ParseError, match="seqno 'x' is not a number"):
        parse_grastate("uuid: x\nseqno: x\n")
