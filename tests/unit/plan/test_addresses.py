"""No VIP may take an address the plan gives something else; one test per finding."""

from __future__ import annotations

import dataclasses
import ipaddress

import pytest
from topo_builders import app, core, messages

from hastack import plan
from hastack.plan import addresses
from hastack.topology import Topology, loads


def only(result: plan.Plan) -> str:
    (found,) = messages(result)
    return found


def keystone_vip(vip: str, to: tuple[str, ...] = ("0", "1", "2")) -> Topology:
    topo = core()
    apps = {**topo.applications, "keystone": app("keystone", "keystone", 3, to, vip=vip)}
    return dataclasses.replace(topo, applications=apps)


def test_vip_on_a_machines_own_address() -> None:
    result = plan.build(keystone_vip("198.18.0.11 198.18.1.101"))
    assert only(result) == (
        "error: applications.keystone.options.vip: VIP 198.18.0.11 is the management address "
        "the planner gives ctl-1 (machine 0, where keystone/0, memcached/0, mysql/0 and "
        "rabbitmq-server/0 run); two holders would answer ARP for it, so clients would reach "
        "either at random; pick a free address in 198.18.0.0/24, such as 198.18.0.101"
    )


def test_vip_on_a_machines_external_address() -> None:
    result = plan.build(keystone_vip("198.18.0.101 198.18.1.12"))
    assert only(result) == (
        "error: applications.keystone.options.vip: VIP 198.18.1.12 is the external address "
        "the planner gives ctl-2 (machine 1, where keystone/1, memcached/1, mysql/1 and "
        "rabbitmq-server/1 run); two holders would answer ARP for it, so clients would reach "
        "either at random; pick a free address in 198.18.1.0/24, such as 198.18.1.100"
    )


def test_vip_on_a_containers_address() -> None:
    result = plan.build(keystone_vip("198.18.0.14", ("lxd:0", "lxd:1", "lxd:2")))
    assert only(result) == (
        "error: applications.keystone.options.vip: VIP 198.18.0.14 is the management address "
        "the planner gives ctl-1-lxd-0 (a container on machine 0, where keystone/0 runs); two "
        "holders would answer ARP for it, so clients would reach either at random; pick a "
        "free address in 198.18.0.0/24, such as 198.18.0.101"
    )


def test_vip_on_a_bmc_address() -> None:
    result = plan.build(keystone_vip("198.18.0.201"))
    assert only(result) == (
        "error: applications.keystone.options.vip: VIP 198.18.0.201 is the address the lab "
        "gives the BMC of ctl-1 (.200 + its node number); two holders would answer ARP for "
        "it, so clients would reach either at random; pick a free address in 198.18.0.0/24, "
        "such as 198.18.0.101"
    )


def test_vip_on_the_lab_hosts_bridge_address() -> None:
    result = plan.build(keystone_vip("198.18.0.101 198.18.1.254"))
    assert only(result) == (
        "error: applications.keystone.options.vip: VIP 198.18.1.254 is the lab host's own "
        "address on the external bridge (the network's last usable address); two holders "
        "would answer ARP for it, so clients would reach either at random; pick a free "
        "address in 198.18.1.0/24, such as 198.18.1.100"
    )


def test_vip_listed_twice_in_one_application() -> None:
    result = plan.build(keystone_vip("198.18.0.101 198.18.0.101"))
    assert only(result) == (
        "error: applications.keystone.options.vip: VIP 198.18.0.101 is listed twice in the vip "
        "of keystone; list each address once"
    )


def test_two_vips_of_one_application_on_one_network() -> None:
    result = plan.build(keystone_vip("198.18.0.101 198.18.0.110"))
    assert only(result) == (
        "error: applications.keystone.options.vip: keystone has two VIPs on the management "
        "network 198.18.0.0/24 (198.18.0.101 and 198.18.0.110), but hastack names a VIP after "
        "its application and network (vip-keystone-int), so the two would clash; keep one VIP "
        "per network (internal on management, public on external)"
    )


BUNDLE = """\
machines:
  "0": {}
  "1": {}
  "2": {}
applications:
  keystone:
    charm: keystone
    num_units: 3
    to: ["0", "1", "2"]
    options:
      vip: 198.18.0.11
  keystone-hacluster:
    charm: hacluster
relations:
  - [keystone, keystone-hacluster]
"""


def test_the_collision_points_at_the_vip_in_the_file() -> None:
    (finding,) = plan.build(loads(BUNDLE, "small.yaml")).findings
    assert str(finding).startswith(
        "small.yaml:11:12: applications.keystone.options.vip: VIP 198.18.0.11 is the "
        "management address the planner gives ctl-1 (machine 0, where keystone/0 runs)"
    )


def test_every_assigned_address_is_listed_once_per_holder() -> None:
    result = plan.build(core())
    owners = addresses.assigned(result.topology, result.hosts, result.units)
    hosts = [h.address(role) for h in result.hosts for role in (a.role for a in h.addresses)]
    bmcs = [ipaddress.IPv4Address(f"198.18.0.{200 + n}") for n in (1, 2, 3)]
    lab = [ipaddress.IPv4Address("198.18.0.254"), ipaddress.IPv4Address("198.18.1.254")]
    assert sorted(owners) == sorted([*hosts, *bmcs, *lab])


@pytest.mark.parametrize(
    ("cidr", "host"),
    [("198.18.0.0/24", "198.18.0.254"), ("198.18.4.0/22", "198.18.7.254")],
)
def test_the_lab_host_takes_the_last_usable_address(cidr: str, host: str) -> None:
    network = ipaddress.IPv4Network(cidr)
    assert addresses.lab_host_address(network) == ipaddress.IPv4Address(host)


def test_the_lab_built_from_the_plan_uses_the_addresses_the_check_knows() -> None:
    from hastack.ops.lab_up import spec_from_plan
    from hastack.secret import Secret

    result = plan.build(core())
    owners = addresses.assigned(result.topology, result.hosts, result.units)
    spec = spec_from_plan(result, "/nonexistent", Secret("unused"))
    used = [b.host_address for b in spec.bridges]
    used += [n.bmc_address for n in spec.nodes]
    used += [i.address for n in spec.nodes for i in n.interfaces]
    assert sorted(used) == sorted(str(a) for a in owners)
