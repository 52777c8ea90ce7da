"""LocalConnector passes the Connector contract on this machine, in a temporary directory.

Needs root: the contract applies owners (``nobody:nogroup``) as every deploy does.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from contract import ConnectorContract, Target

from hastack.hosts.local import LocalConnector


@pytest.fixture
def target(tmp_path: Path) -> Target:
    if os.geteuid() != 0:
        pytest.skip("LocalConnector's contract applies file owners: run as root")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    return Target(LocalConnector("localhost"), str(scratch))


class TestLocalConnector(ConnectorContract):
    pass
