"""The fence-loop guard: its alert agent on every cluster node, and the guard carried over
when the deployer replaces the CIB's configuration.

The agent (``templates/fence_loop_alert.py``, standard library only) runs on each fencing
event; a node rebooted by fencing ``fencings`` times within ``window_s`` is left off and its
fence device is marked (``facts.fencing``). The mark is live state, not configuration: a
redeploy keeps it, and only ``hastack recover fencing NODE`` clears it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lxml import etree

from ..facts.fencing import GUARD, REBOOT_ACTION, FenceDeviceState
from .base import RenderedFile, header
from .jinja import TEMPLATES
from .nvpairs import set_nvpair

AGENT = "/etc/hastack/fence-loop-alert"
ALERT_ID = "fence-loop-guard"
ALERT_TIMEOUT_S = 60  # the agent may fence once more (an "off"); Pacemaker's default is 30 s
TEMPLATE = TEMPLATES / "fence_loop_alert.py"


def agent_file() -> RenderedFile:
    """The alert agent: the template with the generated-by header after its ``#!`` line."""
    shebang, _, body = TEMPLATE.read_text().partition("\n")
    return RenderedFile(AGENT, f"{shebang}\n{header()}{body}", 0o755)


def guards(devices: Iterable[FenceDeviceState]) -> dict[str, str]:
    """Fence device id -> the guard's reason, for the devices the guard holds."""
    return {d.id: d.guard for d in devices if d.guarded}


def notes(devices: Iterable[FenceDeviceState]) -> list[str]:
    """One sentence per guarded node, for the deploy report."""
    return [
        f"{d.target} stays powered off by the fence-loop guard ({d.guard}); after fixing the"
        f" cause run `hastack recover fencing {d.target}`"
        for d in devices
        if d.guarded
    ]


def carry_over(configuration_xml: str, held: Mapping[str, str]) -> str:
    """*configuration_xml* (a ``<configuration>``) with every guard in *held* set again on
    its fence device, so that replacing the configuration does not undo it."""
    if not held:
        return configuration_xml
    root = etree.fromstring(configuration_xml.encode())
    for primitive in root.iter("primitive"):
        reason = held.get(str(primitive.get("id")))
        if reason is not None:
            _set(primitive, "instance_attributes", REBOOT_ACTION, "off")
            _set(primitive, "meta_attributes", GUARD, reason)
    return str(etree.tostring(root, encoding="unicode"))


def _set(primitive: etree._Element, group: str, name: str, value: str) -> None:
    rid = primitive.get("id")
    attrs = primitive.find(group)
    if attrs is None:
        attrs = etree.SubElement(primitive, group, {"id": f"{rid}-{group}"})
    set_nvpair(attrs, name, value)
