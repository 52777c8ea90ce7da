"""Keystone x3 behind the VIP, proven with real OpenStack clients and Keystone's own code."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.error

import pymysql
import pytest
from openstack_probe import (
    KEYSTONE_APP,
    apache_start,
    apache_stop,
    cacheless_validator,
    fernet_keys,
    issue_token,
    openstack_cli,
    public_vip,
    sdk,
    unit_url,
    validate_status,
    write_wrong_keys,
)

from conftest import DeployedLab, status_json
from hastack.kinds.keystone import render as render_keystone
from hastack.kinds.keystone.deploy import INSTANCE
from hastack.plan import queries

pytestmark = pytest.mark.lab
UNIT_PORT = 4990


def _clouds(lab: DeployedLab):  # type: ignore[no-untyped-def]
    return lab.state_dir / "deployments" / lab.plan.topology.name / "clouds.yaml"


def _password(lab: DeployedLab) -> str:
    return lab.secrets.get("keystone-admin-password").reveal()


def _units(lab: DeployedLab) -> list[str]:
    return [u.host for u in lab.plan.units_of(KEYSTONE_APP)]


def test_lab_up_says_where_the_client_files_are(deployed: DeployedLab) -> None:
    clouds = _clouds(deployed)
    assert str(clouds) in deployed.up_output
    assert "dashboard: http://" in deployed.up_output
    for path in (clouds, clouds.with_name("openrc")):
        assert path.stat().st_mode & 0o777 == 0o600
    assert _password(deployed) not in deployed.up_output


def test_openstack_token_issue_through_the_vip(deployed: DeployedLab) -> None:
    started = time.monotonic()
    done = openstack_cli(_clouds(deployed), "token", "issue", "-f", "json")
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    token = json.loads(done.stdout)
    assert token["id"] and token["project_id"]
    print(f"openstack token issue through the VIP: {took:.2f} s (CLI start included)")


def test_sdk_catalog_lists_the_vip_endpoints(deployed: DeployedLab) -> None:
    script = (  # Keystone's own entries (the catalog holds the other services' too)
        "ids = {s.id for s in conn.identity.services() if s.type == 'identity'}\n"
        "rows = [(e.interface, e.url) for e in conn.identity.endpoints() if e.service_id in ids]\n"
        "print(json.dumps(sorted(rows)))\n"
    )
    done = sdk(_clouds(deployed), script)
    assert done.returncode == 0, done.stderr
    urls = render_keystone.endpoints(deployed.plan, KEYSTONE_APP)
    assert json.loads(done.stdout) == sorted([list(item) for item in urls.items()])
    assert urls["public"].startswith(f"http://{public_vip(deployed.plan, KEYSTONE_APP)}:5000")


def test_a_wrong_password_gives_the_clients_own_error(deployed: DeployedLab, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = _clouds(deployed).read_text().replace(_password(deployed), "not-the-password")
    wrong = tmp_path / "clouds.yaml"
    wrong.write_text(text)
    done = openstack_cli(wrong, "token", "issue")
    assert done.returncode != 0
    assert "The request you have made requires authentication" in done.stderr
    assert "hastack" not in done.stderr.replace("--os-cloud hastack", "")


def test_bootstrap_reruns_create_no_duplicates(deployed: DeployedLab) -> None:
    leader = deployed.node(deployed.plan.leader(KEYSTONE_APP).host)
    env = {
        "OS_BOOTSTRAP_PASSWORD": _password(deployed),
        "OS_BOOTSTRAP_REGION_ID": "RegionOne",
        **{
            f"OS_BOOTSTRAP_{i.upper()}_URL": u
            for i, u in render_keystone.endpoints(deployed.plan, KEYSTONE_APP).items()
        },
    }
    manage = ["runuser", "-u", "keystone", "--", "keystone-manage", "bootstrap"]
    leader.check(manage, env=env, timeout=300)  # a forced re-run, as an operator might
    db = pymysql.connect(
        host=str(queries.database_host(deployed.plan, KEYSTONE_APP)),
        user="hastack",
        password=deployed.secrets.get("mysql-hastack-password").reveal(),
        connect_timeout=10,
    )
    # what bootstrap makes; other services' users, endpoints and `service` project aside
    identity = "SELECT id FROM keystone.service WHERE type = 'identity'"
    rows = {
        "endpoint": f"SELECT COUNT(*) FROM keystone.endpoint WHERE service_id IN ({identity})",
        "service": "SELECT COUNT(*) FROM keystone.service WHERE type = 'identity'",
        "region": "SELECT COUNT(*) FROM keystone.region",
        "local_user": "SELECT COUNT(*) FROM keystone.local_user WHERE name = 'admin'",
        "project": "SELECT COUNT(*) FROM keystone.project WHERE name <> 'service'",
    }
    with db.cursor() as cursor:
        counts = {}
        for table, query in rows.items():
            cursor.execute(query)
            counts[table] = cursor.fetchone()[0]  # type: ignore[index]
    db.close()
    # the project table also holds the Default domain and the root of all domains
    wanted = {"endpoint": 3, "service": 1, "region": 1, "local_user": 1, "project": 3}
    assert counts == wanted


def test_fernet_keys_are_identical_on_every_unit(deployed: DeployedLab) -> None:
    keys = {host: fernet_keys(deployed.node(host)) for host in _units(deployed)}
    first = keys[_units(deployed)[0]]
    assert len(first) >= 2
    assert all(found == first for found in keys.values())


def test_a_token_from_one_unit_validates_on_every_other_without_cache(
    deployed: DeployedLab,
) -> None:
    issuer, *others = _units(deployed)
    token = issue_token(unit_url(deployed.plan, issuer, UNIT_PORT), _password(deployed))
    for host in [issuer, *others]:  # every unit's API, addressed directly (cache on)
        assert validate_status(unit_url(deployed.plan, host, UNIT_PORT), token) == 200, host
    for host in others:  # the proof: Keystone without the cache, the unit's own keys
        with cacheless_validator(deployed.node(host)) as validate:
            assert validate(token) == 200, f"{host} rejects a token issued by {issuer}"


def test_a_unit_with_wrong_keys_fails_the_cacheless_check(deployed: DeployedLab) -> None:
    issuer, other = _units(deployed)[:2]
    token = issue_token(unit_url(deployed.plan, issuer, UNIT_PORT), _password(deployed))
    node = deployed.node(other)
    wrong = "/tmp/hastack-wrong-fernet-keys"
    write_wrong_keys(node, wrong)
    try:
        with cacheless_validator(node, key_repository=wrong) as validate:
            assert validate(token) in (401, 404), "a validator with foreign keys accepted it"
    finally:
        node.run(["rm", "-rf", "--", wrong])


def test_rotate_keys_keeps_live_tokens_valid(deployed: DeployedLab) -> None:
    units = _units(deployed)
    before = fernet_keys(deployed.node(units[0]))
    old = issue_token(
        f"http://{public_vip(deployed.plan, KEYSTONE_APP)}:5000", _password(deployed)
    )
    done = deployed.cli("rotate-keys")
    assert done.returncode == 0, done.stderr
    after = {host: fernet_keys(deployed.node(host)) for host in units}
    assert all(keys == after[units[0]] for keys in after.values())
    assert max(after[units[0]], key=int) != max(before, key=int)  # a new primary
    new = issue_token(unit_url(deployed.plan, units[0], UNIT_PORT), _password(deployed))
    with cacheless_validator(deployed.node(units[-1])) as validate:
        assert validate(old) == 200, "a token issued before the rotation no longer validates"
        assert validate(new) == 200, "a token signed with the new primary does not validate"


def _vip_holders(deployed: DeployedLab, app: str) -> set[str]:
    """The nodes holding *app*'s VIPs, as `hastack status` sees them."""
    _code, report = status_json(deployed)
    return {
        str(r["evidence"]["holders"])  # type: ignore[index]
        for r in report["results"]  # type: ignore[union-attr]
        if r["check"] == "vip.single-holder" and r["subject"].startswith(f"vip-{app}")  # type: ignore[index]
    }


def _non_vip_unit(deployed: DeployedLab) -> str:
    """A keystone unit that holds none of keystone's VIPs (the last unit when all do)."""
    holders = _vip_holders(deployed, "keystone")
    free = [h for h in _units(deployed) if h not in holders]
    return free[0] if free else _units(deployed)[-1]


def _haproxy_state(deployed: DeployedLab, via: str, server: str) -> str:
    stats = deployed.node(via).check(
        ["socat", "-", "UNIX-CONNECT:/run/haproxy/admin.sock"], stdin="show stat\n"
    )
    for line in stats.stdout.splitlines():
        fields = line.split(",")
        if len(fields) > 17 and fields[0] == "keystone" and fields[1] == server:
            return fields[17]
    return "missing"


def test_stopping_keystone_on_one_unit_costs_no_client(deployed: DeployedLab) -> None:
    victim = _non_vip_unit(deployed)
    observer = next(h for h in _units(deployed) if h != victim)
    url = f"http://{public_vip(deployed.plan, KEYSTONE_APP)}:5000"
    outcomes: list[tuple[float, bool, str]] = []
    stop = threading.Event()

    def load() -> None:
        while not stop.is_set():
            started = time.monotonic()
            try:
                issue_token(url, _password(deployed), timeout=15)
                outcomes.append((started, True, ""))
            except (urllib.error.URLError, OSError, AssertionError) as error:
                outcomes.append((started, False, str(error)[:120]))

    worker = threading.Thread(target=load)
    worker.start()
    try:
        time.sleep(3)
        stopped_at = time.monotonic()
        apache_stop(deployed.node(victim), INSTANCE)
        deadline = time.monotonic() + 30
        while _haproxy_state(deployed, observer, victim) != "DOWN":
            assert time.monotonic() < deadline, "HAProxy never marked the stopped unit DOWN"
            time.sleep(0.2)
        marked = time.monotonic() - stopped_at
        time.sleep(5)
        code, report = status_json(deployed)
        rows = [r for r in report["results"] if victim in r["subject"]]  # type: ignore[index]
        api = next(r for r in rows if r["check"] == "api.units" and "keystone" in r["subject"])
        assert api["status"] != "ok" and "refused" in api["message"].lower(), api
        assert code != 0
    finally:
        stop.set()
        worker.join(timeout=60)
        apache_start(deployed.node(victim), INSTANCE)
    failed = [o for o in outcomes if not o[1]]
    after = [o for o in outcomes if o[0] > stopped_at + marked]
    print(
        f"keystone stopped on {victim}: HAProxy marked it DOWN after {marked:.2f} s; "
        f"{len(outcomes)} token requests, {len(failed)} failed {[f[2] for f in failed]}"
    )
    assert after and all(ok for _, ok, _ in after), "requests failed after the unit was out"
    assert len(failed) <= 1
    deadline = time.monotonic() + 60
    while _haproxy_state(deployed, observer, victim) != "UP":
        assert time.monotonic() < deadline, "the restarted unit did not come back UP"
        time.sleep(0.5)


def test_a_unit_whose_database_stops_answering_frees_every_request(
    deployed: DeployedLab,
) -> None:
    """A query whose answer never comes (the proxy it went through lost power) must not hold
    its thread for good: cut one unit off the database VIP without a reset, as a power loss
    does, and every request on that unit ends; then it issues tokens again by itself."""
    holders = _vip_holders(deployed, "mysql")
    victim = next(h for h in reversed(_units(deployed)) if h not in holders)
    node = deployed.node(victim)
    vip = queries.database_host(deployed.plan, KEYSTONE_APP)
    url = unit_url(deployed.plan, victim, UNIT_PORT)
    issue_token(url, _password(deployed))  # connections in the pool, to the VIP
    out, back = f"ip daddr {vip} tcp dport 3306 drop", f"ip saddr {vip} tcp sport 3306 drop"
    cut = (
        "table inet hs-test-dbcut {\n"
        f" chain output {{ type filter hook output priority 0; {out}; }}\n"
        f" chain input {{ type filter hook input priority 0; {back}; }}\n"
        "}\n"
    )
    ended: list[float] = []

    def request() -> None:
        started = time.monotonic()
        with contextlib.suppress(urllib.error.URLError, OSError, AssertionError):
            issue_token(url, _password(deployed), timeout=240)  # an error is an answer too
        ended.append(time.monotonic() - started)

    node.check(["nft", "-f", "-"], stdin=cut, timeout=10)
    try:
        workers = [threading.Thread(target=request) for _ in range(8)]  # every WSGI thread
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=300)
    finally:
        node.run(["nft", "delete", "table", "inet", "hs-test-dbcut"], timeout=10)
    print(f"{victim} cut off the database VIP: 8 token requests ended after {sorted(ended)} s")
    assert len(ended) == 8 and max(ended) < 120, sorted(ended)  # 30 s read timeout + retries
    deadline = time.monotonic() + 60
    while True:
        try:
            issue_token(url, _password(deployed), timeout=15)
            break
        except (urllib.error.URLError, OSError, AssertionError):
            assert time.monotonic() < deadline, f"keystone on {victim} issues no token again"
            time.sleep(2)
