"""MariaDB Galera: ``SHOW GLOBAL STATUS LIKE 'wsrep_%'``, ``grastate.dat``, ``--wsrep-recover``."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

from . import Fact, ParseError

_STATUS = "wsrep status"
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_RECOVERED = re.compile(rf"WSREP: Recovered position:\s+({_UUID}):(-?\d+)")
_REQUIRED = ("wsrep_cluster_size", "wsrep_cluster_status", "wsrep_local_state_comment")


@dataclasses.dataclass(frozen=True)
class GaleraStatus:
    cluster_size: int
    cluster_status: str  # "Primary", "non-Primary", "Disconnected"
    local_state_comment: str  # "Synced", "Donor/Desynced", "Joining", "Joined", "Initialized"
    ready: bool
    connected: bool
    cluster_state_uuid: str
    last_committed: int
    incoming_addresses: tuple[str, ...]
    variables: Mapping[str, str] = dataclasses.field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def primary(self) -> bool:
        return self.cluster_status == "Primary"

    @property
    def synced(self) -> bool:
        return self.primary and self.ready and self.local_state_comment == "Synced"


@dataclasses.dataclass(frozen=True)
class GraState:
    uuid: str
    seqno: int  # -1 after a crash: run --wsrep-recover for the real position
    safe_to_bootstrap: bool
    version: str = ""


def parse_wsrep_status(rows: str | Iterable[Sequence[str]]) -> GaleraStatus:
    """Parse ``(name, value)`` rows from PyMySQL, or the text of ``mariadb -N -B -e ...``."""
    values = _rows_from_text(rows) if isinstance(rows, str) else _rows_from_tuples(rows)
    missing = [name for name in _REQUIRED if name not in values]
    if missing:
        raise ParseError(
            _STATUS, f"no {', '.join(missing)}; is wsrep_on=ON and the Galera provider loaded?"
        )
    incoming = values.get("wsrep_incoming_addresses", "")
    return GaleraStatus(
        cluster_size=_int(values, "wsrep_cluster_size"),
        cluster_status=values["wsrep_cluster_status"],
        local_state_comment=values["wsrep_local_state_comment"],
        ready=values.get("wsrep_ready") == "ON",
        connected=values.get("wsrep_connected") == "ON",
        cluster_state_uuid=values.get("wsrep_cluster_state_uuid", ""),
        last_committed=_int(values, "wsrep_last_committed", default=-1),
        incoming_addresses=tuple(a for a in incoming.split(",") if a),
        variables=MappingProxyType(values),
    )


WSREP_STATUS: Fact[GaleraStatus] = Fact(
    "the Galera status",
    ("mariadb", "-N", "-B", "-e", "SHOW GLOBAL STATUS LIKE 'wsrep_%'"),
    parse_wsrep_status,
)


def _rows_from_text(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, tab, value = line.partition("\t")
        if not tab or not name.startswith("wsrep_"):
            raise ParseError(_STATUS, f"line {number} is not 'wsrep_<name><TAB><value>': {line!r}")
        values[name] = value
    return values


def _rows_from_tuples(rows: Iterable[Sequence[str]]) -> dict[str, str]:
    values: dict[str, str] = {}
    for row in rows:
        if len(row) != 2:
            raise ParseError(_STATUS, f"expected (name, value) rows, got {tuple(row)!r}")
        values[str(row[0])] = "" if row[1] is None else str(row[1])
    return values


def _int(values: Mapping[str, str], name: str, *, default: int | None = None) -> int:
    raw = values.get(name, "")
    if raw == "" and default is not None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ParseError(_STATUS, f"{name}={raw!r} is not a number") from exc


def parse_grastate(text: str) -> GraState:
    """Parse ``/var/lib/mysql/grastate.dat``."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, colon, value = line.partition(":")
        if colon and not line.startswith("#"):
            fields[key.strip()] = value.strip()
    for key in ("uuid", "seqno"):
        if key not in fields:
            raise ParseError("grastate.dat", f"no '{key}:' line")
    try:
        seqno = int(fields["seqno"])
    except ValueError as exc:
        raise ParseError("grastate.dat", f"seqno {fields['seqno']!r} is not a number") from exc
    return GraState(
        uuid=fields["uuid"],
        seqno=seqno,
        safe_to_bootstrap=fields.get("safe_to_bootstrap", "0") == "1",
        version=fields.get("version", ""),
    )


def parse_wsrep_recover(log_text: str) -> tuple[str, int] | None:
    """The last "WSREP: Recovered position: uuid:seqno" of ``mariadbd --wsrep-recover``."""
    found = _RECOVERED.findall(log_text)
    if not found:
        return None
    uuid, seqno = found[-1]
    return uuid, int(seqno)
