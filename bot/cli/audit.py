"""`aicost audit [--limit N]`: the latest changes to aicost and who made them."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..settings import Settings

__all__ = ["add_commands"]

DEFAULT_LIMIT = 15


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of entries (1 or more)")
    return value


def add_commands(commands: Any) -> None:
    audit = commands.add_parser(
        "audit", help="the latest changes (revenue, hours, snoozes) and who made them"
    )
    audit.add_argument(
        "--limit",
        type=_positive,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"how many entries, newest first (default {DEFAULT_LIMIT})",
    )
    audit.set_defaults(handler=cmd_audit)


def cmd_audit(settings: Settings, args: argparse.Namespace) -> int:
    from ..db.audit import AuditLog
    from ..render.audit_render import audit_text
    from ..runtime.store import open_store

    entries = AuditLog(open_store(settings).engine).latest(args.limit)
    print(audit_text(entries, tz=settings.tz))
    return 0
