"""The `aicost` command line: parse arguments, call one service function, print its result.

Every failure a user can cause or meet (a bad setting, an unreachable database, a provider
refusing a key, a malformed amount) ends as one line on stderr and a non-zero exit status,
never a traceback. Each command group lives in its own module with an `add_commands`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from ..breakeven import AssumptionError
from ..db.engine import DatabaseURLError, normalize_url
from ..settings import SettingsError, load_settings
from . import alerts, audit, breakeven, digest, revenue, spend
from .common import CommandError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aicost", description="AI spend governance: real billed spend, in your Slack channel."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    spend.add_commands(commands)
    revenue.add_commands(commands)
    breakeven.add_commands(commands)
    digest.add_commands(commands)
    alerts.add_commands(commands)
    audit.add_commands(commands)
    return parser


def _safe_url(url: str) -> str:
    try:
        return make_url(normalize_url(url)).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only used inside an error message
        return "DATABASE_URL"


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
    try:
        return args.handler(settings, args)
    except (CommandError, DatabaseURLError, AssumptionError) as exc:
        print(f"aicost: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or type(exc).__name__).splitlines()[0]
        for secret in settings.secret_values():
            reason = reason.replace(secret, "[redacted]")
        print(
            f"aicost: database error at {_safe_url(settings.database_url)}: {reason}",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print(
            "aicost: interrupted; nothing half-written (each provider window is one transaction)",
            file=sys.stderr,
        )
        return 130
