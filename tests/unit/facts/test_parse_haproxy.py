from pathlib import Path

import pytest

from hastack.facts import ParseError
from hastack.facts.haproxy import ProxyServer, ServerState, parse_stat_csv

FIXTURES = Path(__file__).parents[2] / "fixtures" / "facts" / "haproxy"


def servers(name: str, proxy: str) -> dict[str, ProxyServer]:
    rows = parse_stat_csv((FIXTURES / name).read_text())
    return {r.name: r for r in rows if r.proxy == proxy}


def test_mixed_states() -> None:
    keystone = servers("show-stat-mixed.csv", "keystone")
    assert [(n, s.state, s.check_status) for n, s in keystone.items()] == [
        ("ctl-1", ServerState.UP, "L7OK"),
        ("ctl-2", ServerState.UP, "L7OK"),
        ("ctl-3", ServerState.DOWN, "L4CON"),
        ("BACKEND", ServerState.UP, ""),
    ]
    down = keystone["ctl-3"]
    assert down.reason == "Layer4 connection problem: Connection refused"
    assert down.address == "127.0.0.1:18103"
    assert down.is_server and not keystone["BACKEND"].is_server
    assert down.current_sessions == 0


def test_backup_maint_and_no_check() -> None:
    galera = servers("show-stat-mixed.csv", "galera")
    assert [(n, s.backup) for n, s in galera.items()] == [
        ("FRONTEND", False),
        ("ctl-1", False),
        ("ctl-2", True),
        ("ctl-3", True),
        ("BACKEND", False),
    ]
    glance = servers("show-stat-mixed.csv", "glance")
    assert glance["ctl-2"].state is ServerState.MAINT
    assert glance["ctl-3"].state is ServerState.NO_CHECK
    assert glance["ctl-3"].serving


def test_frontends_are_kept() -> None:
    rows = parse_stat_csv((FIXTURES / "show-stat-mixed.csv").read_text())
    assert [r.proxy for r in rows if r.name == "FRONTEND"] == [
        "stats",
        "keystone-public",
        "galera",
        "glance",
    ]
    assert {r.state for r in rows if r.name == "FRONTEND"} == {ServerState.OPEN}


def test_all_down() -> None:
    keystone = servers("show-stat-backends-down.csv", "keystone")
    assert {s.state for s in keystone.values()} == {ServerState.DOWN}


def test_transitional_status() -> None:
    text = (
        "# pxname,svname,status,bck,scur\nkeystone,ctl-1,UP 1/2,0,3\nkeystone,ctl-2,DOWN 1/2,0,\n"
    )
    rows = parse_stat_csv(text)
    assert [(r.state, r.serving, r.current_sessions) for r in rows] == [
        (ServerState.UP, True, 3),
        (ServerState.DOWN, False, 0),
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "missing the '# pxname,svname,...' header line"),
        ("Unknown command\n", "missing the '# pxname,svname,...' header line"),
        ("# pxname,svname\n", "header lacks column(s) status"),
        ("# pxname,svname,status,scur\na,b,UP,x\n", "line 2: scur='x' is not a number"),
    ],
)
def test_bad_input(text: str, problem: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_stat_csv(text)
    assert str(info.value) == f"cannot parse HAProxy `show stat` CSV: {problem}"
