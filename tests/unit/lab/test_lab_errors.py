"""The lab's preflight errors say what is wrong and what to do."""

from __future__ import annotations

import pytest

from hastack import errors
from hastack.lab import lab as lab_module


def test_not_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lab_module.os, "geteuid", lambda: 1000)
    with pytest.raises(errors.LabError) as caught:
        lab_module.require_root()
    assert str(caught.value) == "hastack lab needs root: run it with sudo"


def test_missing_tool_names_the_debian_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        lab_module.shutil,
        "which",
        lambda tool, path=None: None if tool == "nsenter" else f"/usr/bin/{tool}",
    )
    with pytest.raises(errors.LabError) as caught:
        lab_module.require_tools()
    assert str(caught.value) == (
        "hastack lab needs `nsenter` (Debian package util-linux); install them first"
    )


def test_powered_off_node_says_how_to_power_it_on() -> None:
    from hastack.hosts.lab import LabConnector

    with pytest.raises(errors.ConnectError) as caught:
        LabConnector("ctl-2", lambda: None).run(["true"])
    assert str(caught.value) == (
        "lab node ctl-2 is powered off; power it on with `hastack lab power ctl-2 on`"
    )
