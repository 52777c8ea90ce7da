from __future__ import annotations

import ipaddress

from topo_builders import app, core, topology

from hastack import plan
from hastack.plan import Outcome
from hastack.topology import ProfileName, VipProvider


def messages(result: plan.Plan) -> list[str]:
    return [f"{f.severity}: {f.path}: {f.message}" for f in result.findings]


def test_core_is_clean_and_converged() -> None:
    result = plan.build(core())
    assert messages(result) == []
    assert [h.name for h in result.hosts] == ["ctl-1", "ctl-2", "ctl-3"]
    assert str(result.host("ctl-2").address()) == "198.18.0.12"
    assert [u.host for u in result.units_of("mysql")] == ["ctl-1", "ctl-2", "ctl-3"]
    assert result.leader("mysql").host == "ctl-1"


def test_one_cluster_holds_all_vips_and_frontends() -> None:
    (cluster,) = plan.build(core()).clusters
    assert cluster.hosts == ("ctl-1", "ctl-2", "ctl-3")
    assert cluster.applications == ("keystone", "mysql")
    assert [str(v.address) for v in cluster.vips] == [
        "198.18.0.100",
        "198.18.0.101",
        "198.18.1.101",
    ]
    keystone = next(f for f in cluster.frontends if f.application == "keystone")
    assert keystone.port == 5000
    assert {b.port for b in keystone.backends} == {4990}  # the seed's port - 10
    assert not any(b.backup for b in keystone.backends)


def test_galera_frontend_has_one_writer_and_backups() -> None:
    (cluster,) = plan.build(core()).clusters
    mysql = next(f for f in cluster.frontends if f.application == "mysql")
    assert mysql.single_writer and mysql.mode == "tcp"
    assert [(b.host, b.port, b.backup) for b in mysql.backends] == [
        ("ctl-1", 3306, False),
        ("ctl-2", 3306, True),
        ("ctl-3", 3306, True),
    ]


def test_phases_follow_relations() -> None:
    result = plan.build(core())
    assert [p.applications for p in result.phases] == [
        ("memcached", "mysql", "rabbitmq-server"),
        ("keystone",),
    ]
    assert result.phases[1].reason == "after memcached, mysql"


def test_single_failures_degrade_and_pairs_stop_quorum_services() -> None:
    result = plan.build(core())
    assert len(result.single_failures) == 3
    assert all(case.worst() is Outcome.DEGRADED for case in result.single_failures)
    pair = result.double_failures[0]
    assert pair.machines == ("0", "1")
    mysql = pair.outcome_of("mysql")
    assert mysql is not None and mysql.outcome is Outcome.DOWN
    assert mysql.reason == (
        "its Pacemaker cluster keeps 1 of 3 hosts (ctl-1, ctl-2 lost), below quorum (2): the "
        "VIP stops; 1 of 3 members left (ctl-1, ctl-2 lost); quorum needs 2"
    )
    rabbit = pair.outcome_of("rabbitmq-server")
    assert rabbit is not None
    assert rabbit.reason == "1 of 3 members left (ctl-1, ctl-2 lost); quorum needs 2"
    assert rabbit.lost == ("ctl-1", "ctl-2")


def test_dependency_down_takes_dependent_down() -> None:
    apps = [
        app("mysql", "percona-cluster", 3, ("0", "1", "2")),
        app("keystone", "keystone", 3, ("0", "3", "4")),
    ]
    result = plan.build(topology(apps, [("keystone", "mysql")], machines=5))
    case = next(c for c in result.double_failures if c.machines == ("1", "2"))
    keystone = case.outcome_of("keystone")
    assert keystone is not None
    assert keystone.reason == "needs mysql, which is down"


def test_budget_fast_profile_matches_the_measured_lab() -> None:
    result = plan.build(core())
    vip = next(b for b in result.budgets if b.scenario == "vip-holder-power-off")
    # token 1000 + 650 (3 nodes) = 1.65 s, consensus 1.98 s, + 1.0 + 0.15 + 0.15
    assert vip.seconds == 4.93
    reference = plan.build(core(), ProfileName.REFERENCE)
    vip_ref = next(b for b in reference.budgets if b.scenario == "vip-holder-power-off")
    assert vip_ref.seconds == 11.48  # 3.65 + 4.38 + 1.0 + 2.3 (power_wait 2) + 0.15


def test_keepalived_budget() -> None:
    result = plan.build(core(provider=VipProvider.KEEPALIVED))
    vip = next(b for b in result.budgets if b.scenario == "vip-holder-power-off")
    assert vip.seconds == 0.36  # 3 x 0.1 + (256-100)/256 x 0.1


def test_spreads_units_without_to_over_distinct_machines() -> None:
    apps = [app("rabbitmq-server", "rabbitmq-server", 3)]
    result = plan.build(topology(apps, machines=5))
    machines = [result.host(u.host).machine for u in result.units]
    assert len(set(machines)) == 3


def test_converged_without_machines_section() -> None:
    topo = core()
    bare = type(topo)(
        topo.name,
        topo.file,
        {
            name: type(a)(a.name, a.charm, a.num_units, a.options)
            for name, a in topo.applications.items()
        },
        {},
        topo.relations,
        topo.settings,
    )
    result = plan.build(bare)
    assert [h.name for h in result.hosts] == ["ctl-1", "ctl-2", "ctl-3"]
    assert messages(result) == []


def test_containers_share_their_machine_failure_domain() -> None:
    apps = [app("keystone", "keystone", 3, ("lxd:0", "lxd:1", "lxd:2"))]
    result = plan.build(topology(apps))
    assert [u.host for u in result.units] == ["ctl-1-lxd-0", "ctl-2-lxd-0", "ctl-3-lxd-0"]
    assert result.host("ctl-1-lxd-0").machine == "0"
    case = result.single_failures[0]
    assert case.hosts == ("ctl-1", "ctl-1-lxd-0")


def test_network_too_small_is_reported() -> None:
    from hastack.topology import Network, NetworkRole

    tiny = {
        NetworkRole.MANAGEMENT: Network(
            NetworkRole.MANAGEMENT, ipaddress.IPv4Network("198.18.0.0/28")
        )
    }
    result = plan.build(topology([app("memcached", "memcached", 5)], machines=5, networks=tiny))
    assert messages(result) == [
        "error: hastack.networks.management.cidr: network 198.18.0.0/28 is too small for 5 "
        "hosts (hosts take addresses from .11 on); use a larger prefix, e.g. /27"
    ]
