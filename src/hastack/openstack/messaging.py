"""RabbitMQ clients: quorum queues are asked for only of an oslo.messaging that knows them.

oslo.config ignores an option it does not know, so ``rabbit_quorum_queue = true`` given to
an oslo.messaging without it would quietly declare classic queues that live on one broker.
Each unit's library is asked what its ``[oslo_messaging_rabbit]`` options are (the list
``oslo-config-generator`` reads) before a service that uses RPC starts there.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

from ..apply.report import Report
from ..errors import DeployError
from ..hosts import Connector

OPTION = "rabbit_quorum_queue"
PROBE = """
import importlib.metadata, json, oslo_messaging.opts
names = [o.name for g, opts in oslo_messaging.opts.list_opts() if g == "oslo_messaging_rabbit"
         for o in opts]
print(json.dumps({"version": importlib.metadata.version("oslo.messaging"), "options": names}))
"""


def rabbit_options(conn: Connector) -> tuple[str, list[str]]:
    """(oslo.messaging's version, its ``[oslo_messaging_rabbit]`` option names) on *conn*."""
    result = conn.run(["/usr/bin/python3", "-c", PROBE], timeout=60)
    if not result.ok:
        tail = " ".join(result.stderr.strip().splitlines()[-1:])[:200]
        raise DeployError(
            f"on {conn.name}: python3 cannot import oslo.messaging ({tail}); install "
            "python3-oslo.messaging (the service's Debian package depends on it)"
        )
    found = json.loads(result.stdout)
    return str(found["version"]), [str(name) for name in found["options"]]


def ensure_quorum_queues(members: Mapping[str, Connector], app: str, report: Report) -> None:
    """Every unit's oslo.messaging declares quorum queues; a DeployError names any that
    cannot (its queues would be classic ones on a single broker)."""
    hosts = sorted(members)
    with ThreadPoolExecutor(max_workers=max(1, len(hosts))) as pool:
        found = dict(
            zip(hosts, pool.map(rabbit_options, [members[h] for h in hosts]), strict=True)
        )
    lacking = sorted(host for host, (_version, names) in found.items() if OPTION not in names)
    if lacking:
        versions = ", ".join(f"{h}: {found[h][0]}" for h in lacking)
        raise DeployError(
            f"{app}: oslo.messaging on {', '.join(lacking)} ({versions}) has no {OPTION} "
            "option, so its RPC queues would be classic queues on one broker, lost with it; "
            "install an oslo.messaging that has it (12.13 or later; Debian 12 ships 14.0)"
        )
    seen = sorted({version for version, _names in found.values()})
    report.add(
        "cluster",
        f"{app}-messaging",
        False,
        f"oslo.messaging {', '.join(seen)} on {', '.join(hosts)} declares quorum queues",
    )
