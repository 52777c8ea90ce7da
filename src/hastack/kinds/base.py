"""What hastack does with a service kind: the behaviour beside the catalog's data.

A kind's package (``kinds/<kind>/``) holds everything about it: ``KIND`` in its
``__init__.py`` is the catalog data (ports, HA model, packages, quorum rule, relations,
secrets, the paths the lab gives it), importable without the rest; ``SERVICE`` in its
``service.py`` is what this module describes - its renderer, its deploy step, what a changed
file of it restarts, its health checks, its failover budgets, the Pacemaker resources it adds
to its cluster and what drills may do to it.
The registries everything else uses are built from these (``hastack.kinds``); nothing
outside a kind's package chooses behaviour by the kind's name.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from ..apply.report import Report
from ..catalog import ServiceKind
from ..health.status import CheckResult
from ..hosts import Connector
from ..plan.model import Cluster, FailoverBudget, FenceDevice, Frontend, Plan
from ..plan.profiles import TimerProfile
from ..render.base import RenderedFile
from ..render.cib import Resources
from ..secrets import SecretStore

if TYPE_CHECKING:
    from ..drills.probes import Probe

Renderer = Callable[[Plan, str, SecretStore, Mapping[str, FenceDevice]], list[RenderedFile]]
"""The files one host needs for this kind (``[]`` when it runs none of its units)."""

Deployer = Callable[[Plan, str, Mapping[str, Connector], SecretStore, Report], None]
"""Bring one application of this kind up (or confirm it is up) on its units' hosts."""

Reloader = Callable[[Connector, Sequence[str], Report], None]
"""Make a running daemon read its changed files; the paths are every file that changed."""

HealthCheck = Callable[[Plan, str, Mapping[str, Connector]], list[CheckResult]]
"""Gather facts about one application from its units' hosts and judge them."""

Budgets = Callable[[str, TimerProfile], tuple[FailoverBudget, ...]]
"""The predicted outages of losing a member of one application of this kind."""

ClusterResources = Callable[[Plan, Cluster, str], Resources]
"""The Pacemaker resources one application of this kind adds to its cluster's CIB (a
promotable clone of a resource agent, its constraints); ``render/cib.py`` merges them."""

ClientProbes = Callable[[Plan, Frontend, SecretStore], "list[Probe]"]
"""Drill probes that ask one frontend of this kind what only a real client would ask."""

ClientsRecovered = Callable[[Plan, str, Mapping[str, Connector], SecretStore], str]
"""After a fault has ended and status is green: the work a real client does with one
application succeeds again within the check's own deadline (a new Heat stack completes, so
the engines reconnected to the brokers). Says what it saw; raises a HastackError if not."""


@dataclasses.dataclass(frozen=True)
class UnitProcess:
    """How a drill finds one unit's server process on its host: a ``pgrep -f`` pattern."""

    pattern: str
    label: str  # what the drill says it killed: "keystone (apache2)"


@dataclasses.dataclass(frozen=True)
class Service:
    """One kind's behaviour. Fields left ``None`` mean the kind has none of it."""

    kind: ServiceKind
    render: Renderer | None = None
    deploy: Deployer | None = None
    reload: Reloader | None = None
    health: HealthCheck | None = None
    budgets: Budgets | None = None
    cluster_resources: ClusterResources | None = None
    unit_process: UnitProcess | None = None
    client_probes: ClientProbes | None = None
    clients_recovered: ClientsRecovered | None = None

    @property
    def name(self) -> str:
        return self.kind.name

    @property
    def deployable(self) -> bool:
        """hastack deploys it: it renders its files or runs its deploy step."""
        return self.deploy is not None or self.render is not None
