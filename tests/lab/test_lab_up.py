"""`hastack lab up` on the default bundle: the HA core, really running, proven from outside."""

from __future__ import annotations

import json
import subprocess
import uuid

import pika
import pymysql
import pytest

from conftest import DeployedLab, status_json

pytestmark = pytest.mark.lab


def test_status_is_all_green(deployed: DeployedLab) -> None:
    code, report = status_json(deployed)
    bad = [r for r in report["results"] if r["status"] != "ok"]  # type: ignore[index]
    assert bad == []
    assert report["verdict"] == "ok"
    assert code == 0


def test_every_node_answers_its_bmc(deployed: DeployedLab) -> None:
    password = deployed.secrets.get("bmc-password").reveal()
    for index, host in enumerate(deployed.plan.hosts, start=1):
        done = subprocess.run(
            [
                "ipmitool",
                "-I",
                "lanplus",
                "-H",
                f"198.18.0.{200 + index}",
                "-U",
                "hastack",
                "-P",
                password,
                "power",
                "status",
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert done.stdout.strip() == "Chassis Power is on", (host.name, done.stderr)


def test_stonith_is_enabled_and_every_fence_device_started(deployed: DeployedLab) -> None:
    node = deployed.node("ctl-1")
    xml = node.check(["crm_mon", "--output-as=xml", "-1"]).stdout
    from hastack.facts.pacemaker import parse_crm_mon

    status = parse_crm_mon(xml)
    assert status.stonith_enabled
    fences = {r.id: r for r in status.resources if r.is_stonith}
    assert sorted(fences) == ["fence-ctl-1", "fence-ctl-2", "fence-ctl-3"]
    assert all(r.running for r in fences.values())
    for name, resource in fences.items():
        assert name.removeprefix("fence-") not in resource.nodes  # never fences from itself


def test_a_row_written_through_the_db_vip_is_on_every_member(deployed: DeployedLab) -> None:
    password = deployed.secrets.get("mysql-hastack-password").reveal()
    marker = uuid.uuid4().hex
    vip = pymysql.connect(
        host="198.18.0.100", user="hastack", password=password, connect_timeout=10, autocommit=True
    )
    with vip.cursor() as cursor:
        cursor.execute("CREATE DATABASE IF NOT EXISTS hastack_test")
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS hastack_test.probe "
            "(id VARCHAR(64) PRIMARY KEY, at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)"
        )
        cursor.execute("INSERT INTO hastack_test.probe (id) VALUES (%s)", (marker,))
    vip.close()
    for host in deployed.plan.hosts:
        member = pymysql.connect(
            host=str(host.address()), user="hastack", password=password, connect_timeout=10
        )
        with member.cursor() as cursor:
            cursor.execute("SET SESSION wsrep_sync_wait = 1")
            cursor.execute("SELECT COUNT(*) FROM hastack_test.probe WHERE id = %s", (marker,))
            assert cursor.fetchone() == (1,), host.name
        member.close()


def test_a_confirmed_message_on_a_quorum_queue_is_consumed(deployed: DeployedLab) -> None:
    password = deployed.secrets.get("rabbitmq-password").reveal()
    credentials = pika.PlainCredentials("openstack", password)
    queue = f"hastack-test-{uuid.uuid4().hex[:8]}"
    publisher = pika.BlockingConnection(
        pika.ConnectionParameters("198.18.0.12", credentials=credentials, connection_attempts=3)
    )
    channel = publisher.channel()
    channel.queue_declare(queue, durable=True, arguments={"x-queue-type": "quorum"})
    channel.confirm_delivery()
    for number in range(20):
        channel.basic_publish(
            "",
            queue,
            json.dumps({"n": number}),
            pika.BasicProperties(delivery_mode=2),
            mandatory=True,
        )
    publisher.close()
    consumer = pika.BlockingConnection(
        pika.ConnectionParameters("198.18.0.13", credentials=credentials, connection_attempts=3)
    )
    received = []
    consume = consumer.channel()
    for _ in range(20):
        method, _props, body = consume.basic_get(queue, auto_ack=True)
        assert method is not None, f"only {len(received)} of 20 messages came back"
        received.append(json.loads(body)["n"])
    assert received == list(range(20))
    consume.queue_delete(queue)
    consumer.close()


def test_a_second_lab_up_changes_nothing(deployed: DeployedLab) -> None:
    done = deployed.cli("lab", "up", str(deployed.bundle), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    changed = [s for s in report["steps"] if s["changed"]]
    assert changed == []
    assert report["changed"] is False
