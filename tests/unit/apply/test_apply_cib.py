"""Loading the rendered CIB: what reaches ``cibadmin --replace`` on containers and on machines,
and that a second run with nothing new loads nothing."""

from __future__ import annotations

import pytest
from lxml import etree

from hastack.apply.pacemaker import APPLIED_MARK, CIB_FILE, apply_cib, set_property
from hastack.apply.report import Report
from hastack.hosts import CommandResult
from hastack.hosts.fake import Call, FakeHost
from hastack.plan import Cluster
from hastack.topology import VipProvider

CIB = """<cib><configuration><crm_config>
<cluster_property_set id="cib-bootstrap-options">
<nvpair id="cib-bootstrap-options-cluster-name" name="cluster-name" value="hastack"/>
</cluster_property_set></crm_config><nodes/><resources/><constraints/></configuration>
<status/></cib>"""
HOSTS = ("ctl-1", "ctl-2", "ctl-3")


def properties(configuration: str) -> dict[str, str]:
    root = etree.fromstring(configuration.encode())
    return {str(p.get("name")): str(p.get("value")) for p in root.iter("nvpair")}


def hosts(container: bool) -> tuple[dict[str, FakeHost], list[str]]:
    loaded: list[str] = []

    def cibadmin(host: FakeHost, call: Call) -> CommandResult:
        if "--replace" in call.argv:
            loaded.append(call.stdin)
            return call.result()
        return call.result(stdout="<resources/>")

    def detect_virt(host: FakeHost, call: Call) -> CommandResult:
        return call.result(0 if container else 1)

    found = {}
    for name in HOSTS:
        host = FakeHost(name)
        host.on(["cibadmin"], cibadmin)
        host.on(["systemd-detect-virt"], detect_virt)
        host.write_file(CIB_FILE, CIB)
        found[name] = host
    return found, loaded


def cluster() -> Cluster:
    return Cluster("hastack", HOSTS, (), (), (), VipProvider.PACEMAKER)


@pytest.mark.parametrize("container", [True, False])
def test_containers_get_no_load_average_throttle_and_machines_keep_pacemakers(
    container: bool,
) -> None:
    found, loaded = hosts(container)
    report = Report()
    apply_cib(cluster(), dict(found), "ctl-1", report)
    assert len(loaded) == 1
    props = properties(loaded[0])
    assert props["cluster-name"] == "hastack"
    if container:
        assert props["load-threshold"] == "0%"
        assert "load-threshold 0%" in report.results[-1].message
    else:
        assert "load-threshold" not in props
    assert all(h.read_file(APPLIED_MARK) for h in found.values())


def test_a_second_load_with_the_same_cib_and_hosts_changes_nothing() -> None:
    found, loaded = hosts(container=True)
    apply_cib(cluster(), dict(found), "ctl-1", Report())
    report = Report()
    apply_cib(cluster(), dict(found), "ctl-1", report)
    assert len(loaded) == 1
    assert not report.results[-1].changed


def test_a_host_that_is_not_a_container_keeps_the_throttle_for_the_whole_cluster() -> None:
    found, loaded = hosts(container=True)
    found["ctl-3"].on(["systemd-detect-virt"], lambda h, c: c.result(1))
    apply_cib(cluster(), dict(found), "ctl-1", Report())
    assert "load-threshold" not in properties(loaded[0])


def test_set_property_replaces_a_value_already_there() -> None:
    configuration = set_property(
        set_property(CIB.split("<status/>")[0].removeprefix("<cib>"), "load-threshold", "90%"),
        "load-threshold",
        "0%",
    )
    assert properties(configuration)["load-threshold"] == "0%"
    assert configuration.count('name="load-threshold"') == 1
