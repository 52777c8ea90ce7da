from __future__ import annotations

import re

from golden_cases import build, fencing, render_case
from lxml import etree

from hastack import render
from hastack.render import keepalived


def _cib(case: str) -> etree._Element:
    built = build(case)
    xml = render.render_cluster_cib(built, built.clusters[0], fencing(built))
    return etree.fromstring(xml.encode())


def _file(case: str, host: str, path: str) -> str:
    return next(f.text for f in render_case(case)[host] if f.path == path)


def test_every_vip_is_colocated_with_and_ordered_after_haproxy() -> None:
    cib = _cib("lab-core-fast")
    vips = [p.get("id") for p in cib.iterfind(".//primitive[@type='IPaddr2']")]
    assert vips == [
        "vip-mysql-int",
        "vip-keystone-int",
        "vip-openstack-dashboard-int",
        "vip-placement-int",
        "vip-heat-int",
        "vip-keystone-pub",
        "vip-openstack-dashboard-pub",
        "vip-placement-pub",
        "vip-heat-pub",
    ]
    for vip in vips:
        col = cib.find(f".//rsc_colocation[@rsc='{vip}']")
        assert (col.get("with-rsc"), col.get("score")) == ("haproxy-clone", "INFINITY")
        order = cib.find(f".//rsc_order[@then='{vip}']")
        assert (order.get("first"), order.get("kind")) == ("haproxy-clone", "Mandatory")


def test_fence_devices_never_run_on_their_own_host() -> None:
    cib = _cib("lab-core-reference")
    for host in ("ctl-1", "ctl-2", "ctl-3"):
        device = cib.find(f".//primitive[@id='fence-{host}']")
        params = {n.get("name"): n.get("value") for n in device.iter("nvpair")}
        assert params["pcmk_host_list"] == host
        assert params["power_wait"] == "2"  # reference profile
        loc = cib.find(f".//rsc_location[@rsc='fence-{host}']")
        assert (loc.get("node"), loc.get("score")) == (host, "-INFINITY")


def test_cluster_properties_follow_the_profile() -> None:
    for case, deadtime in (("lab-core-fast", "2s"), ("lab-core-reference", "20s")):
        props = {
            n.get("name"): n.get("value") for n in _cib(case).find(".//crm_config").iter("nvpair")
        }
        assert props["stonith-enabled"] == "true"
        assert props["no-quorum-policy"] == "stop"
        assert props["stonith-action"] == "reboot"  # the bundle does not say off
        assert props["dc-deadtime"] == deadtime


def test_vips_avoid_hosts_without_their_application() -> None:
    cib = _cib("five-machines")
    avoid = sorted(
        (c.get("rsc"), c.get("node"))
        for c in cib.iterfind(".//rsc_location")
        if "avoid" in c.get("id")
    )
    assert ("vip-mysql-int", "ctl-4") in avoid and ("vip-mysql-int", "ctl-5") in avoid
    assert ("vip-keystone-int", "ctl-1") in avoid
    assert all(
        not (rsc == "vip-mysql-int" and node in {"ctl-1", "ctl-2", "ctl-3"}) for rsc, node in avoid
    )


def test_keepalived_clusters_have_no_ipaddr2_but_keep_fencing_and_haproxy() -> None:
    cib = _cib("lab-core-keepalived")
    assert cib.find(".//primitive[@type='IPaddr2']") is None
    assert cib.find(".//rsc_colocation") is None
    assert cib.find(".//clone[@id='haproxy-clone']") is not None
    assert len(cib.findall(".//primitive[@class='stonith']")) == 3
    assert not any(
        f.path.startswith("/etc/keepalived") for f in render_case("lab-core-fast")["ctl-1"]
    )


def test_galera_backend_has_exactly_one_active_server() -> None:
    for case in ("lab-core-fast", "five-machines"):
        text = _file(case, "ctl-1", "/etc/haproxy/haproxy.cfg")
        section = text.split("listen mysql\n")[1].split("\n\n")[0]
        servers = [line for line in section.splitlines() if line.strip().startswith("server ")]
        assert len(servers) == 3
        assert [s.endswith(" backup") for s in servers].count(False) == 1
        assert "balance first" in section and "mode tcp" in section


def test_http_backends_check_health_and_retry() -> None:
    text = _file("lab-core-fast", "ctl-2", "/etc/haproxy/haproxy.cfg")
    section = text.split("listen keystone\n")[1]
    assert "option httpchk GET /v3" in section
    assert "bind 198.18.0.101:5000" in section and "bind 198.18.1.101:5000" in section
    server = r"server ctl-1 198\.18\.0\.11:4990 check inter 500 fall 2 rise 2 slowstart 60s\n"
    assert re.search(server, section)  # a server back from the dead ramps up over a minute
    assert "bind 198.18.0.12:8404" in text  # stats on the host's own address
    assert "timeout connect 200ms" in text and "option redispatch" in text


def test_a_post_is_resent_to_another_server_only_when_it_changes_nothing() -> None:
    text = _file("lab-core-fast", "ctl-1", "/etc/haproxy/haproxy.cfg")
    sections = {s.split("\n")[0]: s for s in text.split("\nlisten ")[1:]}
    disable = "http-request disable-l7-retry if { method POST PATCH }"
    # Keystone's token request may go to another server after its own dropped it unanswered
    assert f"{disable} !{{ path /v3/auth/tokens }}\n" in sections["keystone"]
    # a stack create that timed out on one heat-api may have made the stack: never twice
    for name in ("heat-api", "heat-cfn", "placement", "openstack-dashboard"):
        assert f"{disable}\n" in sections[name], name
    assert "disable-l7-retry" not in sections["mysql"]  # TCP: no L7 retries at all


def test_keepalived_priorities_descend_in_host_order() -> None:
    prios = []
    for host in ("ctl-1", "ctl-2", "ctl-3"):
        text = _file("lab-core-keepalived", host, "/etc/keepalived/keepalived.conf")
        assert "vrrp_version 3" in text and "advert_int 0.1" in text
        assert text.count("state BACKUP") == 9  # one VRRP instance per VIP
        prios.append(int(re.findall(r"priority (\d+)", text)[0]))
    assert prios == sorted(prios, reverse=True) and len(set(prios)) == 3


def test_vrrp_v2_adverts_are_whole_seconds() -> None:
    assert keepalived.advert(1.0) == "1"
    assert keepalived.advert(0.1) == "0.1"


def test_corosync_node_ids_match_the_cib() -> None:
    text = _file("five-machines", "ctl-4", "/etc/corosync/corosync.conf")
    ids = re.findall(r"name: (ctl-\d+)\n\s+nodeid: (\d+)", text)
    cib_ids = [(n.get("uname"), n.get("id")) for n in _cib("five-machines").iter("node")]
    assert ids == cib_ids == [(f"ctl-{i}", str(i)) for i in range(1, 6)]
    assert "token: 1000" in text and "consensus" not in text
