"""render and secrets: config files for review, and the secrets in them on request.

``hastack render`` is a review tool: it needs no root and writes secrets into a state
directory only when asked. With ``--state-dir`` (or ``HASTACK_STATE_DIR``) the deployment's
secrets are read from there and missing ones generated and kept there (0600). Without it,
the secrets of a deployment already in the default state directory are used when this user
can read them, never changed; otherwise throwaway secrets are generated in memory for this
render only and exist nowhere but in the rendered files. A line on stderr says which.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import click

from .. import plan, render
from ..errors import StateError, path_error
from ..plan.fencing import lab_fencing
from ..secrets import SecretStore
from ..topology import ProfileName
from ..topology.load import load
from . import output
from .context import Context
from .plan_cmds import PROFILE

OUT_FIX = "pick an -o directory you can write"


@dataclasses.dataclass(frozen=True)
class RenderSecrets:
    store: SecretStore
    source: str  # "state" (read or kept there) or "throwaway" (this render only)
    path: Path  # the deployment's secrets.json, whether used or not
    note: str  # one sentence for stderr: where the secrets came from and where they are


def render_secrets(ctx: Context, deployment: str, out_dir: Path) -> RenderSecrets:
    """The secrets a render uses, by the rule in this module's docstring."""
    directory = ctx.deployment_dir(deployment)
    path = directory / "secrets.json"
    if ctx.state_dir_chosen:
        store = SecretStore(directory)
        made = store.ensure()
        note = "generated missing secrets into" if made else "secrets from"
        return RenderSecrets(store, "state", path, f"{note} {path} (mode 0600)")
    keep = f"pass --state-dir DIR to generate them into DIR/deployments/{deployment} and keep them"
    if os.access(path, os.R_OK):
        store = SecretStore(directory)
        if not store.missing():
            return RenderSecrets(store, "state", path, f"secrets from {path} (read only)")
        note = (
            f"secrets from {path} (read only); {len(store.missing())} missing ones are "
            f"throwaway, generated for this render only; {keep}"
        )
        return RenderSecrets(store.in_memory(), "throwaway", path, note)
    why = "cannot be read by this user" if path.exists() else "does not exist"
    note = (
        f"{path} {why}: rendered with throwaway secrets, generated for this render only and "
        f"kept nowhere but in the files under {out_dir}; {keep}"
    )
    return RenderSecrets(SecretStore.from_values({}).in_memory(), "throwaway", path, note)


@click.command(name="render")
@click.argument("bundle", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output-dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Write here, one directory per host.",
)
@PROFILE
@output.json_option("the files written and where the secrets came from")
@click.pass_obj
def render_cmd(
    ctx: Context, bundle: str, output_dir: str, profile: str | None, as_json: bool
) -> None:
    """Write every config file, one directory per host, for review or other tools.

    Needs no root. Secrets: with --state-dir (or HASTACK_STATE_DIR) they are read from, and
    missing ones kept in, that directory; without it, an existing deployment's secrets are
    read from /var/lib/hastack if this user can, else throwaway ones are generated for this
    render only. A line on stderr says which.
    """
    topo = load(bundle)
    result = plan.build_checked(topo, ProfileName(profile) if profile else None)
    root = ctx.writable(Path(output_dir), "the rendered files", OUT_FIX)
    secrets = render_secrets(ctx, topo.name, root)
    output.progress(secrets.note)
    written = _write_files(result, secrets.store, root)
    count = sum(len(files) for files in written.values())
    if as_json:
        output.emit_json(
            {
                "bundle": bundle,
                "output_dir": str(root),
                "files": count,
                "hosts": written,
                "secrets": {
                    "source": secrets.source,
                    "path": str(secrets.path),
                    "note": secrets.note,
                },
            }
        )
        return
    output.progress(f"wrote {count} files for {len(result.hosts)} hosts under {root}")


def _write_files(result: plan.Plan, store: SecretStore, root: Path) -> dict[str, list[str]]:
    """Write every host's files under *root*; return host -> the paths written."""
    fencing = lab_fencing(result)
    written: dict[str, list[str]] = {}
    try:
        for host in result.hosts:
            for item in render.render_host(result, host.name, store, fencing):
                target = root / host.name / item.path.lstrip("/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(item.text)
                target.chmod(item.mode if not item.secret else item.mode & 0o700)
                written.setdefault(host.name, []).append(item.path)
    except OSError as error:
        raise path_error(error, f"write the rendered files under {root}", OUT_FIX) from error
    return written


@click.group()
def secrets() -> None:
    """Show the generated secrets of a deployment (they are never printed otherwise)."""


@secrets.command(name="show")
@click.argument("deployment")
@click.option("--name", "names", multiple=True, help="Only these secrets.")
@output.json_option("the secrets")
@click.pass_obj
def secrets_show(ctx: Context, deployment: str, names: tuple[str, ...], as_json: bool) -> None:
    """Print the secrets of DEPLOYMENT (the bundle's name)."""
    store = SecretStore(ctx.deployment_dir(deployment))
    if not store.names():
        raise StateError(
            f"deployment {deployment!r} has no secrets in {store.path}; `hastack lab up` "
            "generates them, and so does `hastack --state-dir DIR render BUNDLE -o OUT` "
            "(into DIR)"
        )
    shown = {name: store.reveal(name) for name in names or store.names()}
    if as_json:
        output.emit_json({"deployment": deployment, "file": str(store.path), "secrets": shown})
        return
    for name, value in shown.items():
        output.line(f"{name}: {value}")
