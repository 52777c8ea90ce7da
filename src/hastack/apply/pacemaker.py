"""The cluster layer: Corosync membership, Pacemaker, and the cluster configuration (CIB).

``corosync.service`` and ``pacemaker.service`` are enabled and started on every host of a
cluster at once, so a host that boots rejoins its cluster by itself; the first DC election
is made fast by setting ``dc-deadtime`` in every node's local CIB right after Pacemaker
starts (a fresh cluster otherwise waits 20 s). ``haproxy.service`` is kept disabled at boot:
Pacemaker runs it (``systemd:haproxy``). The CIB's configuration section is replaced as a
whole from the rendered ``cib.xml`` when its digest differs from the last one applied. With
keepalived holding the VIPs, ``keepalived.service`` is enabled and started once HAProxy runs.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

from lxml import etree

from ..facts.fencing import FENCE_DEVICES
from ..facts.pacemaker import CRM_MON
from ..hosts import Connector
from ..plan import Cluster, Plan
from ..render import fence_guard
from ..render.nvpairs import set_nvpair
from ..wait import wait_until
from . import units
from .report import Report

CIB_FILE = "/etc/hastack/cib.xml"
APPLIED_MARK = "/var/lib/pacemaker/hastack-cib.sha256"
# Pacemaker's own unit restarts it on failure; corosync's does not
COROSYNC = units.restarting("corosync.service")
PACEMAKER = units.Unit("pacemaker.service")
HAPROXY = "haproxy.service"  # Pacemaker's: never enabled, no Restart= of hastack's
KEEPALIVED = units.restarting("keepalived.service")
# Pacemaker throttles the whole cluster to one action at a time while any node's 1-minute
# load average is above 2 x its cores x load-threshold (80 %). An OS container reads its host
# kernel's load average, so lab nodes each read the whole machine's: a drill or a booting
# node held every failover to one action at a time (dc-power-off: the dead DC's VIPs were
# out 40-49 s instead of 4). Where every node is a container, only Pacemaker's check of
# its own CIB daemon's CPU use is left (a load threshold of 0 turns the other one off).
CONTAINER_LOAD_THRESHOLD = "0%"


def start_stack(plan: Plan, cluster: Cluster, hosts: dict[str, Connector], report: Report) -> None:
    def one(name: str) -> None:
        conn = hosts[name]
        if (disabled := units.ensure_disabled(conn, HAPROXY)) is not None:
            report.add(name, "haproxy", True, disabled)
        corosync = units.ensure_running(conn, COROSYNC)
        pacemaker = units.ensure_running(conn, PACEMAKER)
        if pacemaker.started:
            _fast_first_election(conn, plan.profile.dc_deadtime_s)
        for outcome in (corosync, pacemaker):
            if outcome.changed:
                report.add(name, outcome.unit.removesuffix(".service"), True, outcome.message)
        if not corosync.changed and not pacemaker.changed:
            report.add(name, "cluster", False, "corosync and pacemaker enabled and running")

    with ThreadPoolExecutor(max_workers=len(cluster.hosts)) as pool:
        list(pool.map(one, cluster.hosts))


def start_keepalived(cluster: Cluster, hosts: dict[str, Connector], report: Report) -> None:
    """keepalived on every host of a cluster whose VIPs it holds (after HAProxy runs: its
    track script follows HAProxy)."""

    def one(name: str) -> None:
        outcome = units.ensure_running(hosts[name], KEEPALIVED)
        report.add(name, "keepalived", outcome.changed, outcome.message)

    with ThreadPoolExecutor(max_workers=len(cluster.hosts)) as pool:
        list(pool.map(one, cluster.hosts))


def _fast_first_election(conn: Connector, dc_deadtime: int) -> None:
    """Set dc-deadtime in the node's local CIB before the first election (retry while the
    CIB daemon starts)."""
    argv = [
        "crm_attribute",
        "--type",
        "crm_config",
        "--name",
        "dc-deadtime",
        "--update",
        f"{dc_deadtime}s",
    ]

    def probe() -> tuple[bool | None, str]:
        result = conn.run(argv, timeout=10)
        return (True if result.ok else None), result.stderr.strip()[-200:] or "no answer"

    wait_until(probe, what=f"pacemaker CIB on {conn.name}", timeout=30, interval=0.3)


def wait_quorate(cluster: Cluster, hosts: dict[str, Connector], timeout: float) -> str:
    """Wait for a DC with quorum and every host online; return the DC's name."""
    conn = hosts[cluster.hosts[0]]

    def probe() -> tuple[str | None, str]:
        status, _why = CRM_MON.try_read(conn, timeout=20)
        if status is None:
            return None, "crm_mon has no answer yet"
        online = sorted(n.name for n in status.nodes if n.online)
        seen = f"DC {status.dc}, quorum {status.have_quorum}, online {online}"
        if status.dc and status.have_quorum and len(online) == len(cluster.hosts):
            return status.dc, seen
        return None, seen

    return wait_until(probe, what=f"cluster {cluster.name} quorate with a DC", timeout=timeout)


def configuration_xml(cib_text: str) -> str:
    """The ``<configuration>`` element of a rendered CIB, as cibadmin --replace wants it."""
    root = etree.fromstring(cib_text.encode())
    config = root.find("configuration")
    if config is None:
        raise ValueError("rendered CIB has no <configuration>")
    return str(etree.tostring(config, encoding="unicode"))


def apply_cib(cluster: Cluster, hosts: dict[str, Connector], dc: str, report: Report) -> None:
    conn = hosts[dc]
    cib = conn.read_file(CIB_FILE)
    if cib is None:
        raise FileNotFoundError(f"{CIB_FILE} was not written on {dc}")
    containers = all(in_container(hosts[name]) for name in cluster.hosts)
    digest = hashlib.sha256(cib.encode()).hexdigest() + (" containers" if containers else "")
    devices = FENCE_DEVICES.read(conn) or ()  # the fence-loop guard is live state: kept
    for note in fence_guard.notes(devices):
        report.add("cluster", "fence-guard", False, note)
    if (conn.read_file(APPLIED_MARK) or "").strip() == digest:
        report.add("cluster", "cib", False, f"cluster {cluster.name} configuration unchanged")
        return
    configuration = configuration_xml(cib)
    if containers:
        configuration = set_property(configuration, "load-threshold", CONTAINER_LOAD_THRESHOLD)
    conn.check(
        ["cibadmin", "--replace", "--scope", "configuration", "--xml-pipe"],
        stdin=fence_guard.carry_over(configuration, fence_guard.guards(devices)),
        timeout=60,
    )
    for name in cluster.hosts:
        hosts[name].write_file(APPLIED_MARK, digest + "\n")
    throttle = f", load-threshold {CONTAINER_LOAD_THRESHOLD} (nodes are containers)"
    report.add(
        "cluster",
        "cib",
        True,
        f"loaded the configuration of cluster {cluster.name}{throttle if containers else ''}",
    )


def in_container(conn: Connector) -> bool:
    """The host is an OS container: it shares its kernel, and the kernel's load average,
    with whatever else runs on the machine."""
    return conn.run(["systemd-detect-virt", "--quiet", "--container"], timeout=30).ok


def set_property(configuration: str, name: str, value: str) -> str:
    """*configuration* (a ``<configuration>``) with cluster property *name* set to *value*."""
    root = etree.fromstring(configuration.encode())
    options = root.find("crm_config/cluster_property_set")
    if options is None:
        raise ValueError("rendered CIB has no cluster_property_set")
    set_nvpair(options, name, value)
    return str(etree.tostring(root, encoding="unicode"))


def wait_resources(cluster: Cluster, hosts: dict[str, Connector], timeout: float) -> None:
    """Wait until every VIP, the HAProxy clone and every fence device run."""
    conn = hosts[cluster.hosts[0]]

    def probe() -> tuple[bool | None, str]:
        status, _why = CRM_MON.try_read(conn, timeout=20)
        if status is None:
            return None, "crm_mon has no answer"
        stopped = sorted({r.id for r in status.resources if not r.running})
        if status.resources and not stopped:
            return True, "all started"
        return None, f"not started: {', '.join(stopped) or 'no resources yet'}"

    wait_until(probe, what=f"resources of cluster {cluster.name}", timeout=timeout, interval=1.0)
