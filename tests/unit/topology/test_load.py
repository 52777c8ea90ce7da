"""topology.load: the formats it reads, and every finding it reports, word for word."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hastack.errors import Finding, TopologyError
from hastack.topology import (
    DEFAULT_NETWORKS,
    Endpoint,
    FenceLoopGuard,
    Fencing,
    FencingAction,
    NetworkRole,
    Placement,
    ProfileName,
    Topology,
    VipProvider,
    load,
    loads,
)
from hastack.topology.applications import charm_name

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
BUNDLES = Path(__file__).parent / "bundles"


def findings(text: str) -> tuple[Finding, ...]:
    with pytest.raises(TopologyError) as caught:
        loads(text, "b.yaml")
    return caught.value.findings


def only(text: str) -> Finding:
    found = findings(text)
    assert len(found) == 1, [str(f) for f in found]
    return found[0]


# --- the examples ---------------------------------------------------------------------


def test_lab_core_example_loads() -> None:
    topology = load(EXAMPLES / "lab-core.yaml")
    assert topology.format == "hastack"
    assert topology.name == "lab-core"
    assert topology.settings.profile is ProfileName.FAST
    assert topology.settings.vip_provider is VipProvider.PACEMAKER
    assert dict(topology.settings.networks) == dict(DEFAULT_NETWORKS)
    assert sorted(topology.machines) == ["0", "1", "2"]
    assert sorted(topology.applications) == [
        "heat",
        "heat-hacluster",
        "keystone",
        "keystone-hacluster",
        "memcached",
        "mysql",
        "mysql-hacluster",
        "openstack-dashboard",
        "openstack-dashboard-hacluster",
        "placement",
        "placement-hacluster",
        "rabbitmq-server",
    ]
    keystone = topology.applications["keystone"]
    assert keystone.vips() == (
        ipaddress.IPv4Address("198.18.0.101"),
        ipaddress.IPv4Address("198.18.1.101"),
    )
    assert keystone.to == (Placement("0"), Placement("1"), Placement("2"))
    assert topology.applications["mysql"].charm == "percona-cluster"
    assert topology.applications["mysql-hacluster"].num_units == 0
    assert topology.related("keystone") == (
        "heat",
        "keystone-hacluster",
        "memcached",
        "mysql",
        "openstack-dashboard",
        "placement",
    )
    assert topology.warnings == ()


def test_reference_example_is_the_seed_architecture() -> None:
    topology = load(EXAMPLES / "openstack-ha-reference.yaml")
    assert topology.format == "juju-bundle"
    apps = topology.applications
    assert len(apps) == 22
    assert len(topology.relations) == 34
    assert {a.charm for a in apps.values()} >= {"quantum-gateway", "swift-storage", "ceph"}
    assert apps["neutron-gateway"].num_units == 2
    assert apps["glance"].to[0] == Placement("0", "lxd")
    assert topology.machines["16"].zone == "z3"
    assert topology.related("swift-proxy") == (
        "keystone",
        "swift-hacluster",
        "swift-storage-z1",
        "swift-storage-z2",
        "swift-storage-z3",
    )
    assert topology.warnings == ()


@pytest.mark.parametrize(
    "name", ["lab-core.yaml", "lab-cloud.yaml", "openstack-ha-reference.yaml"]
)
def test_examples_hold_no_sample_passwords(name: str) -> None:
    text = (EXAMPLES / name).read_text()
    for secret in ("agoodpassword", "ubuntutesting", "password:", "admin-token", "secret:"):
        assert secret not in text


# --- formats --------------------------------------------------------------------------


def test_juju_bundle_with_legacy_services_key() -> None:
    topology = load(BUNDLES / "juju-bundle-legacy.yaml")
    assert topology.format == "juju-bundle"
    apps = topology.applications
    assert apps["mysql"].charm == "percona-cluster"  # cs:trusty/percona-cluster-31
    assert apps["keystone"].charm == "keystone"  # local:trusty/keystone
    assert apps["keystone"].options == {"vip": ""}
    assert apps["keystone"].vips() == ()
    assert apps["keystone"].to[2] == Placement("2", "lxc")
    assert apps["memcached"].to == (Placement("0"), Placement("new"))  # mysql/0 is on 0
    assert {m: topology.machines[m].zone for m in topology.machines} == {
        "0": "az1",
        "1": "az2",
        "2": "az3",
    }
    assert topology.relations[0].a == Endpoint("mysql", "ha")
    assert dict(topology.settings.networks) == dict(DEFAULT_NETWORKS)


def test_juju_deployer_merges_what_it_inherits() -> None:
    topology = load(BUNDLES / "juju-deployer.yaml")
    assert topology.format == "juju-deployer"
    assert topology.name == "trusty-icehouse"
    keystone = topology.applications["keystone"]
    assert keystone.options == {
        "admin-user": "admin",
        "vip": "198.18.0.101",
        "openstack-origin": "cloud:trusty-icehouse",
    }
    assert keystone.source is not None and keystone.source.line == 31
    assert topology.applications["rabbitmq-server"].charm == "rabbitmq-server"  # no charm:
    assert [str(r) for r in topology.relations] == [
        "mysql <-> mysql-hacluster",
        "keystone <-> mysql",
        "keystone <-> rabbitmq-server",
        "glance <-> keystone",
    ]
    assert topology.machines == {}


def test_juju_deployer_with_two_leaves_warns_which_it_read() -> None:
    text = (
        "base:\n  services:\n    keystone: {num_units: 3}\n"
        "a:\n  inherits: base\n"
        "b:\n  inherits: base\n"
    )
    topology = loads(text, "d.yaml")
    assert topology.name == "a"
    assert [str(w) for w in topology.warnings] == [
        "d.yaml:4:1: a: the file holds 2 deployments that nothing inherits from (a, b); "
        "hastack read the first, 'a'. To deploy another, move it above the others."
    ]


def test_hastack_settings_are_read() -> None:
    topology = loads(
        "hastack:\n  vip_provider: keepalived\n  networks:\n"
        "    storage: {cidr: 10.20.0.0/16}\n  machine_prefix: node-\n"
        "applications:\n  memcached: {charm: memcached}\n"
    )
    settings = topology.settings
    assert settings.vip_provider is VipProvider.KEEPALIVED
    assert settings.profile is ProfileName.REFERENCE
    assert settings.machine_prefix == "node-"
    assert settings.fencing == Fencing()  # reboot, the profile's loop guard
    assert str(settings.networks[NetworkRole.STORAGE].cidr) == "10.20.0.0/16"
    assert str(settings.networks[NetworkRole.MANAGEMENT].cidr) == "198.18.0.0/24"
    assert topology.format == "hastack"
    assert topology.name == "bundle"


def test_fencing_action_and_loop_guard() -> None:
    settings = loads(
        APP + "hastack:\n  fencing:\n    action: off\n    loop_guard: {fencings: 3, minutes: 15}\n"
    ).settings
    assert settings.fencing == Fencing(FencingAction.OFF, FenceLoopGuard(3, 15))


def test_no_machines_section_creates_none() -> None:
    topology = loads("applications:\n  keystone: {charm: keystone, num_units: 3, to: [0, 4]}\n")
    assert topology.machines == {}
    assert topology.applications["keystone"].to == (Placement("0"), Placement("4"))


def test_unknown_option_is_a_warning_not_an_error() -> None:
    topology = loads(
        "applications:\n  mysql:\n    charm: mysql\n    options: {vipp: 1}\n", "b.yaml"
    )
    assert [(w.severity, str(w)) for w in topology.warnings] == [
        (
            "warning",
            "b.yaml:4:15: applications.mysql.options.vipp: the charm 'mysql' has no option "
            "'vipp' that hastack understands (did you mean 'vip'?); hastack ignores it.",
        )
    ]


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("cs:trusty/keystone-12", "keystone"),
        ("ch:percona-cluster", "percona-cluster"),
        ("local:trusty/keystone", "keystone"),
        ("cs:~openstack-charmers/trusty/swift-storage-3", "swift-storage"),
        ("rabbitmq-server", "rabbitmq-server"),
    ],
)
def test_charm_name_strips_scheme_series_and_revision(written: str, name: str) -> None:
    assert charm_name(written) == name


# --- bad input: one test per finding, asserting the exact message ---------------------

APP = "applications:\n  mysql:\n    charm: percona-cluster\n"

CASES: dict[str, tuple[str, str]] = {
    "yaml-syntax": (
        "applications:\n  mysql:\n    charm: x\n   num_units: 3\n",
        "b.yaml:4:4: this is not valid YAML: while parsing a block mapping, expected <block "
        "end>, but found '<block mapping start>'; check the indentation, the colons and the "
        "quoting on this line and the one before it.",
    ),
    "yaml-tab": (
        "applications:\n\tmysql: 1\n",
        "b.yaml:2:1: this is not valid YAML: while scanning for the next token, found "
        "character '\\t' that cannot start any token; indent with spaces: YAML does not allow "
        "tabs there.",
    ),
    "empty": (
        "",
        "b.yaml: the file holds no YAML document (it is empty or only comments); write a "
        "bundle with at least an `applications:` mapping.",
    ),
    "only-comments": (
        "# a bundle, one day\n",
        "b.yaml: the file holds no YAML document (it is empty or only comments); write a "
        "bundle with at least an `applications:` mapping.",
    ),
    "nul-bytes": (
        "applications:\x00",
        "b.yaml: the file is binary (it holds NUL bytes), not YAML; give hastack a bundle file.",
    ),
    "top-level-list": (
        "- mysql\n- keystone\n",
        "b.yaml:1:1: the top level of the file is a list, not a mapping; a bundle starts with "
        "keys such as `applications:` and `relations:`.",
    ),
    "unknown-top-level-key": (
        APP + "relation: []\n",
        "b.yaml:4:1: relation: 'relation' is not a key hastack knows in the top level of a "
        "bundle (did you mean 'relations'?); the keys allowed here are applications, bundle, "
        "default-base, description, hastack, machines, name, relations, series, services.",
    ),
    "no-applications": (
        "relations: []\n",
        "b.yaml:1:1: applications: the bundle has no `applications:` section; add one that "
        "maps application names to charms, such as `keystone: {charm: keystone, num_units: "
        "3}`.",
    ),
    "applications-and-services": (
        APP + "services: {}\n",
        "b.yaml:4:1: services: the bundle has both `applications:` and `services:` (the older "
        "name for the same thing); move every application under `applications:`.",
    ),
    "applications-not-a-mapping": (
        "applications: [mysql]\n",
        "b.yaml:1:15: applications: applications is a list; it must be a mapping of "
        "application names to their settings, such as `keystone: {charm: keystone, "
        "num_units: 3}`.",
    ),
    "duplicate-application": (
        APP + "  mysql:\n    charm: percona-cluster\n",
        "b.yaml:4:3: applications.mysql: the key 'mysql' appears twice in applications (first "
        "at line 2); each key may appear once, so rename or merge the two.",
    ),
    "bad-application-name": (
        "applications:\n  My_sql: {charm: mysql}\n",
        "b.yaml:2:3: applications.My_sql: 'My_sql' is not a valid application name; use "
        "lowercase letters, digits and hyphens, starting with a letter (as Juju does), such "
        "as 'mysql-hacluster'.",
    ),
    "application-not-a-mapping": (
        "applications:\n  mysql: percona-cluster\n",
        "b.yaml:2:3: applications.mysql: the application 'mysql' is the text "
        "'percona-cluster'; it must be a mapping with at least `charm:`, such as `charm: "
        "mysql`.",
    ),
    "unknown-application-key": (
        APP + "    num_unit: 3\n",
        "b.yaml:4:5: applications.mysql.num_unit: 'num_unit' is not a key hastack knows in the "
        "application 'mysql' (did you mean 'num_units'?); the keys allowed here are "
        "annotations, base, bindings, branch, channel, charm, constraints, expose, num_units, "
        "options, resources, revision, series, storage, to, trust.",
    ),
    "no-charm": (
        "applications:\n  keystone: {num_units: 3}\n",
        "b.yaml:2:3: applications.keystone.charm: the application 'keystone' has no charm; "
        "add `charm: keystone` to say what it runs.",
    ),
    "charm-not-text": (
        "applications:\n  mysql: {charm: 3}\n",
        "b.yaml:2:18: applications.mysql.charm: charm is the number 3; it must be a charm "
        "name such as 'percona-cluster'.",
    ),
    "unknown-charm": (
        "applications:\n  mysql: {charm: 'cs:trusty/percona-clustr-3'}\n",
        "b.yaml:2:18: applications.mysql.charm: the charm 'percona-clustr' (written "
        "'cs:trusty/percona-clustr-3') is not one hastack knows (did you mean "
        "'percona-cluster'?); run `hastack validate --list-charms` to see every charm hastack "
        "can deploy.",
    ),
    "num-units-quoted": (
        APP + "    num_units: '3'\n",
        "b.yaml:4:16: applications.mysql.num_units: num_units is the text '3'; it must be a "
        "whole number of units, such as 3, written without quotes.",
    ),
    "num-units-not-a-number": (
        APP + "    num_units: 2.5\n",
        "b.yaml:4:16: applications.mysql.num_units: num_units is the number 2.5; it must be a "
        "whole number of units, such as 3.",
    ),
    "num-units-negative": (
        APP + "    num_units: -1\n",
        "b.yaml:4:16: applications.mysql.num_units: num_units is -1, but a count of units "
        "cannot be negative; use 1 or more (or 0 for a subordinate charm such as hacluster).",
    ),
    "num-units-absurd": (
        APP + "    num_units: 1001\n",
        "b.yaml:4:16: applications.mysql.num_units: num_units is 1001, more than the 1000 "
        "units hastack deploys for one application; use 1000 or fewer.",
    ),
    "subordinate-with-units": (
        "applications:\n  ha:\n    charm: hacluster\n    num_units: 3\n",
        "b.yaml:4:16: applications.ha.num_units: num_units is 3, but 'hacluster' is a "
        "subordinate charm: it runs inside the units of the application it is related to and "
        "has no units of its own; remove num_units.",
    ),
    "subordinate-with-to": (
        "applications:\n  ha:\n    charm: hacluster\n    to: ['0']\n",
        "b.yaml:4:10: applications.ha.to[0]: 'ha' runs the subordinate charm 'hacluster', "
        "which lives inside the units of the application it is related to; remove its `to:`.",
    ),
    "options-not-a-mapping": (
        APP + "    options: [vip]\n",
        "b.yaml:4:14: applications.mysql.options: options is a list; it must be a mapping of "
        "option names to values, such as `vip: 198.18.0.100`.",
    ),
    "option-not-a-scalar": (
        APP + "    options:\n      max-connections: {a: 1}\n",
        "b.yaml:5:24: applications.mysql.options.max-connections: the option "
        "'max-connections' is a mapping; a charm option takes one value (text, a number or a "
        "boolean), quoted if it is text.",
    ),
    "vip-not-an-address": (
        APP + "    options: {vip: 198.18.0.300}\n",
        "b.yaml:4:20: applications.mysql.options.vip: vip holds '198.18.0.300', which is not "
        "an IPv4 address; write addresses such as 198.18.0.100, separated by spaces ('' means "
        "no VIP).",
    ),
    "vip-with-prefix": (
        APP + "    options: {vip: 198.18.0.10/24}\n",
        "b.yaml:4:20: applications.mysql.options.vip: vip holds '198.18.0.10/24', which is not "
        "an IPv4 address; write '198.18.0.10' and put the prefix length in vip_cidr.",
    ),
    "vip-not-text": (
        APP + "    options: {vip: 5}\n",
        "b.yaml:4:20: applications.mysql.options.vip: vip is the number 5; it must be text "
        "holding IPv4 addresses separated by spaces, such as '198.18.0.100', or '' for no VIP.",
    ),
    "too-many-placements": (
        APP + "    num_units: 1\n    to: ['0', '1']\n",
        "b.yaml:5:15: applications.mysql.to[1]: to lists 2 placements but num_units is 1; "
        "list at most 1, or raise num_units to 2.",
    ),
    "placement-to-unknown-machine": (
        "machines:\n  '0': {}\n" + APP + "    to: ['lxd:1']\n",
        "b.yaml:6:10: applications.mysql.to[0]: 'lxd:1' places a unit on machine '1', which is "
        "not in `machines:` (it lists 0); add machine '1' there or place the unit on a listed "
        "machine.",
    ),
    "placement-not-understood": (
        APP + "    to: ['kvm:0']\n",
        "b.yaml:4:10: applications.mysql.to[0]: 'kvm:0' is not a placement hastack "
        "understands; write a machine ('0'), a container on a machine ('lxd:0'), a unit "
        "('keystone/0') or 'new'.",
    ),
    "placement-not-text": (
        APP + "    to: [[0]]\n",
        "b.yaml:4:10: applications.mysql.to[0]: this placement is a list; write a machine "
        "('0'), a container on a machine ('lxd:0'), a unit ('keystone/0') or 'new'.",
    ),
    "placement-next-to-unknown-application": (
        APP + "    to: ['keystne/0']\n  keystone: {charm: keystone}\n",
        "b.yaml:4:10: applications.mysql.to[0]: 'keystne/0' places a unit next to keystne/0, "
        "but there is no application 'keystne' (did you mean 'keystone'?); name an "
        "application in this file.",
    ),
    "placement-next-to-unplaced-unit": (
        APP + "    to: ['keystone/0']\n  keystone: {charm: keystone}\n",
        "b.yaml:4:10: applications.mysql.to[0]: 'keystone/0' places a unit next to "
        "keystone/0, but keystone/0 has no placement in this file, which hastack cannot "
        "follow; place the unit on a machine number instead, such as '0' or 'lxd:0'.",
    ),
    "placement-next-to-contained-unit": (
        APP + "    to: ['keystone/0']\n  keystone: {charm: keystone, to: ['lxd:0']}\n",
        "b.yaml:4:10: applications.mysql.to[0]: 'keystone/0' places a unit next to "
        "keystone/0, but keystone/0 is itself in a container ('lxd:0'), which hastack cannot "
        "follow; place the unit on a machine number instead, such as '0' or 'lxd:0'.",
    ),
    "machines-not-a-mapping": (
        APP + "machines: [0, 1]\n",
        "b.yaml:4:11: machines: machines is a list; it must be a mapping of machine ids to "
        'their settings, such as `"0": {zone: az1}`.',
    ),
    "machine-id-not-a-number": (
        APP + "machines:\n  ctl1: {}\n",
        "b.yaml:5:3: machines.ctl1: 'ctl1' is not a machine id; Juju machine ids are whole "
        'numbers ("0", "1", ...), and hastack names the hosts itself (machine "0" becomes '
        "ctl-1).",
    ),
    "machine-not-a-mapping": (
        APP + "machines:\n  '0': big\n",
        "b.yaml:5:3: machines.0: machine '0' is the text 'big'; it must be a mapping such as "
        "`{zone: az1}`, or empty.",
    ),
    "unknown-machine-key": (
        APP + "machines:\n  '0': {zon: az1}\n",
        "b.yaml:5:9: machines.0.zon: 'zon' is not a key hastack knows in machine '0' (did you "
        "mean 'zone'?); the keys allowed here are annotations, base, constraints, series, zone.",
    ),
    "machine-zone-not-text": (
        APP + "machines:\n  '0': {zone: [a]}\n",
        "b.yaml:5:15: machines.0.zone: zone is a list; it must be the name of a failure "
        "domain, such as 'az1'.",
    ),
    "machine-constraints-not-text": (
        APP + "machines:\n  '0': {constraints: {mem: 8G}}\n",
        "b.yaml:5:22: machines.0.constraints: constraints is a mapping; it must be Juju "
        "constraint text, such as 'mem=8G zones=az1'.",
    ),
    "machine-with-several-zones": (
        APP + "machines:\n  '0': {constraints: 'mem=8G zones=az1,az2'}\n",
        "b.yaml:5:22: machines.0.constraints: constraints say zones=az1,az2, but hastack needs "
        "exactly one zone per machine; keep a single zone.",
    ),
    "relations-not-a-list": (
        APP + "relations: {mysql: keystone}\n",
        "b.yaml:4:12: relations: relations is a mapping; it must be a list of pairs, such as "
        "`[keystone, mysql]` or `[keystone:shared-db, mysql:shared-db]`.",
    ),
    "relation-not-a-pair": (
        APP + "relations:\n  - [mysql, mysql, mysql]\n",
        "b.yaml:5:5: relations[0]: this relation names 3 endpoints; a relation joins exactly "
        "two applications, such as `[keystone, mysql]` or `[keystone:shared-db, "
        "mysql:shared-db]`.",
    ),
    "relation-end-not-text": (
        APP + "relations:\n  - [mysql, 3]\n",
        "b.yaml:5:13: relations[0][1]: this end of the relation is the number 3; write an "
        "application name, optionally with its endpoint: 'mysql' or 'mysql:shared-db'.",
    ),
    "hastack-not-a-mapping": (
        APP + "hastack: fast\n",
        "b.yaml:4:10: hastack: hastack is the text 'fast'; it must be a mapping such as "
        "`{vip_provider: pacemaker, profile: reference}`.",
    ),
    "unknown-hastack-key": (
        APP + "hastack:\n  profil: fast\n",
        "b.yaml:5:3: hastack.profil: 'profil' is not a key hastack knows in the hastack "
        "section (did you mean 'profile'?); the keys allowed here are fencing, "
        "machine_prefix, networks, profile, vip_provider.",
    ),
    "unknown-vip-provider": (
        APP + "hastack:\n  vip_provider: keepalive\n",
        "b.yaml:5:17: hastack.vip_provider: vip_provider is the text 'keepalive' (did you mean "
        "'keepalived'?); use one of 'pacemaker', 'keepalived'.",
    ),
    "unknown-profile": (
        APP + "hastack:\n  profile: 3\n",
        "b.yaml:5:12: hastack.profile: profile is the number 3; use one of 'reference', 'fast'.",
    ),
    "bad-machine-prefix": (
        APP + "hastack:\n  machine_prefix: CTL\n",
        "b.yaml:5:19: hastack.machine_prefix: machine_prefix is the text 'CTL'; it starts "
        "every host name, so use lowercase letters, digits and hyphens, starting with a "
        "letter, such as 'ctl-'.",
    ),
    "fencing-not-a-mapping": (
        APP + "hastack:\n  fencing: reboot\n",
        "b.yaml:5:12: hastack.fencing: fencing is the text 'reboot'; it must be a mapping such "
        "as `{action: reboot}` (or `{action: off}` to leave a fenced node powered off).",
    ),
    "unknown-fencing-action": (
        APP + "hastack:\n  fencing: {action: restart}\n",
        "b.yaml:5:21: hastack.fencing.action: action is the text 'restart'; use one of "
        "'reboot', 'off'.",
    ),
    "unknown-fencing-key": (
        APP + "hastack:\n  fencing: {actoin: off}\n",
        "b.yaml:5:13: hastack.fencing.actoin: 'actoin' is not a key hastack knows in fencing "
        "(did you mean 'action'?); the keys allowed here are action, loop_guard.",
    ),
    "loop-guard-incomplete": (
        APP + "hastack:\n  fencing: {loop_guard: {fencings: 3}}\n",
        "b.yaml:5:25: hastack.fencing.loop_guard: loop_guard is a mapping; give both limits, "
        "such as `{fencings: 4, minutes: 10}`: a node fenced 4 times within 10 minutes is left "
        "off.",
    ),
    "loop-guard-one-fencing": (
        APP + "hastack:\n  fencing: {loop_guard: {fencings: 1, minutes: 10}}\n",
        "b.yaml:5:36: hastack.fencing.loop_guard.fencings: fencings is the number 1; use a "
        "whole number from 2 to 100 (a single fencing is no loop, and a node must be let back "
        "at least once).",
    ),
    "loop-guard-minutes-not-a-number": (
        APP + "hastack:\n  fencing: {loop_guard: {fencings: 3, minutes: 15m}}\n",
        "b.yaml:5:48: hastack.fencing.loop_guard.minutes: minutes is the text '15m'; use a "
        "whole number from 1 to 1440 (the window the fencings are counted in).",
    ),
    "networks-not-a-mapping": (
        APP + "hastack:\n  networks: [198.18.0.0/24]\n",
        "b.yaml:5:13: hastack.networks: networks is a list; it must map network roles to their "
        "cidr, such as `management: {cidr: 198.18.0.0/24}`.",
    ),
    "unknown-network-role": (
        APP + "hastack:\n  networks:\n    storge: {cidr: 10.0.0.0/8}\n",
        "b.yaml:6:5: hastack.networks.storge: 'storge' is not a key hastack knows in networks "
        "(did you mean 'storage'?); the keys allowed here are external, management, storage.",
    ),
    "network-without-cidr": (
        APP + "hastack:\n  networks:\n    management: 198.18.0.0/24\n",
        "b.yaml:6:17: hastack.networks.management: the management network is the text "
        "'198.18.0.0/24'; give its address range as `cidr: 198.18.0.0/24`.",
    ),
    "cidr-with-host-bits": (
        APP + "hastack:\n  networks:\n    management: {cidr: 198.18.0.1/24}\n",
        "b.yaml:6:24: hastack.networks.management.cidr: cidr is the text '198.18.0.1/24', "
        "which is not a network: it has host bits set; write the network address, "
        "198.18.0.0/24.",
    ),
    "cidr-not-a-network": (
        APP + "hastack:\n  networks:\n    external: {cidr: 198.18.1.0}\n",
        "b.yaml:6:22: hastack.networks.external.cidr: cidr is the text '198.18.1.0', which is "
        "not a network: write an IPv4 network as address/prefix length, such as "
        "198.18.0.0/24.",
    ),
    "relation-to-missing-application": (
        APP + "  mysql-hacluster: {charm: hacluster}\n"
        "relations:\n  - [mysql, 'mysq-hacluster:ha']\n",
        "b.yaml:6:13: relations[0][1]: the relation names 'mysq-hacluster', which is not an "
        "application in this bundle (did you mean 'mysql-hacluster'?); add that application "
        "or correct the name.",
    ),
    "deployment-not-a-mapping": (
        "base:\n  services: {keystone: {}}\nold: 3\n",
        "b.yaml:3:1: old: the deployment 'old' is the number 3; a juju-deployer deployment is "
        "a mapping with `services:` and `relations:`.",
    ),
    "unknown-deployment-key": (
        "base:\n  services: {keystone: {}}\n  overrides: {}\n",
        "b.yaml:3:3: base.overrides: 'overrides' is not a key hastack knows in the deployment "
        "'base'; the keys allowed here are description, inherits, relations, series, services.",
    ),
    "deployment-inherits-unknown": (
        "top:\n  inherits: bse\n  services: {keystone: {}}\nbase:\n  services: {}\n",
        "b.yaml:2:13: top.inherits: 'top' inherits from the text 'bse', which is not a "
        "deployment in this file (did you mean 'base'?); name one of top, base.",
    ),
    "deployment-inherits-itself": (
        "a:\n  inherits: a\n  services: {keystone: {}}\n",
        "b.yaml:2:13: a.inherits: 'a' inherits from 'a', which inherits from 'a' in turn; "
        "remove one of the two `inherits:`.",
    ),
}


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=list(CASES))
def test_each_bad_input_gives_one_exact_finding(text: str, expected: str) -> None:
    assert str(only(text)) == expected


# --- files ----------------------------------------------------------------------------


def test_three_problems_are_reported_at_once_with_their_lines() -> None:
    with pytest.raises(TopologyError) as caught:
        load(BUNDLES / "three-problems.yaml")
    found = caught.value.findings
    assert [(f.path, f.line, f.column) for f in found] == [
        ("applications.mysql.num_units", 4, 16),
        ("applications.keystone.options.vip", 9, 12),
        ("relations[0][1]", 11, 16),
    ]
    assert str(caught.value).startswith("the bundle has 3 problems:\n  ")
    assert all(f.file == str(BUNDLES / "three-problems.yaml") for f in found)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TopologyError) as caught:
        load(tmp_path / "nope.yaml")
    assert str(caught.value.findings[0]) == (
        f"{tmp_path / 'nope.yaml'}: cannot read the file: No such file or directory; check "
        "the path and its permissions."
    )


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00")
    with pytest.raises(TopologyError) as caught:
        load(path)
    assert caught.value.findings[0].message == (
        "the file is binary (it holds NUL bytes), not YAML; give hastack a bundle file."
    )


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_bytes(b"applications:\n  caf\xe9: {}\n")
    with pytest.raises(TopologyError) as caught:
        load(path)
    finding = caught.value.findings[0]
    assert (finding.line, finding.message) == (
        2,
        "the file is not UTF-8 text (byte 0xe9 cannot be decoded); save it as UTF-8.",
    )


def test_file_over_ten_mib(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_bytes(b"#" * (10 * 1024 * 1024 + 1))
    with pytest.raises(TopologyError) as caught:
        load(path)
    assert caught.value.findings[0].message == (
        "the file is 10.0 MiB, more than the 10 MiB a bundle may be; is this the right file?"
    )


def test_more_than_ten_thousand_machines() -> None:
    machines = "".join(f"  '{n}': {{}}\n" for n in range(10001))
    finding = only(APP + "machines:\n" + machines)
    assert finding.message == (
        "machines lists 10001 machines, more than the 10000 hastack plans for; split the "
        "deployment or list 10000 or fewer."
    )


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + APP.encode())
    assert isinstance(load(path), Topology)


# --- properties -----------------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@given(TEXT)
def test_any_text_loads_or_raises_topology_error(text: str) -> None:
    try:
        loads(text)
    except TopologyError as error:
        assert error.findings
        assert all(f.message.endswith((".", "?")) for f in error.findings)


@given(st.integers(min_value=0, max_value=1000))
def test_any_unit_count_in_range_is_accepted(count: int) -> None:
    topology = loads(f"applications:\n  keystone: {{charm: keystone, num_units: {count}}}\n")
    assert topology.applications["keystone"].num_units == count


KEYS = st.sampled_from(
    [
        *("applications", "services", "machines", "relations", "hastack", "charm", "num_units"),
        *("options", "to", "vip", "zone", "constraints", "networks", "cidr", "inherits", "0"),
        *("keystone", "mysql", "hacluster", "management", "profile", "vip_provider"),
    ]
)
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 2000),
    st.floats(allow_nan=False),
    st.sampled_from(["keystone", "0", "lxd:0", "keystone/0", "198.18.0.1", "10.0.0.0/8"]),
)
TREES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=30,
)


@given(st.dictionaries(KEYS, TREES, max_size=5))
def test_any_structure_loads_or_raises_topology_error(doc: dict[str, object]) -> None:
    try:
        loads(json.dumps(doc))
    except TopologyError as error:
        assert error.findings


def test_a_single_placement_may_be_written_without_a_list() -> None:
    topology = loads("applications:\n  keystone: {charm: keystone, to: 'lxd:0'}\n")
    assert topology.applications["keystone"].to == (Placement("0", "lxd"),)


def test_errors_leave_warnings_out_of_the_error() -> None:
    found = findings(APP + "    num_units: x\n    options: {nope: 1}\n")
    assert [f.path for f in found] == ["applications.mysql.num_units"]


def test_application_sources_point_at_their_names() -> None:
    topology = load(EXAMPLES / "lab-core.yaml")
    lines = (EXAMPLES / "lab-core.yaml").read_text().splitlines()
    for app in topology.applications.values():
        assert app.source is not None and app.source.line is not None
        assert lines[app.source.line - 1].strip() == f"{app.name}:"
    for relation in topology.relations:
        assert relation.source is not None and relation.source.line is not None
        assert str(relation.a) in lines[relation.source.line - 1]


def test_duplicates_anywhere_are_all_reported() -> None:
    text = APP + "    num_units: 3\n    num_units: 3\nmachines:\n  '0': {}\n  0: {}\n"
    assert [(f.path, f.line) for f in findings(text)] == [
        ("applications.mysql.num_units", 5),
        ("machines.0", 8),
    ]


def test_juju_deployer_file_may_carry_hastack_settings() -> None:
    topology = loads("hastack: {profile: fast}\nbase:\n  services:\n    keystone: {}\n")
    assert topology.format == "juju-deployer"
    assert topology.settings.profile is ProfileName.FAST
    assert sorted(topology.applications) == ["keystone"]


def test_a_recursive_alias_is_a_finding_not_a_crash() -> None:
    found = findings("applications:\n  k: {charm: keystone}\nrelations: &r [[k, *r]]\n")
    assert [f.path for f in found] == ["relations[0][1]"]


def test_application_values_remember_where_they_were_written() -> None:
    topology = load(EXAMPLES / "openstack-ha-reference.yaml")
    lines = (EXAMPLES / "openstack-ha-reference.yaml").read_text().splitlines()
    keystone = topology.applications["keystone"]
    for key, text in (("num_units", "3"), ("to", "["), ("options.vip", "198.18.0.101")):
        source = keystone.sources[key]
        assert source.line is not None and source.column is not None
        assert lines[source.line - 1][source.column - 1 :].startswith(text), key


def test_relations_remember_their_path() -> None:
    topology = load(BUNDLES / "juju-deployer.yaml")
    assert [r.path for r in topology.relations] == [
        "trusty-icehouse.relations[0]",
        "trusty-icehouse.relations[1][1][0]",
        "trusty-icehouse.relations[1][1][1]",
        "trusty-icehouse.relations[2]",
    ]
    assert [r.path for r in load(EXAMPLES / "lab-core.yaml").relations][:2] == [
        "relations[0]",
        "relations[1]",
    ]
