"""The `aicost` command line: parse arguments, call one service function, print its result.

Every failure a user can cause or meet (a bad setting, an unreachable database, a provider
refusing a key, a malformed amount) ends as one line on stderr and a non-zero exit status,
never a traceback. Each command group lives in its own module with an `add_commands`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from billing_adapters import redact

from ..core.clock import AsOfError, parse_as_of, pin
from ..core.money import set_display
from ..db.credentials import without_password
from ..errors import AicostError
from ..services.settings_in_force import with_stored
from ..settings import SettingsError, load_settings
from . import (
    alerts,
    audit,
    breakeven,
    config,
    digest,
    doctor,
    importing,
    revenue,
    spend,
    teams,
    why,
)

__all__ = ["main"]

# Commands that do not take the stored settings at start: `serve` re-reads them for every answer
# and job, `config` shows and changes them, and the rest never read the main database's.
ENVIRONMENT_ONLY = frozenset({"serve", "config", "healthcheck", "db", "demo"})


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aicost", description="AI spend governance: real billed spend, in your Slack channel."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    spend.add_commands(commands)
    revenue.add_commands(commands)
    importing.add_commands(commands)
    breakeven.add_commands(commands)
    digest.add_commands(commands)
    alerts.add_commands(commands)
    audit.add_commands(commands)
    why.add_commands(commands)
    doctor.add_commands(commands)
    config.add_commands(commands)
    teams.add_commands(commands)
    _add_as_of(parser)
    return parser


def _add_as_of(parser: argparse.ArgumentParser) -> None:
    """Every command (the leaves of the command tree) answers as of a moment the user picks."""
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        parser.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD[THH:MM]",
            default=None,
            help="answer as of this moment (a date alone: the end of that day) in "
            "AICOST_TIMEZONE, instead of now; default AICOST_AS_OF, else the clock",
        )
        return
    for group in groups:
        for child in dict.fromkeys(group.choices.values()):
            _add_as_of(child)


def _printable_output() -> None:
    """Escape what the terminal cannot encode instead of dying on it.

    An argument holding bytes that are not UTF-8 (a file name, say) reaches Python as surrogate
    escapes; echoing it back (argparse's usage errors, "Chart written to ...") on a strict UTF-8
    stdout raised UnicodeEncodeError after the work was done.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    _printable_output()
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        for line in str(exc).splitlines():
            print(f"aicost: {line}", file=sys.stderr)
        return 2
    if args.command not in ENVIRONMENT_ONLY:
        settings = with_stored(settings)  # what a lead set in Slack wins over the environment
    try:
        moment = parse_as_of(args.as_of, settings.tz) if args.as_of else settings.as_of_moment
    except AsOfError as exc:
        print(f"aicost: --as-of: {exc}", file=sys.stderr)
        return 2
    if moment is not None:
        pin(moment)
    if not getattr(args, "json", False):  # JSON stays in dollars, its keys say so
        set_display(settings.display)
    try:
        status = args.handler(settings, args)
        sys.stdout.flush()  # inside the try: a closed pipe surfaces here, not at exit
        return status
    except AicostError as exc:  # CommandError, DatabaseURLError, AssumptionError, ...
        print(f"aicost: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or type(exc).__name__).splitlines()[0]
        reason = redact(reason, settings.secret_values())  # the database password included
        print(
            f"aicost: database error at {without_password(settings.database_url)}: {reason}",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print(
            "aicost: interrupted; nothing half-written (each provider window is one transaction)",
            file=sys.stderr,
        )
        return 130
    except BrokenPipeError:
        return _reader_went_away()


def _reader_went_away() -> int:
    """Output piped into `head` (or any reader that stops early): one line, no traceback.

    Whatever the command changed is already committed; only the rest of its printout is lost.
    Python would otherwise raise again flushing stdout at exit, so stdout is pointed at devnull.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    with contextlib.suppress(OSError):  # stderr gone too: nobody is left to tell
        print("aicost: output closed by its reader before the end (e.g. | head)", file=sys.stderr)
    return 141  # 128 + SIGPIPE, as a shell reports a command killed by a closed pipe
