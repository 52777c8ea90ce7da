"""Health: pure checks over parsed facts, the status ladder and the report.

Each check is a pure ``evaluate_*`` function (facts + expectations → ``list[CheckResult]``);
gathering the facts through Connectors lives in ``gather``. ``CHECKS`` is the registry the
catalog's ``health_checks`` names refer to.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from types import MappingProxyType

from .api import evaluate_api
from .galera import evaluate_galera
from .haproxy import evaluate_haproxy
from .memcached import evaluate_memcached
from .pacemaker import ExpectedResource, evaluate_pacemaker
from .rabbitmq import evaluate_rabbitmq
from .report import HealthReport, render_table
from .status import CheckResult, Status, worst
from .vip import ExpectedVip, evaluate_vips


@dataclasses.dataclass(frozen=True)
class Check:
    name: str
    description: str
    evaluate: Callable[..., list[CheckResult]]


CHECKS = MappingProxyType(
    {
        check.name: check
        for check in (
            Check(
                "pacemaker.cluster",
                "all nodes online with quorum, no UNCLEAN node, resources and fence devices"
                " started where planned, failed actions and fencing listed",
                evaluate_pacemaker,
            ),
            Check("vip.single-holder", "every VIP is held by exactly one node", evaluate_vips),
            Check(
                "haproxy.backends",
                "every HAProxy backend on every node has its servers up; Galera has one writer",
                evaluate_haproxy,
            ),
            Check(
                "galera.cluster",
                "cluster size as planned, one Primary component, every member Synced",
                evaluate_galera,
            ),
            Check(
                "rabbitmq.cluster",
                "all nodes running, no partition or alarm, quorum queues led with members online",
                evaluate_rabbitmq,
            ),
            Check("memcached.up", "every memcached instance answers `stats`", evaluate_memcached),
            Check(
                "api.units",
                "every unit of a stateless API answers its health URL on its own address",
                evaluate_api,
            ),
        )
    }
)

__all__ = [
    "CHECKS",
    "Check",
    "CheckResult",
    "ExpectedResource",
    "ExpectedVip",
    "HealthReport",
    "Status",
    "render_table",
    "worst",
]
