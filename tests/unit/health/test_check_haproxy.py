from pathlib import Path

from hastack.facts.haproxy import ProxyServer, parse_stat_csv
from hastack.health.haproxy import evaluate_haproxy
from hastack.health.status import Status

FIXTURES = Path(__file__).parents[2] / "fixtures" / "facts" / "haproxy"


def load(name: str) -> list[ProxyServer]:
    return parse_stat_csv((FIXTURES / name).read_text())


def test_mixed() -> None:
    results = evaluate_haproxy({"ctl-1": load("show-stat-mixed.csv")})
    assert [(r.subject, r.status, r.message) for r in results] == [
        (
            "keystone on ctl-1",
            Status.DEGRADED,
            "backend keystone on ctl-1: 2 of 3 servers up; ctl-3 DOWN (Layer4 connection"
            " problem: Connection refused)",
        ),
        (
            "galera on ctl-1",
            Status.DEGRADED,
            "backend galera on ctl-1: writer ctl-1 up, 1 of 2 backups up; ctl-2 DOWN (Layer4"
            " connection problem: Connection refused at initial connection step of tcp-check)",
        ),
        (
            "glance on ctl-1",
            Status.DEGRADED,
            "backend glance on ctl-1: 2 of 3 servers up; ctl-2 in maintenance",
        ),
    ]
    assert results[1].evidence == {"ctl-1": "UP", "ctl-2": "DOWN backup", "ctl-3": "UP backup"}


def test_all_down() -> None:
    results = evaluate_haproxy({"ctl-2": load("show-stat-backends-down.csv")})
    assert [(r.status, r.message) for r in results[:2]] == [
        (
            Status.DOWN,
            "backend keystone on ctl-2: all 3 servers are down (ctl-1 DOWN (Layer4 connection"
            " problem: Connection refused); ctl-2 DOWN (Layer4 connection problem: Connection"
            " refused); ctl-3 DOWN (Layer4 connection problem: Connection refused)); start the"
            " service",
        ),
        (
            Status.DOWN,
            "backend galera on ctl-2: writer and all backups are down (ctl-1 DOWN (Layer4"
            " connection problem: Connection refused at initial connection step of tcp-check);"
            " ctl-2 DOWN (Layer4 connection problem: Connection refused at initial connection"
            " step of tcp-check); ctl-3 DOWN (Layer4 connection problem: Connection refused at"
            " initial connection step of tcp-check)); check galera.cluster",
        ),
    ]


def rows(text: str) -> list[ProxyServer]:
    return parse_stat_csv("# pxname,svname,status,bck,check_desc,last_chk\n" + text)


def test_healthy_and_galera_writer_down() -> None:
    stats = {
        "ctl-1": rows("keystone,ctl-1,UP,0,,\nkeystone,ctl-2,UP,0,,\nkeystone,BACKEND,UP,0,,\n"),
        "ctl-2": rows(
            "galera,ctl-1,DOWN,0,Layer7 wrong status,not synced\ngalera,ctl-2,UP,1,,\n"
            "galera,ctl-3,UP,1,,\n"
        ),
    }
    assert [(r.status, r.message) for r in evaluate_haproxy(stats)] == [
        (Status.OK, "backend keystone on ctl-1: all 2 servers up"),
        (
            Status.DEGRADED,
            "backend galera on ctl-2: writer ctl-1 DOWN (Layer7 wrong status: not synced);"
            " traffic goes to backup ctl-2 — check galera on ctl-1",
        ),
    ]


def test_galera_with_two_writers_blocks() -> None:
    [result] = evaluate_haproxy({"ctl-1": rows("galera,ctl-1,UP,0,,\ngalera,ctl-2,UP,0,,\n")})
    assert (result.status, result.message) == (
        Status.BLOCKED,
        "backend galera on ctl-1 has 2 active servers (ctl-1, ctl-2); a Galera backend needs"
        " one writer and the rest `backup` — re-render haproxy.cfg (`hastack lab up`)",
    )


def test_galera_ok() -> None:
    stats = {"ctl-1": rows("mysql,ctl-1,UP,0,,\nmysql,ctl-2,UP,1,,\nmysql,ctl-3,UP,1,,\n")}
    assert evaluate_haproxy(stats)[0].message == (
        "backend mysql on ctl-1: writer ctl-1 up with 2 backups up"
    )


def test_silent_haproxy() -> None:
    stats = {"ctl-1": rows("keystone,ctl-1,UP,0,,\n"), "ctl-3": None}
    assert evaluate_haproxy(stats)[1].status is Status.DEGRADED
    [result] = evaluate_haproxy({"ctl-3": None})
    assert (result.subject, result.status, result.message) == (
        "haproxy on ctl-3",
        Status.DOWN,
        "HAProxy on ctl-3 does not answer on its stats socket; start haproxy",
    )
