"""Every kind's package imports on its own, first thing in a fresh interpreter: the catalog
it starts must not find that kind half-imported (a test module importing
``hastack.kinds.galera.health`` first stopped collection with a circular import)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

from hastack import kinds

PACKAGES = sorted(m.name for m in pkgutil.iter_modules(kinds.__path__) if m.ispkg)


@pytest.mark.parametrize("package", PACKAGES)
def test_a_kind_imports_first_in_a_fresh_interpreter(package: str) -> None:
    modules = [f"hastack.kinds.{package}"]
    modules += [
        f"hastack.kinds.{package}.{m.name}"
        for m in pkgutil.iter_modules([f"{kinds.__path__[0]}/{package}"])
    ]
    for module in modules:
        done = subprocess.run(
            [sys.executable, "-c", f"import {module}"], capture_output=True, text=True
        )
        assert done.returncode == 0, f"import {module}:\n{done.stderr[-600:]}"
