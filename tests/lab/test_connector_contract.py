"""The lab connector passes the Connector contract on node ctl-1 of the deployed lab.

Each test gets a fresh directory under the node's /var/tmp and it is removed afterwards;
nothing a deployed service reads is touched, and what the contract runs exits on its own.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import DeployedLab
from hastack.hosts.lab import LabConnector

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hosts"))
from contract import ConnectorContract, Target

pytestmark = pytest.mark.lab

NODE = "ctl-1"


def lab_target(deployed: DeployedLab) -> Iterator[Target]:
    conn = deployed.node(NODE)
    scratch = conn.check(["mktemp", "-d", "/var/tmp/hs-contract.XXXXXX"]).stdout.strip()
    try:
        # a powered-off node is one whose init PID cannot be found
        yield Target(conn, scratch, unreachable=lambda: LabConnector(NODE, lambda: None))
    finally:
        conn.check(["rm", "-rf", "--", scratch])


# Connectors checked against the deployed lab. The SSH connector joins here once
# hosts/ssh.py exists, against an sshd on a lab node.
FACTORIES: dict[str, Callable[[DeployedLab], Iterator[Target]]] = {"lab": lab_target}


@pytest.fixture(params=sorted(FACTORIES))
def target(request: pytest.FixtureRequest, deployed: DeployedLab) -> Iterator[Target]:
    yield from FACTORIES[request.param](deployed)


class TestLabConnector(ConnectorContract):
    pass
