"""Galera under Pacemaker: a promotable clone of the ClusterLabs ``ocf:heartbeat:galera`` agent.

The agent (Debian's resource-agents) is the field's own answer to "which member starts the
cluster": every member starts Unpromoted (mariadbd not running; the agent records its last
committed seqno as a node attribute), then the most advanced member is promoted first and
bootstraps, and the others are promoted after it and join by IST/SST - after a first start,
a majority loss or a full outage alike, with nobody running a command. A member whose
mariadbd dies fails its monitor and Pacemaker recovers it (stop, start, promote: it rejoins).

Galera names are the members' management addresses (``cluster_host_map`` maps Pacemaker's
node names to them), so Galera never depends on name resolution. The agent checks the
server as ``root`` over the local socket: it runs as root, and MariaDB 10.11 authenticates
root@localhost by ``unix_socket``, so no password is needed and none is in the CIB.
"""

from __future__ import annotations

from ...plan.model import Cluster, Plan
from ...render import placement
from ...render.cib import NEVER, Clone, Location, Op, Primitive, Resources
from ...topology import ProfileName

AGENT = ("ocf", "heartbeat", "galera")
SERVER = "/usr/sbin/mariadbd"  # not mysqld_safe: it would restart a dead server behind
# Pacemaker's back - a bootstrap member with gcomm:// would even found a second cluster
CONFIG = "/etc/mysql/my.cnf"
DATADIR = "/var/lib/mysql"
LOG = "/var/log/mysql/error.log"
CHECK_USER = "root"  # unix_socket: the agent runs as root, no password anywhere
# (promoted, unpromoted) monitor intervals in seconds: a dead mariadbd is noticed within the
# first; the second is how often a stopped member re-reads who should bootstrap
MONITOR_S = {ProfileName.REFERENCE: (10, 30), ProfileName.FAST: (5, 8)}
# this two-core machine under load: --wsrep-recover at start takes 5-30 s, a joiner's
# promote includes its state transfer; the agent's own defaults are 120 s and 300 s
START_TIMEOUT_S = 180
PROMOTE_TIMEOUT_S = 300
STOP_TIMEOUT_S = 120
FAILURE_TIMEOUT_S = 30  # a failed start/monitor is forgotten after this: retried, and green


def resource_id(app: str) -> str:
    return f"galera-{app}"


def clone_id(app: str) -> str:
    return f"{resource_id(app)}-clone"


def galera_names(plan: Plan, app: str) -> tuple[tuple[str, str], ...]:
    """(Pacemaker node name, Galera name = management address) of every member."""
    return tuple(
        (host.name, str(placement.management(host)))
        for host in placement.application_hosts(plan, app)
    )


def cluster_resources(plan: Plan, cluster: Cluster, app: str) -> Resources:
    names = galera_names(plan, app)
    promoted_s, unpromoted_s = MONITOR_S[plan.profile.name]
    rid = resource_id(app)
    params = (
        ("wsrep_cluster_address", "gcomm://" + ",".join(address for _, address in names)),
        ("cluster_host_map", ";".join(f"{node}:{address}" for node, address in names)),
        ("binary", SERVER),
        ("config", CONFIG),
        ("datadir", DATADIR),
        ("log", LOG),
        ("check_user", CHECK_USER),
    )
    ops = (
        Op("start", "0s", f"{START_TIMEOUT_S}s"),
        Op("stop", "0s", f"{STOP_TIMEOUT_S}s"),
        Op("promote", "0s", f"{PROMOTE_TIMEOUT_S}s"),
        Op("demote", "0s", f"{STOP_TIMEOUT_S}s"),
        Op("monitor", f"{promoted_s}s", "30s", role="Promoted"),
        Op("monitor", f"{unpromoted_s}s", "30s", role="Unpromoted"),
    )
    members = len(names)
    meta = (
        ("promotable", "true"),
        ("promoted-max", str(members)),
        ("promoted-node-max", "1"),
        ("clone-max", str(members)),
        ("clone-node-max", "1"),
        ("failure-timeout", f"{FAILURE_TIMEOUT_S}s"),
    )
    own = {node for node, _ in names}
    avoid = tuple(
        Location(f"loc-{clone_id(app)}-avoid-{host}", clone_id(app), host, NEVER)
        for host in cluster.hosts
        if host not in own
    )
    standard, provider, agent = AGENT
    return Resources(
        primitives=(Primitive(rid, standard, agent, provider, params, ops),),
        clones=(Clone(clone_id(app), rid, meta),),
        locations=avoid,
    )
