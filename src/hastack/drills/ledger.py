"""Ledgers: what the probes were told was durable, checked against what survived.

SQL: every acknowledged INSERT through the DB VIP must be present on every Galera member
(read on each member's own address, with ``wsrep_sync_wait`` so a lagging member catches
up first). AMQP: every confirmed message must have been consumed; lost and duplicated
messages are counted separately (a redelivery after a lost ack is a duplicate, not a loss).
The verdicts are pure functions of the sequence numbers.
"""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Iterable, Mapping
from typing import Protocol

from .. import errors
from ..wait import SYSTEM_CLOCK, Clock, WaitTimeout, wait_until
from .probes import SQL_DATABASE, SQL_TABLE, amqp_parameters, require_lab_address


@dataclasses.dataclass(frozen=True)
class SqlVerdict:
    acknowledged: int
    missing: Mapping[str, tuple[int, ...]]  # member -> acknowledged rows it lacks
    in_doubt: int  # rows present though their acknowledgement never arrived
    unreadable: Mapping[str, str]  # member -> why it could not be read

    @property
    def lost(self) -> int:
        """Acknowledged rows missing on at least one member."""
        return len({seq for rows in self.missing.values() for seq in rows})

    @property
    def sentence(self) -> str:
        members = len(self.missing)
        text = f"{self.acknowledged} acknowledged writes, {self.lost} missing on any of {members}"
        text += f" members; {self.in_doubt} unacknowledged writes committed (in doubt, not lost)"
        if self.unreadable:
            text += "; unreadable: " + "; ".join(f"{h}: {w}" for h, w in self.unreadable.items())
        return text


def sql_verdict(
    acked: Iterable[int], present: Mapping[str, Iterable[int]], unreadable: Mapping[str, str]
) -> SqlVerdict:
    acked_set = set(acked)
    rows = {host: set(seqs) for host, seqs in present.items()}
    missing = {host: tuple(sorted(acked_set - seqs)) for host, seqs in sorted(rows.items())}
    extra = set().union(*rows.values()) - acked_set if rows else set()
    return SqlVerdict(len(acked_set), missing, len(extra), dict(unreadable))


@dataclasses.dataclass(frozen=True)
class AmqpVerdict:
    confirmed: int
    consumed: int  # distinct sequence numbers received
    lost: int  # confirmed but never consumed
    duplicated: int  # deliveries beyond the first of a sequence number
    unconfirmed_delivered: int  # consumed although its confirm never arrived (in doubt)

    @property
    def sentence(self) -> str:
        return (
            f"{self.confirmed} confirmed messages, {self.lost} lost, {self.duplicated} "
            f"duplicated; {self.unconfirmed_delivered} delivered without a confirm (in doubt)"
        )


def amqp_verdict(confirmed: Iterable[int], received: Iterable[int]) -> AmqpVerdict:
    confirmed_set = set(confirmed)
    counts = collections.Counter(received)
    return AmqpVerdict(
        confirmed=len(confirmed_set),
        consumed=len(counts),
        lost=len(confirmed_set - set(counts)),
        duplicated=sum(n - 1 for n in counts.values()),
        unconfirmed_delivered=len(set(counts) - confirmed_set),
    )


# -- SQL through the DB VIP -------------------------------------------------------------------
def _connect(address: str, port: int, user: str, password: str, timeout: float = 5.0):  # type: ignore[no-untyped-def]
    import pymysql

    return pymysql.connect(
        host=require_lab_address(address),
        port=port,
        user=user,
        password=password,
        connect_timeout=timeout,
        read_timeout=30,
        write_timeout=30,
        autocommit=True,
    )


def sql_setup(address: str, port: int, user: str, password: str) -> None:
    try:
        conn = _connect(address, port, user, password)
    except Exception as exc:
        raise errors.DrillAborted(
            f"cannot reach the database through {address}:{port} to set up the write ledger: "
            f"{exc}; check `hastack status`"
        ) from exc
    with conn, conn.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE IF NOT EXISTS {SQL_DATABASE}")
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {SQL_TABLE} (run CHAR(16) NOT NULL, seq INT NOT NULL, "
            "at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (run, seq))"
        )


def sql_read(
    members: Mapping[str, str], port: int, user: str, password: str, run_id: str
) -> tuple[dict[str, list[int]], dict[str, str]]:
    """Each member's rows of *run_id*, read on the member itself after it caught up."""
    present: dict[str, list[int]] = {}
    unreadable: dict[str, str] = {}
    for host, address in sorted(members.items()):
        try:
            conn = _connect(address, port, user, password)
            with conn, conn.cursor() as cursor:
                cursor.execute("SET SESSION wsrep_sync_wait = 1")
                cursor.execute(f"SELECT seq FROM {SQL_TABLE} WHERE run = %s", (run_id,))
                present[host] = [int(row[0]) for row in cursor.fetchall()]
        except Exception as exc:
            unreadable[host] = str(exc)[:200]
    return present, unreadable


def sql_cleanup(address: str, port: int, user: str, password: str, run_id: str) -> None:
    try:
        conn = _connect(address, port, user, password)
        with conn, conn.cursor() as cursor:
            cursor.execute(f"DELETE FROM {SQL_TABLE} WHERE run = %s", (run_id,))
    except Exception:
        pass


# -- AMQP ------------------------------------------------------------------------------------
def amqp_setup(address: str, user: str, password: str, queue: str) -> None:
    import pika

    try:
        conn = pika.BlockingConnection(amqp_parameters(address, user, password))
    except Exception as exc:
        raise errors.DrillAborted(
            f"cannot reach RabbitMQ on {address}:5672 to declare the drill queue: {exc}"
        ) from exc
    try:
        conn.channel().queue_declare(queue, durable=True, arguments={"x-queue-type": "quorum"})
    finally:
        conn.close()


def amqp_cleanup(addresses: Iterable[str], user: str, password: str, queue: str) -> bool:
    import pika

    for address in addresses:
        try:
            conn = pika.BlockingConnection(amqp_parameters(address, user, password))
            try:
                conn.channel().queue_delete(queue)
            finally:
                conn.close()
            return True
        except Exception:
            continue
    return False


class Delivered(Protocol):
    received: list[int]
    last_delivery: float


def wait_drained(
    confirmed: list[int], consumer: Delivered, timeout: float, clock: Clock = SYSTEM_CLOCK
) -> bool:
    """Wait until every confirmed message arrived, nothing arrived for 10 s, or *timeout*;
    True when all arrived."""

    def probe() -> tuple[bool | None, str]:
        missing = len(set(confirmed) - set(consumer.received))
        if not missing:
            return True, "every confirmed message arrived"
        if clock.monotonic() - consumer.last_delivery > 10.0:
            return False, f"{missing} confirmed messages missing, nothing arrived for 10 s"
        return None, f"{missing} confirmed messages still to arrive"

    try:
        return wait_until(
            probe, what="the drill queue drained", timeout=timeout, interval=0.5, clock=clock
        )
    except WaitTimeout:
        return False
