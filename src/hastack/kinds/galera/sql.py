"""Galera's client side, for the kinds that keep data in it: SQL as root on a member's
socket, users created from a password hash, the management network as the host pattern."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from ...errors import DeployError
from ...hosts import Connector
from ...plan import Plan, queries
from ...topology import NetworkRole


def sql(conn: Connector, query: str) -> list[list[str]]:
    """Rows of a query run as root on a Galera member's socket (the query on stdin)."""
    result = conn.check(["mariadb", "-N", "-B"], stdin=query, timeout=60)
    return [line.split("\t") for line in result.stdout.splitlines() if line]


def native_password_hash(password: str) -> str:
    """MariaDB's mysql_native_password hash: '*' + upper hex SHA1(SHA1(password)).

    Users are created from the hash so no statement holds a password: mariadb echoes a
    failing statement, and that text ends up in error messages.
    """
    inner = hashlib.sha1(password.encode()).digest()
    return "*" + hashlib.sha1(inner).hexdigest().upper()


def management_hosts(plan: Plan) -> str:
    """MariaDB's host pattern for the management network: 'address/netmask'."""
    network = plan.topology.settings.networks[NetworkRole.MANAGEMENT].cidr
    return f"{network.network_address}/{network.netmask}"


def live_member(plan: Plan, application: str, hosts: Mapping[str, Connector]) -> Connector:
    """A member running mariadbd of the Galera application *application* keeps data in."""
    galera = queries.one_related(plan, application, "galera", "a database")
    for unit in sorted(plan.units_of(galera), key=lambda u: u.number):
        if hosts[unit.host].run(["pgrep", "-x", "mariadbd"]).ok:  # Pacemaker runs it
            return hosts[unit.host]
    raise DeployError(f"{application}: no member of {galera} runs mariadbd; deploy {galera} first")
