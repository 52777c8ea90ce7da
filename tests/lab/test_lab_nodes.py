"""Real lab nodes: machines that boot systemd, bridges, the Lab connector and the virtual BMCs.

Needs root. The module brings up 3 nodes in a temporary state directory once and always
tears them down; the last test checks that ``down()`` leaves nothing behind.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from hastack import errors
from hastack.lab import BridgeSpec, Lab, LabSpec, default_spec
from hastack.lab import bmc as lab_bmc
from hastack.secret import Secret

pytestmark = pytest.mark.lab

NODES = ("tn-1", "tn-2", "tn-3")
# Own names and networks, so this test can run beside a deployed lab (hs-ctl-*, 198.18.0.x).
BRIDGES = (
    BridgeSpec("hs-tmgmt", "198.18.8.0/24", "198.18.8.254", "m"),
    BridgeSpec("hs-text", "198.18.9.0/24", "198.18.9.254", "e"),
)
PASSWORD = "lab-test-pw"
VIP = "198.18.8.100"  # an extra address on tn-2, as IPaddr2 adds a VIP


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Lab, LabSpec]]:
    if os.geteuid() != 0:
        pytest.skip("lab tests need root")
    root = tmp_path_factory.mktemp("hs-lab")
    spec = default_spec(len(NODES), Secret(PASSWORD), root=str(root), prefix="tn", bridges=BRIDGES)
    the_lab = Lab(root)
    try:
        the_lab.up(spec)
        yield the_lab, spec
    finally:
        the_lab.down(wipe=True)


def host(argv: list[str], timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)


def ipmi(spec: LabSpec, node: str, *args: str) -> subprocess.CompletedProcess[str]:
    address = spec.node(node).bmc_address
    auth = ["-H", address, "-U", spec.bmc_user, "-P", PASSWORD]
    return host(["ipmitool", "-I", "lanplus", *auth, *args])


def test_each_node_has_its_hostname(lab: tuple[Lab, LabSpec]) -> None:
    the_lab, _ = lab
    for name in NODES:
        assert the_lab.connector(name).check(["hostname"]).stdout.strip() == name


def test_a_node_sees_only_its_own_processes(lab: tuple[Lab, LabSpec]) -> None:
    the_lab, _ = lab
    out = the_lab.connector("tn-1").check(["ps", "-eo", "pid=,comm="]).stdout
    lines = [line.split(None, 1) for line in out.strip().splitlines()]
    assert lines[0] == ["1", "systemd"], out
    assert ["systemd-journal" in comm for _, comm in lines].count(True) == 1, out
    assert not [comm for _, comm in lines if comm in ("pytest", "python3")], out
    assert len(lines) <= 12, out  # systemd, journald, dbus, logind, getty, ps


def test_a_node_boots_with_no_failed_unit(lab: tuple[Lab, LabSpec]) -> None:
    the_lab, _ = lab
    for name in NODES:
        conn = the_lab.connector(name)
        assert conn.run(["systemctl", "is-system-running"]).stdout.strip() == "running", name
        enabled = conn.check(["systemctl", "list-unit-files", "--state=enabled", "--no-legend"])
        units = {line.split()[0] for line in enabled.stdout.splitlines()}
        assert not units & {"mariadb.service", "rabbitmq-server.service", "apache2.service"}


def test_what_is_enabled_starts_at_power_on_with_nobody_calling(
    lab: tuple[Lab, LabSpec],
) -> None:
    the_lab, _ = lab
    tn3 = the_lab.connector("tn-3")
    unit = "[Unit]\nDescription=hs test\n[Service]\nExecStart=/bin/sleep infinity\n"
    tn3.write_file(
        "/etc/systemd/system/hs-test.service", unit + "[Install]\nWantedBy=multi-user.target\n"
    )
    tn3.check(["systemctl", "daemon-reload"])
    tn3.check(["systemctl", "enable", "--now", "hs-test.service"])
    the_lab.power("tn-3", "off")
    assert the_lab.power("tn-3", "on").startswith("powered on tn-3")
    the_lab.wait_booted("tn-3")
    assert tn3.run(["systemctl", "is-active", "hs-test.service"]).stdout.strip() == "active"
    main_pid = tn3.check(["systemctl", "show", "-p", "MainPID", "--value", "hs-test"]).stdout
    assert int(main_pid) > 1
    tn3.check(["systemctl", "disable", "--now", "hs-test.service"])


def test_nodes_reach_each_other_and_the_host_reaches_them(lab: tuple[Lab, LabSpec]) -> None:
    the_lab, spec = lab
    for node in spec.nodes:
        assert host(["ping", "-c1", "-W2", node.address]).returncode == 0, node.name
        assert host(["ping", "-c1", "-W2", node.interfaces[1].address]).returncode == 0
    ctl1 = the_lab.connector("tn-1")
    for other in ("tn-2", "tn-3"):
        assert ctl1.run(["ping", "-c1", "-W2", other]).ok, other  # by name via /etc/hosts


def test_etc_hosts_lists_every_node(lab: tuple[Lab, LabSpec]) -> None:
    the_lab, spec = lab
    hosts = the_lab.connector("tn-3").read_file("/etc/hosts")
    assert hosts is not None
    for node in spec.nodes:
        assert f"{node.address} {node.name}" in hosts


def test_node_paths_are_its_own_disk(lab: tuple[Lab, LabSpec]) -> None:
    the_lab, _ = lab
    found = the_lab.connector("tn-2").check(["findmnt", "-rn", "-o", "TARGET,FSTYPE"]).stdout
    mounts = dict(line.split() for line in found.splitlines())
    for path in ("/etc", "/var", "/root"):
        assert mounts.get(path) == "overlay", found
    assert mounts.get("/run") == "tmpfs" and mounts.get("/tmp") == "tmpfs", found
    cib = the_lab.connector("tn-2").check(["stat", "-c", "%U:%G", "/var/lib/pacemaker/cib"])
    assert cib.stdout.strip() == "hacluster:haclient"
    assert the_lab.connector("tn-2").run(["test", "-d", "/var/log/crmsh"]).ok


def test_write_and_read_file_round_trip_with_mode_and_owner(lab: tuple[Lab, LabSpec]) -> None:
    the_lab, spec = lab
    ctl1 = the_lab.connector("tn-1")
    text = "[mysqld]\n# written by the lab test\n"
    ctl1.write_file("/etc/mysql/conf.d/hs-test.cnf", text, mode=0o640, owner="mysql:mysql")
    assert ctl1.read_file("/etc/mysql/conf.d/hs-test.cnf") == text
    stat = ctl1.check(["stat", "-c", "%a %U:%G", "/etc/mysql/conf.d/hs-test.cnf"])
    assert stat.stdout.strip() == "640 mysql:mysql"
    assert not Path("/etc/mysql/conf.d/hs-test.cnf").exists()  # the host's /etc is untouched
    assert (Path(spec.root) / "nodes/tn-1/disk/etc/mysql/conf.d/hs-test.cnf").read_text() == text
    assert the_lab.connector("tn-2").read_file("/etc/mysql/conf.d/hs-test.cnf") is None


def test_every_bmc_answers_power_status(lab: tuple[Lab, LabSpec]) -> None:
    _, spec = lab
    for name in NODES:
        result = ipmi(spec, name, "power", "status")
        assert result.stdout.strip() == "Chassis Power is on", result.stderr


def test_fence_ipmilan_reads_the_status(lab: tuple[Lab, LabSpec]) -> None:
    _, spec = lab
    node = spec.node("tn-3")
    argv = ["fence_ipmilan", f"--ip={node.bmc_address}", f"--username={spec.bmc_user}"]
    result = host([*argv, f"--password={PASSWORD}", "--lanplus", "-o", "status"])
    assert result.returncode == 0 and "Status: ON" in result.stdout, result.stderr


def test_ipmi_power_off_kills_every_process_of_the_node(lab: tuple[Lab, LabSpec]) -> None:
    the_lab, spec = lab
    tn2 = the_lab.connector("tn-2")
    tn2.write_file("/var/lib/mysql/survives", "disk\n")
    iface = spec.node("tn-2").interfaces[0]
    tn2.check(["ip", "addr", "add", f"{VIP}/{iface.prefixlen}", "dev", iface.name])  # as IPaddr2
    assert host(["ping", "-c1", "-W2", VIP]).returncode == 0
    assert ipmi(spec, "tn-2", "power", "off").returncode == 0
    assert host(["ip", "netns", "pids", "hs-tn-2"]).stdout.split() == []
    assert ipmi(spec, "tn-2", "power", "status").stdout.strip() == "Chassis Power is off"
    cycle = ipmi(spec, "tn-2", "power", "cycle")
    assert cycle.returncode != 0 and "not supported in present state" in cycle.stderr
    with pytest.raises(errors.ConnectError, match="lab node tn-2 is powered off"):
        the_lab.connector("tn-2").run(["true"])


def test_a_powered_off_node_answers_nothing_when_its_cables_come_back(
    lab: tuple[Lab, LabSpec],
) -> None:
    """A dead machine's NICs answer nothing, not even ARP for a VIP it held, when its switch
    port is brought up by hand (runs while tn-2 is off, before the power-on test)."""
    _, spec = lab
    node = spec.node("tn-2")
    for iface in node.interfaces:
        assert host(["ip", "link", "set", iface.host_name, "up"]).returncode == 0
    try:
        for address in (VIP, node.address):
            host(["ip", "neigh", "flush", "to", address])
            assert host(["ping", "-c1", "-W1", address]).returncode != 0, address
        inside = host(["ip", "-n", node.netns, "-br", "addr"]).stdout
        assert VIP not in inside and node.address not in inside, inside
    finally:
        for iface in node.interfaces:
            host(["ip", "link", "set", iface.host_name, "down"])


def test_ipmi_power_on_brings_the_node_back_with_its_disk(lab: tuple[Lab, LabSpec]) -> None:
    the_lab, spec = lab
    assert ipmi(spec, "tn-2", "power", "on").returncode == 0
    assert ipmi(spec, "tn-2", "power", "status").stdout.strip() == "Chassis Power is on"
    ctl2 = the_lab.connector("tn-2")
    assert ctl2.read_file("/var/lib/mysql/survives") == "disk\n"
    assert ctl2.check(["hostname"]).stdout.strip() == "tn-2"
    assert ctl2.run(["ping", "-c1", "-W2", "tn-1"]).ok


def test_cut_links_partitions_without_killing(lab: tuple[Lab, LabSpec]) -> None:
    the_lab, spec = lab
    address = spec.node("tn-3").address
    the_lab.cut_links("tn-3")
    try:
        assert host(["ping", "-c1", "-W1", address]).returncode != 0
        assert the_lab.connector("tn-3").run(["true"]).ok  # still running
    finally:
        the_lab.restore_links("tn-3")
    assert host(["ping", "-c1", "-W2", address]).returncode == 0


def test_lab_power_soft_and_status(lab: tuple[Lab, LabSpec]) -> None:
    the_lab, _ = lab
    assert the_lab.power("tn-1", "soft") == "tn-1 shut down"
    assert the_lab.power("tn-1", "status") == "tn-1 is off"
    assert the_lab.power("tn-1", "on").startswith("powered on tn-1")
    assert [s.running for s in the_lab.status()] == [True, True, True]


def test_up_again_changes_nothing(lab: tuple[Lab, LabSpec]) -> None:
    the_lab, spec = lab
    pids = [s.init_pid for s in the_lab.status()]
    assert the_lab.up(spec) == []
    assert [s.init_pid for s in the_lab.status()] == pids


def test_down_leaves_nothing_behind(lab: tuple[Lab, LabSpec]) -> None:
    the_lab, spec = lab
    pids = [s.init_pid for s in the_lab.status()]
    assert the_lab.down()
    assert not [n for n in host(["ip", "netns", "list"]).stdout.split() if n.startswith("hs-tn")]
    links = host(["ip", "-br", "link"]).stdout.split("\n")
    assert not [line for line in links if line.startswith(("hs-tmgmt", "hs-text", "hs-tn-"))]
    assert spec.root not in host(["findmnt", "-rn", "-o", "TARGET,SOURCE"]).stdout
    assert not [pid for pid in pids if pid is not None and Path(f"/proc/{pid}/cmdline").exists()]
    assert lab_bmc.running_pid(the_lab.layout) is None
    cgroups = [p for p in Path("/sys/fs/cgroup").glob("**/hs-tn-*") if p.is_dir()]
    assert not cgroups
    assert spec.management.host_address not in host(["ip", "-br", "addr"]).stdout
    assert (Path(spec.root) / "nodes/tn-2/disk/var/lib/mysql/survives").exists()  # disks kept
    for log in (Path(spec.root) / "bmc").iterdir():
        assert PASSWORD not in log.read_text(), log
    assert the_lab.down() == []
