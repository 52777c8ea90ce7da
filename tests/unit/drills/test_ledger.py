"""Ledger verdicts: lost, in doubt and duplicated are told apart."""

from __future__ import annotations

from hastack.drills.ledger import amqp_verdict, sql_verdict, wait_drained
from hastack.wait import ManualClock


def test_every_acknowledged_row_everywhere() -> None:
    verdict = sql_verdict([1, 2, 3], {"a": [1, 2, 3], "b": [1, 2, 3]}, {})
    assert verdict.lost == 0
    assert verdict.in_doubt == 0
    assert verdict.sentence == (
        "3 acknowledged writes, 0 missing on any of 2 members; 0 unacknowledged writes "
        "committed (in doubt, not lost)"
    )


def test_a_row_missing_on_one_member_is_lost() -> None:
    verdict = sql_verdict([1, 2, 3], {"a": [1, 2, 3], "b": [1, 3]}, {})
    assert verdict.lost == 1
    assert verdict.missing == {"a": (), "b": (2,)}


def test_a_committed_write_without_ack_is_in_doubt_not_lost() -> None:
    verdict = sql_verdict([1, 2], {"a": [1, 2, 3], "b": [1, 2, 3]}, {})
    assert verdict.lost == 0
    assert verdict.in_doubt == 1


def test_an_unreadable_member_is_reported() -> None:
    verdict = sql_verdict([1], {"a": [1]}, {"b": "connection refused"})
    assert verdict.unreadable == {"b": "connection refused"}
    assert verdict.sentence.endswith("unreadable: b: connection refused")


def test_messages_lost_and_duplicated_are_counted_separately() -> None:
    verdict = amqp_verdict([1, 2, 3, 4], [1, 2, 2, 2, 4, 5])
    assert verdict.confirmed == 4
    assert verdict.lost == 1  # 3
    assert verdict.duplicated == 2  # 2 twice more
    assert verdict.unconfirmed_delivered == 1  # 5
    assert verdict.consumed == 4
    assert verdict.sentence == (
        "4 confirmed messages, 1 lost, 2 duplicated; 1 delivered without a confirm (in doubt)"
    )


class Consumer:
    def __init__(self, received: list[int], last_delivery: float) -> None:
        self.received = received
        self.last_delivery = last_delivery


def test_drained_when_every_confirmed_message_arrived() -> None:
    clock = ManualClock(now=100.0)
    assert wait_drained([1, 2], Consumer([2, 1, 1], 99.0), timeout=60.0, clock=clock)
    assert clock.now == 100.0


def test_not_drained_once_nothing_arrived_for_10_s() -> None:
    clock = ManualClock(now=100.0)
    assert not wait_drained([1, 2], Consumer([1], 95.0), timeout=60.0, clock=clock)
    assert clock.now == 105.5  # the first poll after 10 s of silence


class Trickle(ManualClock):
    """Something arrives at every poll, never the missing message."""

    def __init__(self, consumer: Consumer, now: float) -> None:
        super().__init__(now)
        self.consumer = consumer

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        self.consumer.last_delivery = self.now


def test_not_drained_at_the_deadline() -> None:
    consumer = Consumer([1], 100.0)
    clock = Trickle(consumer, now=100.0)
    assert not wait_drained([1, 2], consumer, timeout=30.0, clock=clock)
    assert clock.now == 130.0
