"""Entry point: the command group, logging, and the three error tiers.

An expected error (``HastackError``) prints one paragraph and exits 1; a usage error exits
2; anything else is a bug: the traceback goes to the debug log and the user gets its path.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import traceback
from pathlib import Path

import click

from ..errors import HastackError
from . import drill_cmds, keystone_cmds, lab_cmds, output, plan_cmds, status_cmds
from .context import Context

log = logging.getLogger("hastack")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--state-dir",
    envvar="HASTACK_STATE_DIR",
    default=None,
    help="Where deployments keep secrets and state (default /var/lib/hastack).",
)
@click.option("-v", "--verbose", count=True, help="More log output on stderr.")
@click.version_option(package_name="hastack")
@click.pass_context
def cli(ctx: click.Context, state_dir: str | None, verbose: int) -> None:
    """Plan, deploy, prove and operate a highly available OpenStack control plane."""
    level = logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = Context.create(state_dir, verbose)


cli.add_command(plan_cmds.validate)
cli.add_command(plan_cmds.plan_cmd)
cli.add_command(plan_cmds.render_cmd)
cli.add_command(plan_cmds.secrets)
cli.add_command(lab_cmds.lab)
cli.add_command(status_cmds.status)
cli.add_command(keystone_cmds.rotate_keys)
cli.add_command(drill_cmds.drill)
cli.add_command(drill_cmds.recover)


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        output.err.print("aborted")
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except HastackError as error:
        output.err.print(f"[red]error:[/red] {error}", highlight=False)
        sys.exit(1)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        output.err.print("interrupted")
        sys.exit(130)
    except Exception:
        path = Path(tempfile.gettempdir()) / "hastack-debug.log"
        path.write_text(traceback.format_exc())
        output.err.print(
            f"[red]internal error[/red] (a bug in hastack): the traceback is in {path}; "
            "please report it with that file"
        )
        sys.exit(70)
