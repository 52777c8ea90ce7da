"""Probes: threads that try one thing at a fixed rate and log every attempt.

Each attempt is logged with its monotonic start time, its latency, and its error. A probe
stops when asked, after ``max_s`` seconds, or after ``max_attempts`` attempts, whichever
comes first; an attempt that overruns its slot makes the probe skip the missed slots rather
than burst. Probes only talk to the lab's own addresses (198.18.0.0/15).
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.client
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .. import errors

LAB_NETWORK = ipaddress.IPv4Network("198.18.0.0/15")
DEFAULT_MAX_S = 1800.0


def require_lab_address(address: str) -> str:
    if ipaddress.IPv4Address(address) not in LAB_NETWORK:
        raise errors.DrillAborted(
            f"a probe would send traffic to {address}, outside the lab's 198.18.0.0/15; "
            "drills only probe lab addresses"
        )
    return address


@dataclasses.dataclass(frozen=True)
class Attempt:
    t: float  # monotonic time the attempt started
    latency: float  # seconds it took
    ok: bool
    error: str = ""


class Probe(threading.Thread):
    """Call ``attempt()`` every ``1/rate`` seconds; an exception is a failed attempt."""

    kind = "probe"

    def __init__(
        self, name: str, target: str, rate: float, *, max_s: float = DEFAULT_MAX_S
    ) -> None:
        super().__init__(name=f"probe {name}", daemon=True)
        self.probe_name = name
        self.target = target  # what it reaches: "198.18.6.100:3306"
        self.rate = rate
        self.max_s = max_s
        self.max_attempts = int(rate * max_s) + 1
        self.attempts: list[Attempt] = []
        self.in_flight = 1  # attempts at once; stateless probes (TCP, HTTP) allow more
        self._launched = 0
        self._stop_event = threading.Event()

    def prepare(self) -> None:
        """What the attempts need made first (an image to download), before any load starts:
        made during a fault it would be measured as the fault's cost."""

    def attempt(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Release connections; called once from the probe's own thread at the end."""

    def run(self) -> None:
        interval = 1.0 / self.rate
        started = time.monotonic()
        slot = started
        pool = ThreadPoolExecutor(self.in_flight, f"probe {self.probe_name}")
        try:
            while not self._stop_event.is_set() and self._launched < self.max_attempts:
                if time.monotonic() - started > self.max_s:
                    break
                self._launch(pool)
                slot += interval
                now = time.monotonic()
                if slot < now:  # overran: skip the missed slots
                    slot += interval * int((now - slot) / interval + 1)
                self._stop_event.wait(slot - now)
        finally:
            pool.shutdown(wait=True)
            self.attempts.sort(key=lambda a: a.t)
            self.close()

    def _launch(self, pool: ThreadPoolExecutor) -> None:
        """One attempt: in this thread for a stateful probe, else beside the ones in flight
        (so a blocked attempt does not lower the rate: the outage is measured to 1/rate)."""
        self._launched += 1
        if self.in_flight == 1:
            self.attempts.append(self._one())
            return
        future = pool.submit(self._one)
        future.add_done_callback(lambda f: self.attempts.append(f.result()))

    def _one(self) -> Attempt:
        t = time.monotonic()
        try:
            self.attempt()
        except Exception as exc:
            return Attempt(t, time.monotonic() - t, False, _describe(exc))
        return Attempt(t, time.monotonic() - t, True)

    def stop(self, timeout: float = 15.0) -> None:
        self._stop_event.set()
        self.join(timeout)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return f"{exc.__class__.__name__}: {text}"[:200]


class TcpProbe(Probe):
    """A TCP connect (and close): does anything listen behind the address?"""

    kind = "tcp"

    def __init__(self, name: str, address: str, port: int, rate: float, timeout: float = 1.0):
        super().__init__(name, f"{require_lab_address(address)}:{port}", rate)
        self.address, self.port, self.timeout = address, port, timeout
        self.in_flight = int(rate * timeout) + 2

    def attempt(self) -> None:
        with socket.create_connection((self.address, self.port), timeout=self.timeout):
            pass


class HttpProbe(Probe):
    """An HTTP request on a fresh connection; a 5xx or no answer is a failure."""

    kind = "http"

    def __init__(
        self,
        name: str,
        address: str,
        port: int,
        path: str,
        rate: float,
        *,
        body: Callable[[], tuple[str, dict[str, str]]] | None = None,
        expect: int | None = None,
        timeout: float = 2.0,
    ) -> None:
        super().__init__(name, f"http://{require_lab_address(address)}:{port}{path}", rate)
        self.address, self.port, self.path = address, port, path
        self.body, self.expect, self.timeout = body, expect, timeout
        self.in_flight = int(rate * timeout) + 2

    def attempt(self) -> None:
        conn = http.client.HTTPConnection(self.address, self.port, timeout=self.timeout)
        try:
            if self.body is None:
                conn.request("GET", self.path)
            else:
                payload, headers = self.body()
                conn.request("POST", self.path, body=payload, headers=headers)
            response = conn.getresponse()
            response.read()
        finally:
            conn.close()
        if response.status >= 500 or (self.expect and response.status != self.expect):
            raise RuntimeError(f"HTTP {response.status} {response.reason}")


def ordered(hosts: Sequence[str], avoid: Sequence[str]) -> list[str]:
    """*hosts* with the ones to avoid moved to the end (a probe's entry-point preference)."""
    return [h for h in hosts if h not in avoid] + [h for h in hosts if h in avoid]


class SqlWriteProbe(Probe):
    """One autocommit INSERT through the DB VIP per attempt; acknowledged rows go to *acked*.

    A write whose answer never came (timeout, lost connection) is a failure and not in the
    ledger: it may or may not have committed, so verification counts it as in doubt, not lost.
    """

    kind = "sql"

    def __init__(
        self,
        name: str,
        address: str,
        port: int,
        user: str,
        password: str,
        run_id: str,
        acked: list[int],
        rate: float,
    ) -> None:
        super().__init__(name, f"mysql://{require_lab_address(address)}:{port}", rate)
        self.address, self.port, self.user, self.password = address, port, user, password
        self.run_id, self.acked = run_id, acked
        self._conn: Any = None
        self._seq = 0

    def attempt(self) -> None:
        import pymysql

        self._seq += 1
        try:
            if self._conn is None:
                self._conn = pymysql.connect(
                    host=self.address,
                    port=self.port,
                    user=self.user,
                    password=self.password,
                    connect_timeout=1,
                    read_timeout=2,
                    write_timeout=2,
                    autocommit=True,
                )
            with self._conn.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {SQL_TABLE} (run, seq) VALUES (%s, %s)", (self.run_id, self._seq)
                )
        except Exception:
            self.close()
            raise
        self.acked.append(self._seq)

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):  # already broken
                conn.close()


SQL_DATABASE = "hastack_drill"
SQL_TABLE = f"{SQL_DATABASE}.ledger"


def amqp_parameters(address: str, user: str, password: str) -> object:
    import pika

    return pika.ConnectionParameters(
        require_lab_address(address),
        5672,
        credentials=pika.PlainCredentials(user, password),
        connection_attempts=1,
        socket_timeout=2,
        stack_timeout=4,
        blocked_connection_timeout=10,
        heartbeat=5,
    )


class AmqpPublishProbe(Probe):
    """Publish one persistent message (its sequence number) with publisher confirms."""

    kind = "amqp"

    def __init__(
        self,
        name: str,
        addresses: Sequence[str],
        user: str,
        password: str,
        queue: str,
        confirmed: list[int],
        rate: float,
    ) -> None:
        super().__init__(name, f"amqp://{','.join(addresses)}/{queue}", rate)
        self.addresses, self.user, self.password = list(addresses), user, password
        self.queue, self.confirmed = queue, confirmed
        self._conn: Any = None
        self._channel: Any = None
        self._next = 0  # index of the next broker to try after a failure
        self._seq = 0

    def _connect(self) -> None:
        import pika

        address = self.addresses[self._next % len(self.addresses)]
        conn = pika.BlockingConnection(amqp_parameters(address, self.user, self.password))
        channel = conn.channel()
        channel.confirm_delivery()
        self._conn, self._channel = conn, channel

    def attempt(self) -> None:
        import pika

        self._seq += 1
        try:
            if self._channel is None:
                self._connect()
            self._channel.basic_publish(
                "",
                self.queue,
                str(self._seq).encode(),
                pika.BasicProperties(delivery_mode=2),
                mandatory=True,
            )
        except Exception:
            self.close()
            self._next += 1
            raise
        self.confirmed.append(self._seq)

    def close(self) -> None:
        conn, self._conn, self._channel = self._conn, None, None
        if conn is not None:
            with contextlib.suppress(Exception):  # already broken
                conn.close()


class AmqpConsumer(threading.Thread):
    """Consume the drill queue, record every delivery's sequence number, ack after it."""

    def __init__(
        self, addresses: Sequence[str], user: str, password: str, queue: str, max_s: float
    ) -> None:
        super().__init__(name="amqp consumer", daemon=True)
        self.addresses, self.user, self.password = list(addresses), user, password
        self.queue, self.max_s = queue, max_s
        self.received: list[int] = []
        self.last_delivery = time.monotonic()
        self.errors: list[str] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        started, turn = time.monotonic(), 0
        while not self._stop_event.is_set() and time.monotonic() - started < self.max_s:
            address = self.addresses[turn % len(self.addresses)]
            try:
                self._consume(address, started)
            except Exception as exc:
                self.errors.append(f"{address}: {_describe(exc)}")
                turn += 1
                self._stop_event.wait(0.5)

    def _consume(self, address: str, started: float) -> None:
        import pika

        conn = pika.BlockingConnection(amqp_parameters(address, self.user, self.password))
        try:
            channel = conn.channel()
            channel.basic_qos(prefetch_count=200)

            def on_message(ch, method, _props, body) -> None:  # type: ignore[no-untyped-def]
                self.received.append(int(body))
                self.last_delivery = time.monotonic()
                ch.basic_ack(method.delivery_tag)

            channel.basic_consume(self.queue, on_message)
            while not self._stop_event.is_set() and time.monotonic() - started < self.max_s:
                conn.process_data_events(time_limit=0.5)
        finally:
            with contextlib.suppress(Exception):
                conn.close()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop_event.set()
        self.join(timeout)
