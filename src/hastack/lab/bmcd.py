"""The BMC daemon: IPMI over UDP 623, one virtual BMC per lab node on its own address.

``python -m hastack.lab.bmcd STATE_ROOT`` reads the BMC password from stdin (never argv or
the environment), loads ``STATE_ROOT/lab.json`` and serves every node's BMC with pyghmi (one
event loop for all sockets). ``ipmitool -I lanplus`` and ``fence_ipmilan --lanplus`` talk to
it exactly as to a real BMC. Each BMC logs to ``bmc/<node>.log``, never the password.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from pyghmi.ipmi.bmc import Bmc

from .. import errors
from ..secret import Secret
from . import power, proc
from .layout import LabLayout
from .spec import LabSpec, NodeSpec, spec_from_dict

log = logging.getLogger(__name__)

NOT_IN_PRESENT_STATE = 0xD5  # "command not supported in present state", as real BMCs say
UNSPECIFIED_ERROR = 0xFF


class NodeBmc(Bmc):  # type: ignore[misc]
    """The BMC of one lab node: chassis power = the node's init process."""

    def __init__(self, spec: LabSpec, node: NodeSpec, layout: LabLayout) -> None:
        authdata = {spec.bmc_user: spec.bmc_password.reveal()}
        bmc_uuid = uuid.uuid5(uuid.NAMESPACE_DNS, f"{node.name}.bmc.hastack")
        super().__init__(authdata, port=623, bmcuuid=bmc_uuid, address=node.bmc_address)
        self.spec, self.node, self.layout = spec, node, layout.node(node.name)
        self.log = logging.getLogger(f"{__name__}.{node.name}")

    def _act(self, what: str, action: Callable[[], str]) -> int:
        started = time.monotonic()
        try:
            said = action()
        except (errors.HastackError, OSError) as exc:
            self.log.error("power %s failed: %s", what, exc)
            return UNSPECIFIED_ERROR
        self.log.info("power %s: %s (%.0f ms)", what, said, 1000 * (time.monotonic() - started))
        return 0

    def get_power_state(self) -> str:
        state = "on" if power.is_on(self.node, self.layout) else "off"
        self.log.debug("power status: %s", state)
        return state

    def power_on(self) -> int:
        return self._act("on", lambda: power.power_on(self.spec, self.node, self.layout))

    def power_off(self) -> int:
        return self._act("off", lambda: power.power_off(self.node, self.layout))

    def power_shutdown(self) -> int:
        return self._act("soft", lambda: power.power_soft(self.node, self.layout))

    def power_cycle(self) -> int:
        if not power.is_on(self.node, self.layout):
            self.log.info("power cycle refused: the node is off (0xd5)")
            return NOT_IN_PRESENT_STATE
        code = self.power_off()
        return code or self.power_on()

    def power_reset(self) -> int:
        return self.power_cycle()

    def is_active(self) -> bool:
        return power.is_on(self.node, self.layout)

    def cold_reset(self) -> int:
        return 0

    def get_system_guid(self) -> uuid.UUID:
        return self.uuid  # type: ignore[no-any-return]


def _configure_logging(layout: LabLayout, spec: LabSpec) -> None:
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(fmt)
    root.addHandler(stream)
    for node in spec.nodes:
        handler = logging.FileHandler(layout.bmc_node_log(node.name))
        handler.setFormatter(fmt)
        logging.getLogger(f"{__name__}.{node.name}").addHandler(handler)


def _wake_io_thread(address: str) -> None:
    """Make pyghmi's I/O thread select on every BMC socket, not only the first one.

    Its thread starts with the first socket and sleeps in select() for up to 300 s on the
    socket list of that moment; a packet shorter than 4 bytes wakes it and is ignored.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(b"\x01", (address, 623))


def main(argv: list[str]) -> int:
    """The BMC daemon's entry point (a program: it configures its own logging)."""
    layout = LabLayout(Path(argv[1]))
    password = Secret(sys.stdin.readline().rstrip("\n"))
    spec = spec_from_dict(json.loads(layout.spec.read_text()), password)
    _configure_logging(layout, spec)
    bmcs = [NodeBmc(spec, node, layout) for node in spec.nodes]
    for node in spec.nodes:
        log.info(
            "BMC of %s listening on %s:623 (user %s)", node.name, node.bmc_address, spec.bmc_user
        )
    _wake_io_thread(spec.nodes[0].bmc_address)
    proc.write_pid(layout.bmc_pid, os.getpid())
    bmcs[0].listen(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
