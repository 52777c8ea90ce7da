"""What a Heat client does, as a drill's proof that the engines work after a fault: a new
stack of resources that need nothing else reaches CREATE_COMPLETE, and is deleted.

It runs Debian's ``openstack`` client on a Heat unit through its Connector, against the
internal endpoints (the same on an SSH host), the admin's password in its environment. A
stack completes only when heat-api reached a live engine over RabbitMQ and the engine
reached the database: after a broker or a node was lost, the clients reconnected.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping

from ...errors import ConnectError, DeployError
from ...hosts import CommandResult, Connector
from ...openstack import identity
from ...plan import Plan
from ...secrets import SecretStore

TEMPLATE = """\
heat_template_version: 2018-08-31
description: hastack's client check - resources that need no other service
resources:
  word:
    type: OS::Heat::RandomString
  nothing:
    type: OS::Heat::None
"""
TIMEOUT_S = 180.0  # the client's start (2-5 s), the stack (1-3 s) and a loaded machine
RETRY_S = 5.0  # between a failed try and the next, as a patient client waits


def _unit(plan: Plan, app: str, hosts: Mapping[str, Connector]) -> Connector:
    """The first unit that answers, leader first."""
    units = sorted(plan.units_of(app), key=lambda u: u.number)
    for unit in units:
        conn = hosts[unit.host]
        try:
            if conn.run(["true"], timeout=10).ok:
                return conn
        except ConnectError:
            continue
    raise DeployError(f"{app}: no unit answers, so no client can ask for a stack")


def stack_completes(
    plan: Plan, app: str, hosts: Mapping[str, Connector], secrets: SecretStore
) -> str:
    """Create a stack on a unit until one reaches CREATE_COMPLETE within TIMEOUT_S, as a
    client would try again after an error; delete each; say how long the working one took."""
    conn = _unit(plan, app, hosts)
    env = identity.admin_env(plan, app, secrets)
    deadline = time.monotonic() + TIMEOUT_S
    tries: list[str] = []
    while True:
        name = f"hastack-check-{uuid.uuid4().hex[:8]}"
        begun = time.monotonic()
        made, gone = _create_and_delete(conn, env, name, deadline - begun)
        if made.ok and "CREATE_COMPLETE" in made.stdout:
            took = time.monotonic() - begun
            before = f" after {len(tries)} failed ({tries[-1]})" if tries else ""
            return f"stack {name} CREATE_COMPLETE in {took:.1f} s from {conn.name}{before}; {gone}"
        said = (made.stderr.strip().splitlines() or [made.stdout.strip() or "no output"])[-1]
        tries.append("no answer" if made.exit_code == 124 else said[:300])
        if time.monotonic() + RETRY_S >= deadline:
            raise DeployError(
                f"{app}: no new stack completed from {conn.name} within {TIMEOUT_S:g} s "
                f"({len(tries)} tries, the last: {tries[-1]}); "
                "read /var/log/heat/heat-engine.log on every unit"
            )
        time.sleep(RETRY_S)


def _create_and_delete(
    conn: Connector, env: Mapping[str, str], name: str, timeout: float
) -> tuple[CommandResult, str]:
    """``openstack stack create --wait``, then delete the stack whatever happened."""
    path = f"/run/hastack/{name}.yaml"
    conn.write_file(path, TEMPLATE)
    try:
        create = ["openstack", "stack", "create", "--wait", "-t", path, name]
        made = conn.run([*create, "-f", "value", "-c", "stack_status"], env=env, timeout=timeout)
    finally:
        delete = ["openstack", "stack", "delete", "--yes", "--wait", name]
        deleted = conn.run(delete, env=env, timeout=TIMEOUT_S)
        conn.run(["rm", "-f", "--", path])
    return made, "deleted" if deleted.ok else f"not deleted (`openstack stack delete {name}`)"
