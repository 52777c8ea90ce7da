"""A deployed node that loses power and comes back starts the units hastack enabled, with no
hastack command: the cluster layer, RabbitMQ, memcached, every Apache instance, heat-engine.

Run it after the other lab tests of a session: Galera on the node is another part's (it may
stay down until its own recovery), so the lab is not all green afterwards.
"""

from __future__ import annotations

import time

import pytest

from conftest import DeployedLab
from hastack.apply import pacemaker, units
from hastack.errors import ConnectError
from hastack.facts.pacemaker import CRM_MON
from hastack.kinds.heat import service as heat
from hastack.kinds.keystone import deploy as keystone
from hastack.kinds.memcached import service as memcached
from hastack.kinds.openstack_dashboard import deploy as horizon
from hastack.kinds.placement import service as placement
from hastack.kinds.rabbitmq import deploy as rabbitmq

pytestmark = pytest.mark.lab
NODE = "ctl-2"
BACK_S = 240  # boot, then RabbitMQ rejoining and the WSGI apps loading on a busy machine
ENABLED = (
    pacemaker.COROSYNC.name,
    pacemaker.PACEMAKER.name,
    rabbitmq.UNIT.name,
    memcached.UNIT.name,
    keystone.INSTANCE.unit.name,
    horizon.INSTANCE.unit.name,
    *(api.instance.unit.name for api in (*placement.SPEC.apis, *heat.SPEC.apis)),
    heat.ENGINE.unit.name,
)


def _rss_mb(deployed: DeployedLab, name: str) -> int:
    out = deployed.node(name).check(["ps", "-eo", "rss="]).stdout
    return sum(int(kb) for kb in out.split()) // 1024


def _fenced(deployed: DeployedLab) -> None:
    """The peers see NODE offline and clean: Pacemaker fenced it."""
    peer = deployed.node("ctl-1")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        status, _why = CRM_MON.try_read(peer, timeout=20)
        found = [n for n in status.nodes if n.name == NODE] if status else []
        if found and not found[0].online and not found[0].unclean:
            return
        time.sleep(1)
    raise AssertionError(f"{NODE} was not fenced within 90 s")


def test_a_node_powered_off_and_on_starts_its_units_by_itself(deployed: DeployedLab) -> None:
    node = deployed.node(NODE)
    for name in ENABLED:
        state = units.state(node, name)
        assert (state.enabled, state.active) == ("enabled", "active"), f"{name}: {state}"
    assert units.state(node, pacemaker.HAPROXY).enabled == "disabled"  # Pacemaker's
    print("RSS per node (MB):", {n: _rss_mb(deployed, n) for n in ("ctl-1", "ctl-2", "ctl-3")})
    deployed.lab.power(NODE, "off")
    with pytest.raises(ConnectError):
        node.run(["true"])
    _fenced(deployed)  # power on only after fencing is done with the node
    said = deployed.lab.power(NODE, "on")  # fencing reboots: its BMC may have powered it on
    assert said.startswith(f"powered on {NODE}") or said == f"{NODE} is already on", said
    started = time.monotonic()
    waiting: list[str] = list(ENABLED)
    while waiting and time.monotonic() - started < BACK_S:
        time.sleep(2)
        try:
            waiting = [n for n in ENABLED if not units.is_active(node, n)]
        except ConnectError:
            continue
    took = time.monotonic() - started
    assert waiting == [], f"not active {took:.0f} s after power on: {waiting}"
    print(f"every unit active on {NODE} {took:.1f} s after power on")
    assert node.run(["pgrep", "-f", keystone.INSTANCE.pattern]).ok
    assert node.run(["pgrep", "-f", heat.ENGINE.pattern]).ok
