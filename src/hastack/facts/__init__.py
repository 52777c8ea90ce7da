"""Facts: what a host reports, each one object holding its command and its parser.

The parsers are pure functions, text in, frozen dataclasses out. A ``Fact`` puts one
parser next to the argv whose output it reads (pyinfra's ``command()`` and ``process()``
side by side); it runs only through a ``hosts.Connector`` the caller passes in. One module
per source, each defining its facts next to its parsers:

* ``pacemaker`` — ``CRM_MON``: ``crm_mon --output-as=xml -1``
* ``haproxy`` — ``STAT``: the stats socket's ``show stat`` CSV
* ``galera`` — ``WSREP_STATUS``: ``SHOW GLOBAL STATUS LIKE 'wsrep_%'``; also the parsers of
  ``grastate.dat`` and ``--wsrep-recover``
* ``rabbitmq`` — ``CLUSTER_STATUS``, ``QUORUM_QUEUES``: ``rabbitmqctl`` with
  ``--formatter json``
* ``network`` — ``IP_ADDR``: ``ip -j addr``
* ``memcached`` — ``stats_fact(address)``: the ``stats`` command of the text protocol
* ``fencing`` — ``FENCE_DEVICES``: the fence devices in the CIB and the fence-loop guard's marks
"""

from __future__ import annotations

import dataclasses
import logging
import shlex
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from lxml import etree

from .. import errors

if TYPE_CHECKING:
    from ..hosts.base import Connector

log = logging.getLogger(__name__)
T = TypeVar("T")


class ParseError(errors.HastackError):
    """Tool output is not what the parser expects; the message names the source and the fault."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"cannot parse {source}: {problem}")


def xml_root(xml: str, source: str, tag: str) -> etree._Element:
    """The root element of a tool's XML output, which must be <*tag*>."""
    try:
        root = etree.fromstring(xml.encode())
    except etree.XMLSyntaxError as exc:
        raise ParseError(source, f"not well-formed XML ({exc})") from exc
    if root.tag != tag:
        raise ParseError(source, f"root element is <{root.tag}>, expected <{tag}>")
    return root


@dataclasses.dataclass(frozen=True)
class Fact(Generic[T]):
    """One fact about a host: the argv that reports it and the parser of its output.

    ``try_read`` gives the value or the reason there is none (a ``wait_until`` probe as
    it is), ``read`` logs that reason and gives ``None``, ``require`` raises it.
    """

    description: str  # what the fact is, for messages: "the Pacemaker cluster status"
    argv: tuple[str, ...]
    parse: Callable[[str], T]
    stdin: str | None = None
    timeout: float = 30.0

    @property
    def command(self) -> str:
        """The argv as one line, for messages (and the stdin it is fed, if any)."""
        line = shlex.join(self.argv)
        return f"{line} <<< {self.stdin.strip()!r}" if self.stdin else line

    def try_read(
        self, connector: Connector, *, timeout: float | None = None
    ) -> tuple[T | None, str]:
        """(the parsed value, "read") or (None, why not: unreachable, exit code, parse fault)."""
        try:
            limit = self.timeout if timeout is None else timeout
            result = connector.run(self.argv, timeout=limit, stdin=self.stdin)
        except errors.ConnectError as exc:
            return None, str(exc)
        if not result.ok:
            detail = " ".join((result.stderr.strip() or result.stdout).split())[:300]  # one line
            return None, f"`{' '.join(self.argv)}` exited {result.exit_code}: {detail}"
        try:
            return self.parse(result.stdout), "read"
        except ParseError as exc:
            return None, str(exc)

    def read(self, connector: Connector, *, timeout: float | None = None) -> T | None:
        """The parsed value, or None with the reason logged as a warning."""
        value, why = self.try_read(connector, timeout=timeout)
        if value is None:
            log.warning("%s: %s", connector.name, why)
        return value

    def require(self, connector: Connector, *, timeout: float | None = None) -> T:
        """The parsed value, or a ``DeployError`` naming the host, the command and why."""
        value, why = self.try_read(connector, timeout=timeout)
        if value is None:
            raise errors.DeployError(
                f"on {connector.name}: cannot read {self.description} ({why}); run"
                f" `{self.command}` on {connector.name} to see what it says, fix that, then run"
                " the command again"
            )
        return value


__all__ = ["Fact", "ParseError"]
