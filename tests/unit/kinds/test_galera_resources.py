"""Galera's Pacemaker resources: a promotable clone of ocf:heartbeat:galera in the CIB."""

from __future__ import annotations

import sys
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "golden"))
from golden_cases import build, fencing, render_case

from hastack import render


def _cib(case: str) -> etree._Element:
    built = build(case)
    xml = render.render_cluster_cib(built, built.clusters[0], fencing(built))
    return etree.fromstring(xml.encode())


def _nvpairs(element: etree._Element, tag: str) -> dict[str, str]:
    found = element.find(tag)
    assert found is not None, tag
    return {n.get("name"): n.get("value") for n in found.iter("nvpair")}


def test_galera_is_a_promotable_clone_with_every_member_promoted() -> None:
    clone = _cib("lab-core-fast").find(".//clone[@id='galera-mysql-clone']")
    assert clone is not None
    meta = _nvpairs(clone, "meta_attributes")
    assert meta["promotable"] == "true"
    assert (meta["promoted-max"], meta["clone-max"]) == ("3", "3")
    assert (meta["promoted-node-max"], meta["clone-node-max"]) == ("1", "1")
    primitive = clone.find("primitive")
    assert (primitive.get("class"), primitive.get("provider"), primitive.get("type")) == (
        "ocf",
        "heartbeat",
        "galera",
    )


def test_galera_names_are_management_addresses_mapped_from_node_names() -> None:
    params = _nvpairs(
        _cib("lab-core-fast").find(".//primitive[@id='galera-mysql']"), "instance_attributes"
    )
    built = build("lab-core-fast")
    addresses = {h.name: str(h.addresses[0].address) for h in built.hosts}
    assert params["wsrep_cluster_address"] == "gcomm://" + ",".join(
        addresses[h] for h in ("ctl-1", "ctl-2", "ctl-3")
    )
    pairs = dict(item.split(":") for item in params["cluster_host_map"].split(";"))
    assert pairs == addresses
    # the agent checks as root over the socket (unix_socket): no password in the CIB
    assert params["check_user"] == "root"
    assert not any("passw" in name for name in params)
    assert params["binary"] == "/usr/sbin/mariadbd"  # not mysqld_safe, which restarts it


def test_galera_monitors_both_roles_with_distinct_intervals() -> None:
    for case, promoted, unpromoted in (
        ("lab-core-fast", "5s", "8s"),
        ("lab-core-reference", "10s", "30s"),
    ):
        ops = _cib(case).findall(".//primitive[@id='galera-mysql']/operations/op")
        monitors = {
            op.get("role"): op.get("interval") for op in ops if op.get("name") == "monitor"
        }
        assert monitors == {"Promoted": promoted, "Unpromoted": unpromoted}
        timeouts = {op.get("name"): op.get("timeout") for op in ops if op.get("name") != "monitor"}
        assert timeouts == {"start": "180s", "stop": "120s", "promote": "300s", "demote": "120s"}


def test_galera_clone_avoids_cluster_hosts_without_a_member() -> None:
    cib = _cib("five-machines")
    avoid = sorted(
        c.get("node") for c in cib.iterfind(".//rsc_location[@rsc='galera-mysql-clone']")
    )
    assert avoid == ["ctl-4", "ctl-5"]
    assert all(
        c.get("score") == "-INFINITY"
        for c in cib.iterfind(".//rsc_location[@rsc='galera-mysql-clone']")
    )


def test_crm_text_carries_the_clone_meta_and_the_roles() -> None:
    crm = next(f.text for f in render_case("lab-core-fast")["ctl-1"] if f.path.endswith("cib.crm"))
    assert (
        "clone galera-mysql-clone galera-mysql \\\n    meta promotable=true promoted-max=3" in crm
    )
    assert "op monitor role=Promoted interval=5s timeout=30s" in crm
