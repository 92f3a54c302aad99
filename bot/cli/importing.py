"""`aicost import focus FILE`: cloud AI charges from any FOCUS cost export."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.clock import utc_now
from ..core.fx import format_billed
from .common import CommandError

if TYPE_CHECKING:
    from ..settings import Settings

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    imp = commands.add_parser("import", help="import cost exports (FOCUS CSV)")
    kinds = imp.add_subparsers(dest="import_kind", required=True, metavar="FORMAT")
    focus = kinds.add_parser(
        "focus",
        help="AI charges from a FOCUS export (CSV or .csv.gz); replaces the days it covers",
    )
    focus.add_argument("file", type=Path)
    focus.add_argument(
        "--services",
        metavar="REGEX",
        help='keep rows whose ServiceName matches (default: ServiceCategory "AI and Machine '
        'Learning"), e.g. "Bedrock|OpenAI|Vertex|Gemini"',
    )
    focus.set_defaults(handler=cmd_focus)


def cmd_focus(settings: Settings, args: argparse.Namespace) -> int:
    from billing_adapters import ProviderError

    from ..runtime.store import open_store
    from ..services.focus_import import import_focus

    if args.services:
        try:
            re.compile(args.services)
        except re.error as exc:
            raise CommandError(f"--services {args.services!r} is not a pattern: {exc}") from None
    if not args.file.is_file():
        raise CommandError(f"{args.file}: no such file")
    try:
        imported, rows, kept = import_focus(
            open_store(settings), args.file, now=utc_now(), services=args.services
        )
    except ProviderError as exc:
        raise CommandError(str(exc)) from None
    print(f"{args.file.name}: {rows:,} rows, {kept:,} AI charges kept")
    for p in imported:
        print(
            f"  {p.provider}: {p.first_day} to {p.last_day} replaced, {p.lines} lines, "
            f"{format_billed(p.billed)}"
        )
    return 0
