"""Entry point: the command group, logging, and the error tiers with their exit codes.

An expected error (``HastackError``, or a path the operator chose that cannot be used)
prints one paragraph and exits 1; a usage error exits 2; anything else is a bug: the
traceback goes to the debug log and the user gets its path. Under ``--json`` the error is
also one JSON document on stdout, with the same exit code.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from ..errors import HastackError, PlanError, TopologyError, path_error
from ..plan.export import finding_dict
from . import (
    drill_cmds,
    fencing_cmds,
    keystone_cmds,
    lab_cmds,
    output,
    plan_cmds,
    render_cmds,
    status_cmds,
)
from .context import Context

log = logging.getLogger("hastack")

DEBUG_LOG = Path(tempfile.gettempdir()) / "hastack-debug.log"

# The exit codes, as `hastack --help` and the README list them.
EXIT_CODES: tuple[tuple[int, str], ...] = (
    (0, "done; `status`: every check ok; `drill`: every invariant held"),
    (1, "an expected error (bad bundle, unusable path, deploy failure), one paragraph"),
    (2, "a usage error (unknown command or option, missing argument)"),
    (3, "`status`: a check is not ok; `drill`: an invariant failed or a drill did not run"),
    (70, f"internal error, a bug in hastack: the traceback is in {DEBUG_LOG}"),
    (130, "interrupted (Ctrl-C)"),
)

# OS errors that mean "this path cannot be used", never "hastack is wrong".
PATH_ERRNOS = frozenset(
    (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EISDIR, errno.ENOSPC)
)


def _epilog() -> str:
    rows = "\n".join(f"  {code:<4} {meaning}" for code, meaning in EXIT_CODES)
    return (
        f"\b\nExit codes:\n{rows}\n\n"
        "\b\n--json prints one document with a schema_version on stdout; an error is\n"
        '{"schema_version": 1, "error": {"kind": ..., "message": ..., "exit_code": ...}}.'
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=_epilog())
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
    base = ctx.obj if isinstance(ctx.obj, Context) else Context()
    ctx.obj = base.configured(state_dir, verbose)


cli.add_command(plan_cmds.validate)
cli.add_command(plan_cmds.plan_cmd)
cli.add_command(render_cmds.render_cmd)
cli.add_command(render_cmds.secrets)
cli.add_command(lab_cmds.lab)
cli.add_command(status_cmds.status)
cli.add_command(keystone_cmds.rotate_keys)
cli.add_command(drill_cmds.drill)
cli.add_command(drill_cmds.recover)
drill_cmds.recover.add_command(fencing_cmds.recover_fencing_cmd)


def json_requested(args: Sequence[str]) -> bool:
    """Whether the command line asks for JSON (so an error is JSON too); a usage error
    stops click before it has read the flag, so the words are looked at directly."""
    words = list(args)
    return "--json" in (words[: words.index("--")] if "--" in words else words)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    sys.exit(run(cli, sys.argv[1:] if argv is None else argv))


def run(group: click.Group, args: Sequence[str], context: Context | None = None) -> int:
    """Run *group* on *args*; return the exit code after reporting any error."""
    report = _Reporter(json_requested(args))
    try:
        done = group.main(
            list(args), prog_name="hastack", standalone_mode=False, obj=context or Context()
        )
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
    except click.exceptions.Abort:
        return report.error("Interrupted", "aborted", 130)
    except KeyboardInterrupt:
        return report.error("Interrupted", "interrupted", 130)
    except click.ClickException as error:
        return report.usage(error)
    except HastackError as error:
        return report.expected(error)
    except OSError as error:
        if error.filename is None or error.errno not in PATH_ERRNOS:
            return report.bug()
        log.debug("a path could not be used", exc_info=True)
        fix = "choose another path (--state-dir, -o, --report) or fix its permissions"
        return report.expected(path_error(error, "use a path hastack needs", fix))
    except Exception:
        return report.bug()
    return done if isinstance(done, int) else 0


class _Reporter:
    """Prints an error on stderr in one paragraph and, under --json, as JSON on stdout."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def error(self, kind: str, message: str, code: int, **extra: Any) -> int:
        output.err.print(f"[red]error:[/red] {message}", highlight=False)
        if self.as_json:
            output.emit_error(kind, message, code, **extra)
        return code

    def expected(self, error: HastackError) -> int:
        extra: dict[str, Any] = {}
        if isinstance(error, TopologyError | PlanError):
            extra["findings"] = [finding_dict(f) for f in error.findings]
        return self.error(type(error).__name__, str(error), 1, **extra)

    def usage(self, error: click.ClickException) -> int:
        error.show()
        if self.as_json:
            output.emit_error(type(error).__name__, error.format_message(), error.exit_code)
        return error.exit_code

    def bug(self) -> int:
        name = write_debug_log(traceback.format_exc())
        message = (
            f"internal error (a bug in hastack): the traceback is in {name}; "
            "please report it with that file"
        )
        return self.error("InternalError", message, 70, debug_log=name)


def write_debug_log(text: str, path: Path = DEBUG_LOG) -> str:
    """Write a traceback to *path* (mode 0600, never through a symlink); when another
    user's log is in the way, to a new file beside it. Return where it went."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    except OSError:
        fd, name = tempfile.mkstemp(prefix="hastack-debug-", suffix=".log", dir=path.parent)
        path = Path(name)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    return str(path)
