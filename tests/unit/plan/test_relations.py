"""Relations and subordinates that cannot mean anything: one test per finding, word for word."""

from __future__ import annotations

from pathlib import Path

import pytest
from topo_builders import app, messages, topology

from hastack import catalog, plan
from hastack.topology import load, loads

MEMCACHED = app("memcached", "memcached", 3)
RABBIT = app("rabbitmq-server", "rabbitmq-server", 3)
KEYSTONE = app("keystone", "keystone", 3, vip="198.18.0.101")
MYSQL = app("mysql", "percona-cluster", 3)


def test_an_application_related_to_itself() -> None:
    result = plan.build(topology([MEMCACHED], [("memcached", "memcached")]))
    assert messages(result) == [
        "error: relations[0]: this relates memcached to itself, which means nothing: the units "
        "of one application already reach each other (Juju's peer relation); remove it"
    ]


def test_the_same_relation_twice_in_either_order() -> None:
    apps = [MEMCACHED, app("keystone", "keystone", 3)]
    result = plan.build(topology(apps, [("keystone", "memcached"), ("memcached", "keystone")]))
    assert messages(result) == [
        "warning: relations[1]: memcached and keystone are already related through the same "
        "endpoints (relations[0]); a relation exists once, so this one adds nothing; remove it"
    ]


def test_two_applications_with_no_interface_in_common() -> None:
    result = plan.build(topology([MEMCACHED, RABBIT], [("memcached", "rabbitmq-server")]))
    assert messages(result) == [
        "error: relations[0]: memcached (memcached) and rabbitmq-server (rabbitmq) share no "
        "interface: memcached provides memcache, and rabbitmq-server provides rabbitmq, so "
        "Juju would refuse the relation and nothing would pass over it; remove it, or relate "
        "each to an application that provides what it requires"
    ]


def test_an_endpoint_the_charm_does_not_have() -> None:
    apps = [MYSQL, app("keystone", "keystone", 3)]
    result = plan.build(topology(apps, [("keystone:shareddb", "mysql")]))
    assert messages(result) == [
        "error: relations[0]: keystone (keystone) has no endpoint 'shareddb' (did you mean "
        "'shared-db'?), so Juju would refuse this relation; name one of its endpoints (amqp, "
        "cache, ha, identity-service, shared-db) or leave the endpoint out"
    ]


def test_named_endpoints_that_do_not_fit() -> None:
    apps = [MYSQL, app("keystone", "keystone", 3)]
    pairs = [("keystone:shared-db", "mysql:ha"), ("keystone", "mysql")]
    result = plan.build(topology(apps, pairs))
    assert messages(result) == [
        "error: relations[0]: the endpoints keystone:shared-db and mysql:ha do not fit: "
        "keystone:shared-db requires mysql-shared, and mysql:ha requires hacluster, so Juju "
        "would refuse the relation and nothing would pass over it; remove it, or relate each "
        "to an application that provides what it requires"
    ]


@pytest.mark.parametrize(
    ("principal", "charm", "why"),
    [
        (
            "rabbitmq-server",
            "rabbitmq-server",
            "rabbitmq-server (rabbitmq) cannot use the hacluster subordinate ha: it clusters by "
            "itself and its clients list every member, so Pacemaker would hold no VIP and only "
            "add a second cluster manager",
        ),
        (
            "nova-compute",
            "nova-compute",
            "nova-compute (nova-compute) cannot use the hacluster subordinate ha: it runs once "
            "per host and is not made highly available by a VIP (a dead host is fenced and its "
            "work moved instead)",
        ),
        (
            "neutron-gateway",
            "neutron-gateway",
            "neutron-gateway (neutron-gateway) cannot use the hacluster subordinate ha: hastack "
            "does not run its agents as Pacemaker resources, so the cluster would hold nothing",
        ),
    ],
)
def test_hacluster_on_a_service_whose_ha_model_cannot_use_it(
    principal: str, charm: str, why: str
) -> None:
    apps = [app(principal, charm, 3), app("ha", "hacluster", 0)]
    result = plan.build(topology(apps, [(principal, "ha")]))
    assert messages(result) == [
        f"error: relations[0]: {why}; remove the relation [{principal}, ha]"
    ]


def test_a_subordinate_related_to_nothing() -> None:
    result = plan.build(topology([app("ha", "hacluster", 0)]))
    assert messages(result) == [
        "warning: applications.ha: ha (hacluster) is related to no principal application, so "
        "it has no units and does nothing (a subordinate runs only inside the units of a "
        "principal); relate it to the application it should serve, or remove it"
    ]


def test_two_subordinates_related_to_each_other_have_no_principal() -> None:
    apps = [app("ha1", "hacluster", 0), app("ha2", "hacluster", 0)]
    result = plan.build(topology(apps, [("ha1", "ha2")]))
    assert messages(result) == [
        "error: relations[0]: ha2 (hacluster) cannot use the hacluster subordinate ha1: it is "
        "a subordinate too, and a subordinate runs inside a principal; remove the relation "
        "[ha2, ha1]",
        "warning: applications.ha1: ha1 (hacluster) is related to no principal application, "
        "so it has no units and does nothing (a subordinate runs only inside the units of a "
        "principal); relate it to the application it should serve, or remove it",
        "warning: applications.ha2: ha2 (hacluster) is related to no principal application, "
        "so it has no units and does nothing (a subordinate runs only inside the units of a "
        "principal); relate it to the application it should serve, or remove it",
    ]


def test_a_subordinate_related_to_two_principals() -> None:
    apps = [KEYSTONE, app("horizon", "openstack-dashboard", 3, vip="198.18.0.102")]
    apps += [MEMCACHED, app("ha", "hacluster", 0)]
    pairs = [
        ("keystone", "ha"),
        ("horizon", "ha"),
        ("horizon", "keystone"),
        ("horizon", "memcached"),
        ("keystone", "memcached"),
    ]
    result = plan.build(topology(apps, pairs))
    assert messages(result) == [
        "error: applications.ha: ha (hacluster) is related to 2 principals (horizon, "
        "keystone), but the charm makes one cluster of every unit it runs in while hastack "
        "builds clusters from the hosts principals share, so Juju and hastack would build "
        "different clusters from this bundle; give each principal its own hacluster "
        "application"
    ]


def test_a_principal_related_to_two_hacluster_applications() -> None:
    apps = [KEYSTONE, app("ha1", "hacluster", 0), app("ha2", "hacluster", 0)]
    result = plan.build(topology(apps, [("keystone", "ha1"), ("keystone", "ha2")]))
    assert messages(result) == [
        "error: applications.keystone: keystone is related to 2 hacluster applications (ha1, "
        "ha2), but a host runs one hacluster, so they would claim the same units; relate "
        "keystone to one of them and remove the other relations"
    ]


def test_a_hacluster_relation_without_a_vip() -> None:
    apps = [app("keystone", "keystone", 3), app("ha", "hacluster", 0)]
    result = plan.build(topology(apps, [("keystone", "ha")]))
    assert messages(result) == [
        "warning: applications.keystone.options.vip: keystone is related to ha (hacluster) but "
        "sets no vip, so Pacemaker has no address to move and clients have no single address "
        "for keystone; set options.vip to a free address, or remove the relation [keystone, ha]"
    ]


def test_an_arbitrator_with_no_cluster_to_vote_in() -> None:
    result = plan.build(topology([app("garbd", "garbd", 1)]))
    assert messages(result) == [
        "warning: applications.garbd: garbd (garbd) arbitrates galera clusters, but the bundle "
        "has none, so it votes in no quorum and its units do nothing; add the galera cluster "
        "it should arbitrate and relate the two, or remove garbd"
    ]


def test_an_arbitrator_related_to_two_clusters() -> None:
    apps = [
        app("db-a", "percona-cluster", 2, ("0", "1")),
        app("db-b", "percona-cluster", 2, ("0", "1")),
        app("garbd", "garbd", 1, ("2",)),
    ]
    result = plan.build(topology(apps, [("db-a", "garbd"), ("db-b", "garbd")]))
    assert messages(result) == [
        "error: applications.garbd: garbd (garbd) is related to 2 galera applications (db-a, "
        "db-b), but an arbitrator joins one cluster, so it would be counted as a vote in each; "
        "give each galera cluster its own garbd application"
    ]


BUNDLE = """\
applications:
  memcached: {charm: memcached, num_units: 3}
  rabbitmq-server: {charm: rabbitmq-server, num_units: 3}
relations:
  - [memcached, rabbitmq-server]
"""


def test_a_relation_finding_points_at_the_relation_in_the_file() -> None:
    (finding,) = plan.build(loads(BUNDLE, "r.yaml")).findings
    assert str(finding).startswith(
        "r.yaml:5:5: relations[0]: memcached (memcached) and rabbitmq-server (rabbitmq) share "
        "no interface"
    )


@pytest.mark.parametrize(
    "name", ["lab-core.yaml", "lab-cloud.yaml", "openstack-ha-reference.yaml"]
)
def test_the_examples_relate_only_what_fits(name: str) -> None:
    example = Path(__file__).resolve().parents[3] / "examples" / name
    assert messages(plan.build(load(example))) == []


@pytest.mark.parametrize("kind", catalog.KINDS, ids=lambda k: k.name)
def test_every_kind_can_relate_to_what_it_needs(kind: catalog.ServiceKind) -> None:
    """The catalog agrees with itself: what a kind needs, it can be related to."""
    wanted = {*kind.starts_after, *kind.needs, *((kind.data.holders,) if kind.data else ())}
    for other_name in wanted:
        other = catalog.by_name(other_name)
        assert any(
            x.interface == y.interface and x.provides != y.provides
            for x in kind.endpoints
            for y in other.endpoints
        ), f"{kind.name} cannot be related to {other_name}"
    assert set(kind.needs) <= set(kind.starts_after), "start after what you need at runtime"
