"""``cibadmin --query --scope resources`` → the fence devices and their fence-loop guards.

The fence-loop guard (the alert agent ``/etc/hastack/fence-loop-alert``) marks a device in
the CIB: the meta attribute ``hastack-fence-guard`` holds why, and ``pcmk_reboot_action=off``
makes the fencer power the node off when asked to reboot it.
"""

from __future__ import annotations

import dataclasses

from lxml import etree

from . import Fact, xml_root

_SOURCE = "the CIB's resources (cibadmin XML)"
GUARD = "hastack-fence-guard"  # meta attribute: why the guard left the node off
REBOOT_ACTION = "pcmk_reboot_action"  # instance attribute: what a reboot request does


@dataclasses.dataclass(frozen=True)
class FenceDeviceState:
    id: str  # "fence-ctl-2"
    target: str  # the node it fences (pcmk_host_list)
    reboot_action: str = ""  # pcmk_reboot_action when set ("off" under the guard)
    guard: str = ""  # the guard's reason when it holds the node off

    @property
    def guarded(self) -> bool:
        return bool(self.guard)


def parse_fence_devices(xml: str) -> tuple[FenceDeviceState, ...]:
    root = xml_root(xml, _SOURCE, "resources")
    return tuple(
        FenceDeviceState(
            id=str(el.get("id", "")),
            target=_nvpair(el, "instance_attributes", "pcmk_host_list"),
            reboot_action=_nvpair(el, "instance_attributes", REBOOT_ACTION),
            guard=_nvpair(el, "meta_attributes", GUARD),
        )
        for el in root.iter("primitive")
        if el.get("class") == "stonith"
    )


def _nvpair(primitive: etree._Element, group: str, name: str) -> str:
    for nvpair in primitive.findall(f"{group}/nvpair"):
        if nvpair.get("name") == name:
            return str(nvpair.get("value", ""))
    return ""


FENCE_DEVICES: Fact[tuple[FenceDeviceState, ...]] = Fact(
    "the fence devices in the CIB",
    ("cibadmin", "--query", "--scope", "resources"),
    parse_fence_devices,
)
