"""Running one parsed command: settings in force, the pinned moment, and every failure a user
can cause or meet turned into one line on stderr and an exit status, never a traceback.

Kept apart from the parser (bot/cli/__init__.py) so that `aicost --help` and a usage error,
which end in argparse, never import SQLAlchemy, pydantic or the billing adapters.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys

from sqlalchemy.exc import SQLAlchemyError

from billing_adapters import redact

from ..core.clock import AsOfError, parse_as_of, pin
from ..core.money import set_display
from ..db.credentials import without_password
from ..errors import AicostError
from ..services.settings_in_force import with_stored
from ..settings import SettingsError, load_settings

__all__ = ["run"]

# Commands that do not take the stored settings at start: `serve` re-reads them for every answer
# and job, `config` shows and changes them, and the rest never read the main database's.
ENVIRONMENT_ONLY = frozenset({"serve", "config", "healthcheck", "db", "demo"})


def run(args: argparse.Namespace) -> int:
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
