"""Live load during a drill: the probes the plan calls for, their ledgers, and the VIP sampler.

HTTP probes exist for every HTTP frontend whose application hastack deploys (so Keystone
and Horizon appear once they are deployable), on each of its VIPs; Keystone also gets a
token-issue probe. Every TCP frontend gets a connect probe per VIP. The database gets
acknowledged writes through its VIP; RabbitMQ gets confirmed publishes and a consumer on a
quorum queue. Rates are modest: the lab shares two cores with the daemons it probes, and a
probe that loads the service it measures measures itself (each token costs Keystone a
password hash; each dashboard page a Django render).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
import uuid
from collections.abc import Mapping, Sequence

from .. import errors, kinds
from ..kinds import deployable
from ..plan import Frontend, Plan
from . import ledger
from .probes import (
    AmqpConsumer,
    AmqpPublishProbe,
    HttpProbe,
    Probe,
    SqlWriteProbe,
    TcpProbe,
    ordered,
)
from .target import Target

log = logging.getLogger(__name__)

# HTTP once a second per VIP: on two cores at 2/s the probes' own Django renders and token
# hashes, beside HAProxy's checks, made every answer slow while one of three units was away.
RATES = {"tcp": 10.0, "http": 1.0, "sql": 20.0, "amqp": 20.0}
# How long a client waits before it calls a request failed. OpenStack's clients and browsers
# wait far longer (keystoneauth has no timeout by default; HAProxy gives a server a minute):
# an answer within these is slow at worst, and a dead path still fails them.
HTTP_TIMEOUT_S = 5.0
SAMPLE_S = 0.5
DB_USER = "hastack"
AMQP_USER = "openstack"


class HolderSampler(threading.Thread):
    """Which nodes hold each VIP, sampled on every node every ``SAMPLE_S`` seconds."""

    def __init__(self, target: Target, max_s: float) -> None:
        super().__init__(name="vip sampler", daemon=True)
        self.target, self.max_s = target, max_s
        self.samples: list[tuple[float, dict[str, tuple[str, ...]]]] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        while not self._stop_event.is_set() and time.monotonic() - started < self.max_s:
            t = time.monotonic()
            try:
                self.samples.append((t, self.target.vip_holders()))
            except Exception as exc:
                log.warning("VIP sample failed: %s", exc)
            self._stop_event.wait(max(0.0, SAMPLE_S - (time.monotonic() - t)))

    def stop(self) -> None:
        self._stop_event.set()
        self.join(15.0)


def _writer_frontend(plan: Plan) -> Frontend | None:
    return next((f for c in plan.clusters for f in c.frontends if f.single_writer), None)


def _http_probes(plan: Plan, target: Target) -> list[Probe]:
    probes: list[Probe] = []
    for frontend in (f for c in plan.clusters for f in c.frontends):
        if frontend.mode != "http" or not deployable(frontend.kind):
            continue
        for vip in frontend.vips:
            name = f"{frontend.name} GET {vip}"
            path = frontend.health_path or "/"
            probes.append(
                HttpProbe(
                    name, str(vip), frontend.port, path, RATES["http"], timeout=HTTP_TIMEOUT_S
                )
            )
        client_probes = kinds.service(frontend.kind).client_probes
        if client_probes is not None:  # what only a real client of the kind would ask
            probes += client_probes(plan, frontend, target.secrets)
    return probes


def _tcp_probes(plan: Plan) -> list[Probe]:
    return [
        TcpProbe(f"{f.name} TCP {vip}:{f.port}", str(vip), f.port, RATES["tcp"])
        for c in plan.clusters
        for f in c.frontends
        if f.mode == "tcp" and deployable(f.kind)
        for vip in f.vips
    ]


@dataclasses.dataclass
class Traffic:
    """Everything that runs during one drill and what it must prove afterwards."""

    target: Target
    run_id: str
    probes: list[Probe]
    sampler: HolderSampler
    acked: list[int]
    confirmed: list[int]
    consumer: AmqpConsumer | None
    db: tuple[str, int] | None  # the DB VIP and port
    rabbit: list[str]  # broker addresses, preferred first

    def prepare(self) -> None:
        """What the probes need made before the load starts (an image, a container)."""
        for probe in self.probes:
            try:
                probe.prepare()
            except Exception as exc:  # whatever a client raised: the drill cannot measure
                raise errors.DrillAborted(f"{probe.probe_name}: not ready ({exc})") from exc

    def start(self) -> None:
        self.target.observed.probes = self.probes
        for thread in [*self.probes, self.sampler, *([self.consumer] if self.consumer else [])]:
            thread.start()

    def stop_load(self) -> None:
        for probe in self.probes:
            probe.stop()
        self.sampler.stop()


def prepare_ledgers(target: Target) -> tuple[str, tuple[str, int] | None, list[str]]:
    """A run id, the ledger table (if a database is deployed) and queue (if RabbitMQ is)."""
    run_id = uuid.uuid4().hex[:12]
    plan = target.plan
    writer = _writer_frontend(plan)
    db = (str(writer.vips[0]), writer.port) if writer and deployable(writer.kind) else None
    if db:
        ledger.sql_setup(db[0], db[1], DB_USER, target.db_password())
    rabbit = [
        str(plan.host(u.host).address())
        for app in plan.applications_of_kind("rabbitmq")
        for u in plan.units_of(app)
    ]
    if rabbit:
        target.queue = f"hastack-drill-{run_id}"
        ledger.amqp_setup(rabbit[0], AMQP_USER, target.amqp_password(), target.queue)
    return run_id, db, rabbit


def build(
    target: Target,
    run_id: str,
    db: tuple[str, int] | None,
    rabbit: Sequence[str],
    avoid: Sequence[str],
    max_s: float,
) -> Traffic:
    plan = target.plan
    probes = [*_tcp_probes(plan), *_http_probes(plan, target)]
    acked: list[int] = []
    confirmed: list[int] = []
    if db:
        password = target.db_password()
        probes.append(
            SqlWriteProbe(
                f"SQL insert via {db[0]}:{db[1]}",
                db[0],
                db[1],
                DB_USER,
                password,
                run_id,
                acked,
                RATES["sql"],
            )
        )
    consumer = None
    avoid_addresses = [str(plan.host(h).address()) for h in avoid if h in target.hosts]
    brokers = ordered(list(rabbit), avoid_addresses)
    if brokers:
        password = target.amqp_password()
        probes.append(
            AmqpPublishProbe(
                f"AMQP publish+confirm to {target.queue}",
                brokers,
                AMQP_USER,
                password,
                target.queue,
                confirmed,
                RATES["amqp"],
            )
        )
        consume_order = brokers[1:] + brokers[:1] if len(brokers) > 2 else brokers
        consumer = AmqpConsumer(consume_order, AMQP_USER, password, target.queue, max_s)
    for probe in probes:
        probe.max_s = max_s
    sampler = HolderSampler(target, max_s)
    return Traffic(target, run_id, probes, sampler, acked, confirmed, consumer, db, list(brokers))


def verify(traffic: Traffic) -> tuple[ledger.SqlVerdict | None, ledger.AmqpVerdict | None]:
    """Check the ledgers once the load stopped; then remove the drill's rows and queue."""
    target, sql, amqp = traffic.target, None, None
    if traffic.db:
        members = _galera_members(target.plan)
        present, unreadable = ledger.sql_read(
            members, 3306, DB_USER, target.db_password(), traffic.run_id
        )
        sql = ledger.sql_verdict(traffic.acked, present, unreadable)
        ledger.sql_cleanup(*traffic.db, DB_USER, target.db_password(), traffic.run_id)
    if traffic.consumer is not None:
        ledger.wait_drained(traffic.confirmed, traffic.consumer, timeout=60.0)
        traffic.consumer.stop()
        amqp = ledger.amqp_verdict(traffic.confirmed, traffic.consumer.received)
        ledger.amqp_cleanup(traffic.rabbit, AMQP_USER, target.amqp_password(), target.queue)
    return sql, amqp


def _galera_members(plan: Plan) -> Mapping[str, str]:
    return {
        u.host: str(plan.host(u.host).address())
        for app in plan.applications_of_kind("galera")
        for u in plan.units_of(app)
    }


def discard_ledgers(
    target: Target, run_id: str, db: tuple[str, int] | None, rabbit: Sequence[str]
) -> None:
    """Remove the drill's rows and queue when it stopped before the load started."""
    if db:
        ledger.sql_cleanup(*db, DB_USER, target.db_password(), run_id)
    if rabbit:
        ledger.amqp_cleanup(rabbit, AMQP_USER, target.amqp_password(), target.queue)
