"""One test per planner finding, asserting the exact message (messages are UI)."""

from __future__ import annotations

from topo_builders import app, topology

from hastack import plan


def only(result: plan.Plan) -> str:
    assert len(result.findings) == 1, [str(f) for f in result.findings]
    finding = result.findings[0]
    return f"{finding.severity}: {finding.path}: {finding.message}"


def test_even_quorum_count() -> None:
    result = plan.build(topology([app("mysql", "percona-cluster", 4)], machines=4))
    assert only(result) == (
        "error: applications.mysql.num_units: 4 members tolerate no more failures than 3 and "
        "can split evenly; use an odd number (3 or 5)"
    )


def test_too_small_quorum_count_suggests_garbd() -> None:
    result = plan.build(topology([app("mysql", "percona-cluster", 2)]))
    assert only(result) == (
        "error: applications.mysql.num_units: 2 members cannot keep quorum after one failure; "
        "use 3, or 2 plus a garbd arbitrator"
    )


def test_two_members_plus_garbd_is_fine() -> None:
    apps = [app("mysql", "percona-cluster", 2, ("0", "1")), app("garbd", "garbd", 1, ("2",))]
    result = plan.build(topology(apps, [("mysql", "garbd")]))
    assert result.findings == ()


def test_single_rabbit_has_no_quorum() -> None:
    result = plan.build(topology([app("rabbitmq-server", "rabbitmq-server", 1)]))
    assert only(result) == (
        "error: applications.rabbitmq-server.num_units: 1 member cannot keep quorum after one "
        "failure; use 3"
    )


def test_quorum_members_sharing_a_machine() -> None:
    result = plan.build(topology([app("rabbitmq-server", "rabbitmq-server", 3, ("0", "0", "1"))]))
    assert only(result) == (
        "error: applications.rabbitmq-server.to: two members of the quorum service "
        "rabbitmq-server share machine 0: losing it loses both; place every member on its "
        "own machine"
    )


def test_stateless_units_sharing_a_machine_warn() -> None:
    result = plan.build(topology([app("glance", "glance", 2, ("1", "1"))]))
    assert only(result) == (
        "warning: applications.glance.to: units of glance share machine 1, so one machine "
        "failure takes several; spread them over distinct machines"
    )


def test_vip_on_one_unit_service() -> None:
    apps = [app("keystone", "keystone", 1, ("0",), vip="198.18.0.50"), app("ha", "hacluster", 0)]
    result = plan.build(topology(apps, [("keystone", "ha")]))
    assert [f"{f.severity}: {f.message}" for f in result.findings] == [
        "warning: keystone has 1 unit(s): no N+1 capacity, one failure stops it; use 2 or more "
        "(3 behind a VIP)",
        "error: keystone has a VIP but only 1 unit: the VIP has nowhere to move when it fails; "
        "use 3 units",
        "error: the Pacemaker cluster of keystone has 1 host(s) and loses quorum when one "
        "fails; use 3 units on 3 machines",
    ]


def test_vip_outside_networks() -> None:
    apps = [app("keystone", "keystone", 3, vip="10.0.0.5"), app("ha", "hacluster", 0)]
    result = plan.build(topology(apps, [("keystone", "ha")]))
    assert only(result) == (
        "error: applications.keystone.options.vip: VIP 10.0.0.5 lies outside every network "
        "(management 198.18.0.0/24, external 198.18.1.0/24); pick an address inside one of "
        "them or add its network under hastack.networks"
    )


def test_duplicate_vips() -> None:
    apps = [
        app("keystone", "keystone", 3, vip="198.18.0.50"),
        app("keystone-b", "keystone", 3, vip="198.18.0.50"),
        app("ha1", "hacluster", 0),
        app("ha2", "hacluster", 0),
    ]
    result = plan.build(topology(apps, [("keystone", "ha1"), ("keystone-b", "ha2")]))
    assert only(result) == (
        "error: applications.keystone-b.options.vip: VIP 198.18.0.50 is already used by "
        "keystone; give every application its own VIP"
    )


def test_vip_without_hacluster() -> None:
    result = plan.build(topology([app("keystone", "keystone", 3, vip="198.18.0.50")]))
    assert only(result) == (
        "error: applications.keystone.options.vip: keystone has a VIP but no hacluster "
        "relation, so nothing would hold it; add a hacluster application and relate it to "
        "keystone"
    )


def test_vip_on_rabbitmq_is_a_warning() -> None:
    result = plan.build(topology([app("rabbitmq-server", "rabbitmq-server", 3, vip="198.18.0.9")]))
    assert only(result) == (
        "warning: applications.rabbitmq-server.options.vip: rabbitmq is not load-balanced "
        "(its clients list every unit), so this VIP is not used; remove it"
    )


def test_missing_relation_to_a_needed_kind() -> None:
    apps = [app("mysql", "percona-cluster", 3), app("keystone", "keystone", 3)]
    result = plan.build(topology(apps))
    assert only(result) == (
        "warning: relations: keystone (keystone) needs galera but is not related to mysql; "
        "add the relation [keystone, mysql]"
    )


def test_one_relation_is_enough_where_a_kind_needs_either_of_two() -> None:
    # glance keeps its images in ceph or in swift: related to one, it needs not the other
    apps = [
        app("ceph", "ceph", 3, ("0", "1", "2")),
        app("swift-proxy", "swift-proxy", 2, ("0", "1")),
        app("glance", "glance", 2, ("1", "2")),
    ]
    found = [str(f) for f in plan.build(topology(apps, [("glance", "ceph")])).findings]
    assert not [f for f in found if "glance (glance) needs" in f]
    found = [str(f) for f in plan.build(topology(apps)).findings]
    assert [f for f in found if "glance (glance) needs" in f] == [
        "<bundle>: relations: glance (glance) needs swift-proxy but is not related to "
        "swift-proxy; add the relation [glance, swift-proxy]",
        "<bundle>: relations: glance (glance) needs ceph but is not related to ceph; add the "
        "relation [glance, ceph]",
    ]


def test_start_order_cycle_names_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    from hastack import catalog
    from hastack.plan import phases

    glance = catalog.by_name("glance")
    cinder = catalog.by_name("cinder")
    looped = {
        "glance": dataclasses.replace(glance, starts_after=("cinder",)),
        "cinder": cinder,
    }
    monkeypatch.setattr(phases.catalog, "by_charm", lambda charm: looped.get(charm))
    apps = [app("glance", "glance", 3), app("cinder", "cinder", 3)]
    _, findings = phases.phases(topology(apps, [("cinder", "glance")]))
    assert [f.message for f in findings] == [
        "the start order has a cycle: glance -> cinder -> glance; each of these waits for the "
        "next, so none can start first. Remove one of these relations"
    ]


def test_network_broadcast_vip() -> None:
    apps = [app("keystone", "keystone", 3, vip="198.18.0.255"), app("ha", "hacluster", 0)]
    result = plan.build(topology(apps, [("keystone", "ha")]))
    assert only(result) == (
        "error: applications.keystone.options.vip: VIP 198.18.0.255 is the network or "
        "broadcast address of 198.18.0.0/24; pick a host address"
    )
