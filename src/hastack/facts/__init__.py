"""Parse real tool output once: pure functions, text in, frozen dataclasses out.

Nothing here runs a command or reads a file; the caller runs the tool through a
``hosts.Connector`` and hands the output over. One module per source:

* ``pacemaker`` — ``crm_mon --output-as=xml -1``
* ``haproxy`` — the stats socket's ``show stat`` CSV
* ``galera`` — ``SHOW GLOBAL STATUS LIKE 'wsrep_%'``, ``grastate.dat``, ``--wsrep-recover``
* ``rabbitmq`` — ``rabbitmqctl cluster_status`` / ``list_queues`` with ``--formatter json``
* ``network`` — ``ip -j addr``
* ``memcached`` — the ``stats`` command of the text protocol
"""

from __future__ import annotations

from .. import errors


class ParseError(errors.HastackError):
    """Tool output is not what the parser expects; the message names the source and the fault."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"cannot parse {source}: {problem}")


__all__ = ["ParseError"]
