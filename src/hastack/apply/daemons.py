"""Find a daemon that hastack does not run as a systemd unit yet (Galera's mariadbd, until
it moves under Pacemaker); every other service is a unit (``apply.units``).

``pgrep -x`` works per node because every lab node has its own PID namespace.
"""

from __future__ import annotations

from ..hosts import Connector


def running(connector: Connector, process: str) -> bool:
    return connector.run(["pgrep", "-x", process]).ok
