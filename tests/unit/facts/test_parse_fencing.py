"""``cibadmin --query --scope resources`` with the fence-loop guard on ctl-3's device, in
the shape the lab's Pacemaker 2.1.5 writes it (nvpair ids as ``crm_resource`` makes them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hastack.facts import ParseError
from hastack.facts.fencing import FenceDeviceState, parse_fence_devices

FIXTURE = (
    Path(__file__).parents[2] / "fixtures" / "facts" / "pacemaker" / "cib-resources-guarded.xml"
)


def test_each_fence_device_with_its_target_and_guard() -> None:
    devices = parse_fence_devices(FIXTURE.read_text())
    assert devices == (
        FenceDeviceState("fence-ctl-1", "ctl-1"),
        FenceDeviceState("fence-ctl-2", "ctl-2"),
        FenceDeviceState(
            "fence-ctl-3",
            "ctl-3",
            "off",
            "fenced 4 times within 10 min (21:24:05 to 21:24:35 UTC, limit 4): a fence loop",
        ),
    )
    assert [d.guarded for d in devices] == [False, False, True]


def test_an_empty_configuration_has_no_devices() -> None:
    assert parse_fence_devices("<resources/>") == ()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("<resources>", "not well-formed XML"),
        ("<cib/>", "root element is <cib>, expected <resources>"),
    ],
)
def test_what_is_not_the_resources_section_is_a_parse_error(text: str, problem: str) -> None:
    with pytest.raises(ParseError, match=problem):
        parse_fence_devices(text)
