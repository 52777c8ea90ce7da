"""hastack lab: the embedded default target (namespace nodes on this machine)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
from importlib import resources
from pathlib import Path

import click

from .. import plan
from ..apply import packages
from ..apply.report import Report, StepResult
from ..hosts.local import LocalConnector
from ..lab.lab import require_root
from ..ops.clients import write_client_files
from ..ops.lab_up import DEPLOYMENT_FILE, lab_up, needed_packages
from ..secrets import SecretStore
from ..topology import ProfileName
from ..topology.load import load
from . import output
from .context import Context

# Tools the tests use to check rendered configs, beyond what the default bundle deploys.
CHECKERS = ("keepalived", "haproxy", "corosync", "pacemaker-cli-utils", "crmsh")


def default_bundle() -> Path:
    """The HA core plus Swift and Glance: the cloud as far as hastack deploys it."""
    return Path(str(resources.files("hastack") / "examples" / "lab-cloud.yaml"))


def _progress(result: StepResult) -> None:
    mark = "changed" if result.changed else "ok"
    output.progress(f"[{result.host}] {result.step}: {result.message} ({mark})")


@click.group()
def lab() -> None:
    """The lab: N nodes made of Linux namespaces on this machine."""


@lab.command(name="up")
@click.argument("bundle", required=False, type=click.Path(dir_okay=False, exists=True))
@click.option(
    "--profile",
    type=click.Choice([p.value for p in ProfileName]),
    default=None,
    help="Timer profile (default: the bundle's).",
)
@output.json_option("what was done")
@click.pass_obj
def up(ctx: Context, bundle: str | None, profile: str | None, as_json: bool) -> None:
    """Create the lab nodes and deploy BUNDLE onto them (default: examples/lab-cloud.yaml)."""
    require_root()
    path = Path(bundle) if bundle else default_bundle()
    ctx.writable(ctx.state_dir, "the lab and the deployment's secrets")
    ctx.lab_record()  # a corrupt record is reported before anything is touched
    report = Report(on_step=None if as_json else _progress)
    done = lab_up(
        path,
        state_dir=ctx.state_dir,
        profile=ProfileName(profile) if profile else None,
        report=report,
    )
    clients = write_client_files(done.plan, SecretStore(done.secrets_dir), done.secrets_dir)
    if as_json:
        data = report.to_dict()
        data["skipped"] = list(done.skipped)
        data["clients"] = {"clouds_yaml": str(clients.clouds_yaml)} if clients else {}
        output.emit_json(data)
        return
    summary = "changed the lab" if report.changed else "no changes"
    output.line(f"lab up: {summary} in {report.elapsed():g} s")
    for cluster in done.plan.clusters:
        for vip in cluster.vips:
            ports = sorted({f.port for f in cluster.frontends if vip.address in f.vips})
            output.line(
                f"  VIP {vip.address} ({vip.application}) ports "
                f"{', '.join(map(str, ports)) or '-'}"
            )
    for app in done.skipped:
        output.line(f"  {app}: not deployed (hastack cannot deploy {done.plan.kinds[app]} yet)")
    output.line(
        f"  secrets: {done.secrets_dir}/secrets.json (`hastack secrets show "
        f"{done.plan.topology.name}`)"
    )
    if clients is not None:
        output.line(
            f"  clients: {clients.clouds_yaml} (cloud `hastack`: `OS_CLIENT_CONFIG_FILE="
            f"{clients.clouds_yaml} openstack --os-cloud hastack token issue`), "
            f"{clients.openrc}; Keystone {clients.auth_url}"
        )
        if clients.dashboard_url:
            output.line(f"  dashboard: {clients.dashboard_url} (user admin)")
    output.line("  health: `hastack status`")


@lab.command(name="prepare")
@click.argument("bundle", required=False, type=click.Path(dir_okay=False, exists=True))
@output.json_option("the packages installed")
def prepare(bundle: str | None, as_json: bool) -> None:
    """Install the Debian packages the lab needs for BUNDLE (and the config checkers)."""
    require_root()
    result = plan.build_checked(load(Path(bundle) if bundle else default_bundle()))
    wanted = [*needed_packages(result), *CHECKERS]
    installed = packages.install(LocalConnector(), wanted)
    if as_json:
        output.emit_json({"wanted": wanted, "installed": installed})
        return
    output.line(f"installed {' '.join(installed)}" if installed else "Debian packages present")


@lab.command(name="down")
@click.option(
    "--wipe",
    is_flag=True,
    help="Also delete the nodes' disks (the deployment's secrets stay in the state directory).",
)
@output.json_option("what was removed")
@click.pass_obj
def down(ctx: Context, wipe: bool, as_json: bool) -> None:
    """Remove every namespace, bridge, veth, mount, BMC and process of the lab."""
    require_root()
    lab = ctx.lab()
    done = lab.down(wipe=wipe)
    if wipe:
        (lab.layout.root / DEPLOYMENT_FILE).unlink(missing_ok=True)
    if as_json:
        output.emit_json({"removed": done, "wiped": wipe})
        return
    output.line("lab down: " + ("; ".join(done) if done else "nothing to remove"))


@lab.command(name="exec", context_settings={"ignore_unknown_options": True})
@click.argument("node")
@click.argument("argv", nargs=-1, required=True, type=click.UNPROCESSED)
@click.pass_obj
def exec_cmd(ctx: Context, node: str, argv: tuple[str, ...]) -> None:
    """Run a command inside NODE (its network, mounts, hostname and processes)."""
    require_root()
    connector = ctx.lab().connector(node)
    argv_list = list(argv)
    if argv_list and argv_list[0] == "--":
        argv_list = argv_list[1:]
    code = subprocess.call(connector.enter_argv(argv_list), env={**os.environ, "HOME": "/root"})
    raise SystemExit(code)


@lab.command(name="power")
@click.argument("node")
@click.argument("action", type=click.Choice(["on", "off", "soft", "cycle", "status"]))
@output.json_option("what was done")
@click.pass_obj
def power(ctx: Context, node: str, action: str, as_json: bool) -> None:
    """Power NODE on or off as its BMC would (off cuts its links, then kills it)."""
    require_root()
    said = ctx.lab().power(node, action)
    if as_json:
        output.emit_json({"node": node, "action": action, "result": said})
        return
    output.line(said)


@lab.command(name="nodes")
@output.json_option("the nodes")
@click.pass_obj
def nodes(ctx: Context, as_json: bool) -> None:
    """List the lab's nodes: running, the host PID of its PID 1 (systemd), BMC, links."""
    rows = ctx.lab().status()
    if as_json:
        output.emit_json({"nodes": [dataclasses.asdict(r) for r in rows]})
        return
    for r in rows:
        state = "on" if r.running else "off"
        links = "links up" if r.links_up else "links DOWN"
        output.line(
            f"{r.name:10} {state:4} pid {r.init_pid or '-':>7}  BMC {r.bmc_address}"
            f" ({'up' if r.bmc_up else 'down'})  {links}"
        )
