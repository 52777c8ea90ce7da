"""``hastack lab up``: namespace nodes from the plan, then the same deployer real hosts get.

The lab is built from the plan (hosts, addresses, BMCs), so the addresses the renderers use
are the ones the nodes have. A lab keeps one deployment; another bundle needs a
``lab down`` first.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import logging
from pathlib import Path

from .. import catalog, plan
from ..apply import packages
from ..apply.deploy import deploy
from ..apply.report import Report
from ..errors import LabError
from ..kinds import deployable
from ..lab import spec as lab_spec
from ..lab.lab import Lab, require_root
from ..plan.addresses import lab_host_address
from ..plan.fencing import BMC_SECRET, BMC_USER, lab_bmc_address, lab_fencing
from ..secret import Secret
from ..secrets import SecretStore
from ..topology import NetworkRole, ProfileName, Topology
from ..topology.load import load

log = logging.getLogger(__name__)

# Bridges are named for their network ("hs-mgmt-0" carries 198.18.0.0/24), so labs of
# bundles with different networks can run side by side.
BRIDGES = {
    NetworkRole.MANAGEMENT: ("hs-mgmt", "m"),
    NetworkRole.EXTERNAL: ("hs-ext", "e"),
    NetworkRole.STORAGE: ("hs-stor", "s"),
}


def bridge_name(role: NetworkRole, cidr: ipaddress.IPv4Network) -> str:
    return f"{BRIDGES[role][0]}-{cidr.network_address.packed[2]}"


DEPLOYMENT_FILE = "deployment.json"


@dataclasses.dataclass(frozen=True)
class LabUp:
    plan: plan.Plan
    report: Report
    skipped: tuple[str, ...]  # applications hastack cannot deploy yet
    secrets_dir: Path


def spec_from_plan(result: plan.Plan, root: str, password: Secret) -> lab_spec.LabSpec:
    """The lab that matches *result*: one node per host, one bridge per network."""
    networks = result.topology.settings.networks
    roles = [r for r in BRIDGES if r in networks]
    bridges = tuple(
        lab_spec.BridgeSpec(
            bridge_name(r, networks[r].cidr),
            str(networks[r].cidr),
            str(lab_host_address(networks[r].cidr)),
            BRIDGES[r][1],
        )
        for r in roles
    )
    management = networks[NetworkRole.MANAGEMENT].cidr
    nodes = []
    for index, host in enumerate(result.hosts, start=1):
        interfaces = tuple(
            lab_spec.InterfaceSpec(
                bridge=b.name,
                name=a.interface,
                host_name=lab_spec.veth_name(host.name, b),
                address=str(a.address),
                prefixlen=a.network.prefixlen,
            )
            for b, r in zip(bridges, roles, strict=True)
            for a in host.addresses
            if a.role is r
        )
        bmc = lab_bmc_address(management, index)
        nodes.append(lab_spec.NodeSpec(host.name, interfaces, str(bmc)))
    paths = lab_spec.paths_of(k for k in result.kinds.values() if deployable(k))
    return lab_spec.LabSpec(
        nodes=tuple(nodes),
        bridges=bridges,
        bmc_password=password,
        bmc_user=BMC_USER,
        root=root,
        log_dirs=paths.log_dirs,
        run_dirs=paths.run_dirs,
    )


# A lab node boots this machine's systemd with systemd-nspawn; its units talk D-Bus.
NODE_BOOT_PACKAGES = ("systemd", "systemd-container", "dbus")


def needed_packages(result: plan.Plan) -> list[str]:
    kinds = {k for k in result.kinds.values() if deployable(k)}
    names = {p for k in kinds for p in catalog.by_name(k).packages}
    return sorted(names | set(packages.BASE_PACKAGES) | set(NODE_BOOT_PACKAGES))


def check_lab_shape(topo: Topology, result: plan.Plan) -> None:
    if any(h.container for h in result.hosts):
        raise LabError(
            f"{topo.file}: the lab runs one node per machine and no containers; remove the "
            "lxc:/lxd: placements (hastack deploys onto lab nodes only, so far)"
        )
    management = topo.settings.networks.get(NetworkRole.MANAGEMENT)
    if management is None:
        raise LabError(f"{topo.file}: the lab needs a management network under hastack.networks")
    lab_net = ipaddress.IPv4Network("198.18.0.0/15")
    for network in topo.settings.networks.values():
        if not network.cidr.subnet_of(lab_net):
            raise LabError(
                f"{topo.file}: network {network.cidr} is outside 198.18.0.0/15, the range the "
                "lab may use; pick networks inside it"
            )
    if len(result.hosts) > lab_spec.MAX_NODES:
        raise LabError(
            f"the lab holds at most {lab_spec.MAX_NODES} nodes; the bundle has "
            f"{len(result.hosts)} machines"
        )


def _claim(lab: Lab, topo: Topology) -> None:
    """Record which deployment the lab holds; refuse a different one while it runs."""
    record = lab.layout.root / DEPLOYMENT_FILE
    mine = {"name": topo.name, "file": str(Path(topo.file or "").resolve())}
    if record.exists():
        held = json.loads(record.read_text())
        try:
            running = any(s.running for s in lab.status())
        except LabError:  # no lab.json: the lab was taken down
            running = False
        if held.get("name") != topo.name and running:
            raise LabError(
                f"the lab is running deployment {held.get('name')!r} (from {held.get('file')}); "
                "run `hastack lab down` before bringing up another bundle"
            )
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(mine, indent=1) + "\n")


def lab_up(
    bundle: str | Path,
    *,
    state_dir: Path,
    profile: ProfileName | None,
    report: Report,
) -> LabUp:
    require_root()
    topo = load(bundle)
    result = plan.build_checked(topo, profile)
    check_lab_shape(topo, result)
    lab = Lab(state_dir / "lab")
    _claim(lab, topo)
    host = lab.host_connector()
    installed = packages.install(host, needed_packages(result))
    report.add(
        "host",
        "packages",
        bool(installed),
        f"installed {' '.join(installed)}" if installed else "Debian packages present",
    )
    secrets_dir = state_dir / "deployments" / topo.name
    store = SecretStore(secrets_dir)
    if store.ensure():
        report.add("host", "secrets", True, f"generated secrets in {store.path} (0600)")
    spec = spec_from_plan(result, str(lab.layout.root), store.get(BMC_SECRET))
    done = lab.up(spec)
    report.add("host", "lab", bool(done), "; ".join(done) if done else "lab nodes running")
    connectors = {h.name: lab.connector(h.name) for h in result.hosts}
    deploy(result, connectors, store, lab_fencing(result), report)
    skipped = tuple(sorted(a for a, k in result.kinds.items() if not deployable(k)))
    return LabUp(result, report, skipped, secrets_dir)
