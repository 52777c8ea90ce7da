"""The memcached text protocol ``stats`` response → ``MemcachedStats``."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType

from . import Fact, ParseError

PORT = 11211
_SOURCE = "memcached stats"


@dataclasses.dataclass(frozen=True)
class MemcachedStats:
    pid: int
    uptime: int  # seconds
    version: str
    curr_connections: int
    max_connections: int
    rejected_connections: int
    curr_items: int
    evictions: int
    values: Mapping[str, str] = dataclasses.field(default_factory=dict, compare=False, repr=False)


def parse_stats(text: str) -> MemcachedStats:
    """Parse ``STAT <name> <value>`` lines up to ``END``."""
    values: dict[str, str] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if line == "END":
            break
        if not line:
            continue
        parts = line.split(" ", 2)
        if parts[0] != "STAT" or len(parts) != 3:
            raise ParseError(_SOURCE, f"line {lineno} is not 'STAT <name> <value>': {line!r:.80}")
        values[parts[1]] = parts[2]
    if "uptime" not in values:
        raise ParseError(_SOURCE, "no 'STAT uptime' line; is this the answer to `stats`?")

    def number(name: str) -> int:
        try:
            return int(values.get(name, "0"))
        except ValueError as exc:
            raise ParseError(_SOURCE, f"{name}={values[name]!r} is not a number") from exc

    return MemcachedStats(
        pid=number("pid"),
        uptime=number("uptime"),
        version=values.get("version", ""),
        curr_connections=number("curr_connections"),
        max_connections=number("max_connections"),
        rejected_connections=number("rejected_connections"),
        curr_items=number("curr_items"),
        evictions=number("evictions"),
        values=MappingProxyType(values),
    )


def stats_fact(address: str = "127.0.0.1", port: int = PORT) -> Fact[MemcachedStats]:
    """``stats`` from the memcached listening on *address*:*port*, asked on its own host."""
    return Fact(
        f"the memcached stats on {address}:{port}",
        ("socat", "-", f"TCP:{address}:{port}"),
        parse_stats,
        stdin="stats\r\nquit\r\n",
    )
