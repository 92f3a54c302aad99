"""The `aicost` command line: parse arguments, call one service function, print its result.

Every failure a user can cause or meet (a bad setting, an unreachable database, a provider
refusing a key, a malformed amount) ends as one line on stderr and a non-zero exit status,
never a traceback. Each command group lives in its own module with an `add_commands`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

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
    # Settings, the database and the command's own work load only now: `aicost --help` and a
    # usage error never pay for SQLAlchemy, pydantic or httpx (about 0.7 s of imports).
    from .running import run

    return run(args)
