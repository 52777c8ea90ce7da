"""Failure analysis tells the truth: runtime needs, not start order; copies, not zones."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from topo_builders import app, core, messages, topology

from hastack import plan
from hastack.plan import Outcome, export, storage
from hastack.plan.failures import runtime_needs
from hastack.topology import Topology


def case(result: plan.Plan, *machines: str) -> plan.FailureCase:
    cases = (*result.single_failures, *result.double_failures)
    return next(c for c in cases if c.machines == machines)


def outcome(result: plan.Plan, machines: tuple[str, ...], application: str) -> str:
    found = case(result, *machines).outcome_of(application)
    return "ok: unaffected" if found is None else f"{found.outcome}: {found.reason}"


def swift(zones: int = 3, replicas: str = "3") -> Topology:
    """Three proxies on machines 0-2; one storage zone application per machine after."""
    apps = [app("swift-proxy", "swift-proxy", 3, ("0", "1", "2"), replicas=replicas)]
    apps += [
        app(f"swift-storage-z{z}", "swift-storage", 1, (str(2 + z),), zone=str(z))
        for z in range(1, zones + 1)
    ]
    relations = [("swift-proxy", f"swift-storage-z{z}") for z in range(1, zones + 1)]
    return topology(apps, relations, machines=3 + zones)


def test_one_swift_zone_lost_degrades_and_keeps_serving() -> None:
    result = plan.build(swift())
    assert outcome(result, ("3",), "swift-proxy") == (
        "degraded: 1 of the 3 hosts holding its objects lost (ctl-4): objects keep at least 2 "
        "of 3 copies, so reads and writes go on (a write needs 2 copies, its write quorum)"
    )
    assert outcome(result, ("3",), "swift-storage-z1") == (
        "degraded: 0 of 1 units left (ctl-4 lost); swift-proxy's objects keep at least 2 of 3 "
        "copies, so reads and writes go on (a write needs 2 copies, its write quorum)"
    )
    assert case(result, "3").worst() is Outcome.DEGRADED


def test_two_swift_zones_lost_of_three_is_read_only() -> None:
    result = plan.build(swift())
    assert outcome(result, ("3", "4"), "swift-proxy") == (
        "read-only: 2 of the 3 hosts holding its objects lost (ctl-4, ctl-5): objects keep at "
        "least 1 of 3 copies, so reads succeed, but a write needs 2 copies (its write quorum) "
        "on live hosts and only 1 host is left, so writes fail"
    )
    assert case(result, "3", "4").worst() is Outcome.READ_ONLY


def test_every_swift_zone_lost_is_down() -> None:
    result = plan.build(swift())
    (store,) = storage.stores(result.topology, result.units, _machines(result)).values()
    verdict = storage.judge(store, {"3", "4", "5"})
    assert (verdict.outcome, verdict.meaning) == (
        Outcome.DOWN,
        "objects with all 3 copies on the lost hosts are gone, so reads of them fail",
    )


def test_more_zones_than_replicas_write_to_handoffs() -> None:
    result = plan.build(swift(zones=5))
    assert outcome(result, ("3", "4"), "swift-proxy") == (
        "degraded: 2 of the 5 hosts holding its objects lost (ctl-4, ctl-5): objects keep at "
        "least 1 of 3 copies, so reads and writes go on (a write needs 2 copies, its write "
        "quorum)"
    )


def test_the_replicas_option_sets_the_copies() -> None:
    result = plan.build(swift(replicas="2"))
    assert outcome(result, ("3", "4"), "swift-proxy") == (
        "down: 2 of the 3 hosts holding its objects lost (ctl-4, ctl-5): objects with all 2 "
        "copies on the lost hosts are gone, so reads of them fail"
    )


def ceph(monitors_hold_data: bool = False) -> Topology:
    """Monitors on machines 0-2, OSD hosts on 3-5, and glance (images in RBD) on 6-7."""
    apps = [
        app("ceph", "ceph" if monitors_hold_data else "ceph-mon", 3, ("0", "1", "2")),
        app("ceph-osd", "ceph-osd", 3, ("3", "4", "5")),
        app("glance", "glance", 2, ("6", "7")),
    ]
    return topology(apps, [("ceph", "ceph-osd"), ("glance", "ceph")], machines=8)


def test_one_ceph_osd_host_lost_degrades() -> None:
    result = plan.build(ceph())
    assert outcome(result, ("3",), "ceph") == (
        "degraded: 1 of the 3 hosts holding its placement groups lost (ctl-4): placement "
        "groups keep at least 2 of 3 copies, so reads and writes go on (a write needs 2 "
        "copies, its min_size)"
    )
    assert outcome(result, ("3",), "glance") == "ok: unaffected"


def test_two_of_three_ceph_osd_hosts_lost_blocks_io() -> None:
    result = plan.build(ceph())
    assert outcome(result, ("3", "4"), "ceph") == (
        "down: 2 of the 3 hosts holding its placement groups lost (ctl-4, ctl-5): placement "
        "groups with 2 of their 3 copies on the lost hosts keep 1, below min_size 2, so I/O "
        "to them blocks until the data is copied again"
    )
    assert outcome(result, ("3", "4"), "ceph-osd") == (
        "down: 1 of 3 units left (ctl-4, ctl-5 lost); ceph's placement groups with 2 of their "
        "3 copies on the lost hosts keep 1, below min_size 2, so I/O to them blocks until the "
        "data is copied again"
    )
    assert outcome(result, ("3", "4"), "glance") == "down: needs ceph, which is down"
    glance = case(result, "3", "4").outcome_of("glance")
    assert glance is not None and glance.because == ("ceph",)


def test_ceph_units_that_run_osds_hold_copies_too() -> None:
    result = plan.build(ceph(monitors_hold_data=True))
    assert outcome(result, ("0", "3"), "ceph") == (
        "down: 2 of the 6 hosts holding its placement groups lost (ctl-1, ctl-4): placement "
        "groups with 2 of their 3 copies on the lost hosts keep 1, below min_size 2, so I/O "
        "to them blocks until the data is copied again"
    )


def test_start_order_is_not_a_runtime_need() -> None:
    apps = [
        app("glance", "glance", 2, ("0", "1")),
        app("nova-cloud-controller", "nova-cloud-controller", 3, ("2", "3", "4")),
    ]
    result = plan.build(topology(apps, [("nova-cloud-controller", "glance")], machines=5))
    assert [p.applications for p in result.phases] == [("glance",), ("nova-cloud-controller",)]
    assert runtime_needs(result.topology)["nova-cloud-controller"] == set()
    assert outcome(result, ("0", "1"), "glance") == "down: no unit left of 2 (ctl-1, ctl-2 lost)"
    assert outcome(result, ("0", "1"), "nova-cloud-controller") == "ok: unaffected"


def test_containers_keep_their_own_names() -> None:
    apps = [app("keystone", "keystone", 3, ("lxd:0", "lxd:1", "lxd:2"))]
    result = plan.build(topology(apps))
    single = case(result, "0")
    assert single.hosts == ("ctl-1", "ctl-1-lxd-0")
    keystone = single.outcome_of("keystone")
    assert keystone is not None and keystone.lost == ("ctl-1-lxd-0",)
    assert keystone.reason == "2 of 3 units left (ctl-1-lxd-0 lost), still serving"
    row = export.to_dict(result)["failure_analysis"]["single"][0]
    assert row["failed"] == [{"machine": "0", "host": "ctl-1", "containers": ["ctl-1-lxd-0"]}]
    assert row["affected"][0]["lost_hosts"] == ["ctl-1-lxd-0"]


def test_each_case_says_why_in_one_sentence() -> None:
    apps = [
        app("mysql", "percona-cluster", 3, ("0", "1", "2")),
        app("keystone", "keystone", 3, ("0", "3", "4")),
    ]
    result = plan.build(topology(apps, [("keystone", "mysql")], machines=5))
    assert case(result, "1", "2").why == (
        "mysql down: 1 of 3 members left (ctl-2, ctl-3 lost); quorum needs 2; keystone down "
        "because mysql is down"
    )
    assert case(result, "0").why == "keystone and mysql degraded, still serving"
    assert case(result, "3").why == "keystone degraded, still serving"
    row = export.to_dict(result)["failure_analysis"]["double"]
    exported = next(r for r in row if r["machines"] == ["1", "2"])
    assert exported["why"] == case(result, "1", "2").why
    assert exported["affected"][0]["because"] == ["mysql"]


def test_a_case_that_touches_nothing_says_so() -> None:
    result = plan.build(topology([app("memcached", "memcached", 2, ("0", "1"))], machines=3))
    assert case(result, "2").why == "every service keeps running"


def test_the_core_loses_nothing_to_one_machine() -> None:
    result = plan.build(core())
    assert {c.worst() for c in result.single_failures} == {Outcome.DEGRADED}


@settings(max_examples=80, deadline=None)
@given(
    zones=st.integers(min_value=1, max_value=7),
    replicas=st.integers(min_value=1, max_value=5),
    data=st.data(),
)
def test_swift_serves_by_its_copies(zones: int, replicas: int, data: st.DataObject) -> None:
    result = plan.build(swift(zones, str(replicas)))
    (store,) = storage.stores(result.topology, result.units, _machines(result)).values()
    lost = data.draw(st.integers(min_value=1, max_value=zones))
    made = min(replicas, zones)
    verdict = storage.judge(store, {str(3 + z) for z in range(lost)})
    if lost >= made:
        assert verdict.outcome is Outcome.DOWN
    elif zones - lost < (replicas + 1) // 2:
        assert verdict.outcome is Outcome.READ_ONLY
    else:
        assert verdict.outcome is Outcome.DEGRADED


@settings(max_examples=60, deadline=None)
@given(hosts=st.integers(min_value=1, max_value=8), data=st.data())
def test_ceph_blocks_io_below_min_size(hosts: int, data: st.DataObject) -> None:
    apps = [
        app("ceph", "ceph-mon", 3, ("0", "1", "2")),
        app("ceph-osd", "ceph-osd", hosts, tuple(str(3 + h) for h in range(hosts))),
    ]
    result = plan.build(topology(apps, [("ceph", "ceph-osd")], machines=3 + hosts))
    (store,) = storage.stores(result.topology, result.units, _machines(result)).values()
    lost = data.draw(st.integers(min_value=1, max_value=hosts))
    verdict = storage.judge(store, {str(3 + h) for h in range(lost)})
    copies_left = min(3, hosts) - min(lost, 3)
    expected = Outcome.DOWN if copies_left < 2 else Outcome.DEGRADED
    assert verdict.outcome is expected


def _machines(result: plan.Plan) -> dict[str, str]:
    return {h.name: h.machine for h in result.hosts}


# --- findings about a store's copies -------------------------------------------------


def test_a_store_with_fewer_hosts_than_copies() -> None:
    result = plan.build(swift(zones=2))
    assert messages(result) == [
        "warning: applications.swift-proxy.options.replicas: swift-proxy keeps 3 copies of its "
        "objects on distinct hosts, but only 2 hosts hold them, so it makes only 2 and "
        "survives fewer lost hosts than 3 copies would; add swift-storage units related to "
        "it, on at least 3 hosts"
    ]


def test_a_store_that_cannot_write_with_every_host_up() -> None:
    result = plan.build(swift(zones=1))
    assert messages(result) == [
        "error: applications.swift-proxy.options.replicas: swift-proxy keeps 3 copies of its "
        "objects on distinct hosts, but only 1 host holds them, fewer than the 2 a write needs "
        "(its write quorum), so writes fail even with every host up; add swift-storage units "
        "related to it, on at least 3 hosts"
    ]


def test_ceph_below_min_size_with_every_host_up() -> None:
    apps = [app("ceph", "ceph-mon", 3, ("0", "1", "2")), app("ceph-osd", "ceph-osd", 1, ("3",))]
    result = plan.build(topology(apps, [("ceph", "ceph-osd")], machines=4))
    assert messages(result) == [
        "error: applications.ceph: ceph keeps 3 copies of its placement groups on distinct "
        "hosts, but only 1 host holds them, fewer than the 2 a write needs (its min_size), so "
        "I/O blocks even with every host up; add ceph-osd units related to it, on at least 3 "
        "hosts"
    ]
