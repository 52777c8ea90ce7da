"""Health: pure checks over parsed facts, the status ladder and the report.

Each check is a pure ``evaluate_*`` function (facts + expectations → ``list[CheckResult]``);
gathering the facts through Connectors lives in ``gather``. The cluster layer's checks are
here; each kind's own live in its package (``kinds/<kind>/health.py``) and are run by its
``Service.health``.
"""

from __future__ import annotations

from .report import HealthReport, render_table
from .status import CheckResult, Status, worst

__all__ = ["CheckResult", "HealthReport", "Status", "render_table", "worst"]
