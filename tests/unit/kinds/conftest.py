"""The kinds' tests render the golden bundles (tests/golden/golden_cases.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "golden"))
