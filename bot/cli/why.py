"""`aicost why [week|month|YYYY-MM]`: what moved spend against the period before, and how much."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from ..core.clock import utc_now
from ..core.why_period import PERIOD_USAGE, resolve_period

if TYPE_CHECKING:
    from ..settings import Settings

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    why = commands.add_parser(
        "why",
        help="what moved spend against the period before: drivers by provider, project, model",
    )
    why.add_argument("period", nargs="?", default="week", metavar="PERIOD", help=PERIOD_USAGE)
    why.add_argument("--json", action="store_true", help="print one JSON object")
    why.set_defaults(handler=cmd_why)


def cmd_why(settings: Settings, args: argparse.Namespace) -> int:
    from ..render.why_render import why_text
    from ..runtime.store import open_store
    from ..services.why import explain_change

    now = utc_now()
    period = resolve_period(args.period, now=now, tz=settings.tz)  # before the database opens
    report = explain_change(open_store(settings), settings, period, now=now)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(why_text(report))
    return 0
