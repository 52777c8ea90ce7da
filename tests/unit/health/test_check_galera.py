import dataclasses
from collections.abc import Mapping
from pathlib import Path

from hastack.facts.galera import GaleraStatus, parse_wsrep_status
from hastack.health.status import Status
from hastack.kinds.galera.health import evaluate_galera

FIXTURES = Path(__file__).parents[2] / "fixtures" / "facts" / "galera"


def load(name: str, **changes: object) -> GaleraStatus:
    status = parse_wsrep_status((FIXTURES / f"wsrep-status-{name}.txt").read_text())
    return dataclasses.replace(status, **changes)  # type: ignore[arg-type]


def judged(
    members: Mapping[str, GaleraStatus | None], size: int = 3
) -> list[tuple[str, Status, str]]:
    return [(r.subject, r.status, r.message) for r in evaluate_galera(members, size)]


def test_healthy() -> None:
    synced = load("synced", cluster_size=3)
    assert judged({"ctl-1": synced, "ctl-2": synced, "ctl-3": synced}) == [
        ("ctl-1", Status.OK, "galera on ctl-1 is Synced (cluster size 3)"),
        ("ctl-2", Status.OK, "galera on ctl-2 is Synced (cluster size 3)"),
        ("ctl-3", Status.OK, "galera on ctl-3 is Synced (cluster size 3)"),
    ]


def test_donor_waits_and_lost_member_degrades() -> None:
    members = {
        "ctl-1": load("two-nodes"),
        "ctl-2": load("desynced", cluster_size=2),
        "ctl-3": None,
    }
    assert judged(members) == [
        (
            "ctl-1",
            Status.DEGRADED,
            "galera on ctl-1 is Synced (cluster size 2, expected 3); start or rejoin the"
            " missing members",
        ),
        (
            "ctl-2",
            Status.WAITING,
            "galera on ctl-2 is Donor/Desynced (cluster size 2, expected 3); waiting for SST to"
            " finish",
        ),
        (
            "ctl-3",
            Status.DEGRADED,
            "galera on ctl-3 does not answer; the other members serve — Pacemaker's galera"
            " agent starts it again and it rejoins with IST or SST (see `crm_mon -1` if it"
            " stays down)",
        ),
    ]


def test_non_primary_beside_a_primary_component() -> None:
    members = {
        "ctl-1": load("two-nodes"),
        "ctl-2": load("two-nodes"),
        "ctl-3": load("non-primary"),
    }
    assert judged(members)[2] == (
        "ctl-3",
        Status.DEGRADED,
        "galera on ctl-3 is non-Primary (cluster size 1, expected 3) and refuses queries; it"
        " rejoins when it reaches a Primary component again",
    )


def test_no_primary_anywhere_is_down() -> None:
    members = {"ctl-1": load("non-primary"), "ctl-2": None}
    results = judged(members)
    assert [status for _, status, _ in results] == [Status.DOWN, Status.DOWN, Status.DOWN]
    assert results[1] == ("ctl-2", Status.DOWN, "galera on ctl-2 does not answer")
    assert results[2] == (
        "cluster",
        Status.DOWN,
        "galera has no Primary component, so no member accepts queries; Pacemaker's galera"
        " agent bootstraps from the most advanced member once every member has reported its"
        " position — if a member stays down, `hastack recover galera` bootstraps without it",
    )


def test_joining_waits() -> None:
    members = {"ctl-1": load("synced", local_state_comment="Joining", ready=False)}
    assert judged(members, 1)[0][1:] == (
        Status.WAITING,
        "galera on ctl-1 is Joining (cluster size 1); waiting for its state transfer (IST/SST)"
        " to finish",
    )


def test_different_state_uuids_block() -> None:
    other = "0d9a1b7e-0000-11f1-8000-000000000000"
    members = {"ctl-1": load("synced"), "ctl-2": load("synced", cluster_state_uuid=other)}
    result = evaluate_galera(members, 1)[-1]
    assert (result.subject, result.status) == ("cluster", Status.BLOCKED)
    assert result.message == (
        "galera members report different cluster state uuids (ctl-1:"
        " c2e9faae-e614-11f1-bc9f-de95bde6930a, ctl-2: 0d9a1b7e-0000-11f1-8000-000000000000);"
        " they are separate clusters — keep the one with the data and rejoin the others with SST"
    )
