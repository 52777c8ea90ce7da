"""HAProxy stats socket ``show stat`` CSV → ``ProxyServer`` rows."""

from __future__ import annotations

import csv
import dataclasses
import enum
import io
from collections.abc import Mapping

from . import Fact, ParseError

STATS_SOCKET = "/run/haproxy/admin.sock"  # `stats socket` in haproxy.cfg.j2
_SOURCE = "HAProxy `show stat` CSV"
_REQUIRED = ("pxname", "svname", "status")


class ServerState(enum.Enum):
    UP = "UP"
    DOWN = "DOWN"
    MAINT = "MAINT"  # set by an operator or `disabled` in the config
    DRAIN = "DRAIN"  # up, takes no new sessions
    NOLB = "NOLB"
    NO_CHECK = "no check"  # no health check configured; assumed up
    OPEN = "OPEN"  # a frontend
    OTHER = "other"


@dataclasses.dataclass(frozen=True)
class ProxyServer:
    """One row: a frontend, a backend, or a server inside a backend."""

    proxy: str  # pxname: "keystone", "galera"
    name: str  # svname: "ctl-1", "FRONTEND", "BACKEND"
    status: str  # raw, e.g. "UP", "DOWN 1/2", "MAINT (via galera/ctl-1)", "no check"
    check_status: str  # "L7OK", "L4CON", "" when no check ran
    check_desc: str  # "Layer4 connection problem"
    last_check: str  # last_chk: "Connection refused"
    backup: bool  # a server marked `backup` (on BACKEND rows bck counts them; not kept)
    current_sessions: int
    address: str = ""

    @property
    def state(self) -> ServerState:
        first = self.status.split(" ", 1)[0]
        if self.status == "no check":
            return ServerState.NO_CHECK
        try:
            return ServerState(first)
        except ValueError:
            return ServerState.OTHER

    @property
    def is_server(self) -> bool:
        return self.name not in ("FRONTEND", "BACKEND")

    @property
    def serving(self) -> bool:
        """Takes new traffic: UP (also while going down 1/2) or without a health check."""
        return self.state in (ServerState.UP, ServerState.NO_CHECK)

    @property
    def reason(self) -> str:
        """The last check's verdict: "Layer4 connection problem: Connection refused"."""
        parts = [p for p in (self.check_desc, self.last_check) if p]
        return ": ".join(parts) if parts else self.check_status


def parse_stat_csv(text: str) -> list[ProxyServer]:
    """Parse the answer to ``show stat`` (header line ``# pxname,svname,...``)."""
    lines = text.strip().splitlines()
    if not lines or not lines[0].startswith("# "):
        raise ParseError(_SOURCE, "missing the '# pxname,svname,...' header line")
    reader = csv.DictReader(io.StringIO("\n".join([lines[0][2:], *lines[1:]])))
    fields = reader.fieldnames or []
    missing = [name for name in _REQUIRED if name not in fields]
    if missing:
        raise ParseError(_SOURCE, f"header lacks column(s) {', '.join(missing)}")
    return [_row(row, reader.line_num) for row in reader if row.get("pxname")]


STAT: Fact[list[ProxyServer]] = Fact(
    "the HAProxy server states",
    ("socat", "-", f"UNIX-CONNECT:{STATS_SOCKET}"),
    parse_stat_csv,
    stdin="show stat\n",
)


def _row(row: Mapping[str, str | None], line: int) -> ProxyServer:
    def get(name: str) -> str:
        return (row.get(name) or "").strip()

    return ProxyServer(
        proxy=get("pxname"),
        name=get("svname"),
        status=get("status"),
        check_status=get("check_status").lstrip("* "),
        check_desc=get("check_desc"),
        last_check=get("last_chk"),
        backup=get("bck") == "1" and get("svname") not in ("FRONTEND", "BACKEND"),
        current_sessions=_int(get("scur"), "scur", line),
        address=get("addr"),
    )


def _int(value: str, column: str, line: int) -> int:
    if not value:
        return 0
    try:
        return int(value)
    except ValueError as exc:
        raise ParseError(_SOURCE, f"line {line}: {column}={value!r} is not a number") from exc
