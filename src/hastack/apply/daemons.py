"""Start, check and reload daemons on a host without an init system.

Lab nodes (and hosts hastack manages) run each daemon detached with its output in
/var/log; ``pgrep -x`` works per node because every lab node has its own PID namespace.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..hosts import Connector


def running(connector: Connector, process: str) -> bool:
    return connector.run(["pgrep", "-x", process]).ok


def ensure_started(connector: Connector, process: str, argv: Sequence[str], log: str) -> bool:
    """Start *argv* unless a process named *process* runs; True when it was started."""
    if running(connector, process):
        return False
    connector.spawn(argv, log=log)
    return True
