"""`aicost revenue set|import|sync|show`: the revenue side of "is AI outgrowing the business?"."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.clock import month_start, utc_now
from ..core.money import format_usd
from ..core.user_input import RevenueInputError, parse_amount, parse_csv, parse_month
from .common import CommandError, progress

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ..settings import Settings

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    revenue = commands.add_parser("revenue", help="monthly revenue: set, import, sync, show")
    actions = revenue.add_subparsers(dest="revenue_command", required=True, metavar="ACTION")
    set_ = actions.add_parser("set", help="set one month's revenue")
    set_.add_argument("month", help="YYYY-MM")
    set_.add_argument("amount", help="dollars, e.g. 125000 or $125,000.00")
    set_.set_defaults(handler=cmd_set)
    imp = actions.add_parser("import", help="import month,amount rows from a CSV file")
    imp.add_argument("file", type=Path)
    imp.set_defaults(handler=cmd_import)
    sync = actions.add_parser("sync", help="fetch monthly revenue from Stripe (STRIPE_API_KEY)")
    sync.add_argument("--since", metavar="YYYY-MM", help="first month (default: 6 months back)")
    sync.set_defaults(handler=cmd_sync)
    show = actions.add_parser("show", help="list stored monthly revenue")
    show.set_defaults(handler=cmd_show)


def _engine(settings: Settings) -> Engine:
    from ..runtime.store import open_store

    return open_store(settings).engine


def cmd_set(settings: Settings, args: argparse.Namespace) -> int:
    from ..db.audit import CLI_ACTOR, REVENUE_SET
    from ..services.revenue import change_revenue

    try:
        month, amount = parse_month(args.month), parse_amount(args.amount)
    except RevenueInputError as exc:
        raise CommandError(str(exc)) from None
    change_revenue(
        _engine(settings),
        [(month, amount)],
        action=REVENUE_SET,
        source="manual",
        actor=CLI_ACTOR,
        at=utc_now(),
    )
    print(f"revenue for {month:%Y-%m} set to {format_usd(amount)}")
    return 0


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    from ..db.audit import CLI_ACTOR, REVENUE_IMPORT
    from ..services.revenue import change_revenue

    try:
        text = args.file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CommandError(f"cannot read {args.file}: {exc.strerror}") from None
    try:
        rows = parse_csv(text)
    except RevenueInputError as exc:
        raise CommandError(f"{args.file}: {exc}; nothing was imported") from None
    count = change_revenue(
        _engine(settings),
        rows,
        action=REVENUE_IMPORT,
        source="csv",
        actor=CLI_ACTOR,
        at=utc_now(),
        origin=args.file.name,
    )
    first, last = min(m for m, _ in rows), max(m for m, _ in rows)
    print(f"imported revenue for {count} months ({first:%Y-%m}..{last:%Y-%m})")
    return 0


def cmd_sync(settings: Settings, args: argparse.Namespace) -> int:
    from billing_adapters import ProviderError

    from ..db.audit import CLI_ACTOR
    from ..services.revenue import sync_revenue

    since = None
    if args.since:
        try:
            since = parse_month(args.since)
        except RevenueInputError as exc:
            raise CommandError(str(exc)) from None
    now = utc_now()
    try:
        months = sync_revenue(
            _engine(settings),
            settings,
            now=now,
            actor=CLI_ACTOR,
            since=since,
            progress=progress,
        )
    except ProviderError as exc:
        raise CommandError(str(exc)) from None
    today = now.astimezone(settings.tz).date()
    for m in months:
        partial = " (month to date)" if m.month == month_start(today) else ""
        print(
            f"{m.month:%Y-%m}  {format_usd(m.amount_usd):>16}  "
            f"{m.transactions} transactions{partial}"
        )
    return 0


def cmd_show(settings: Settings, args: argparse.Namespace) -> int:
    from ..db.revenue import RevenueStore
    from ..render.revenue_text import NO_REVENUE, revenue_lines

    rows = RevenueStore(_engine(settings)).months(date(1970, 1, 1), date(9999, 1, 1))
    if not rows:
        print(NO_REVENUE)
        return 0
    this_month = month_start(utc_now().astimezone(settings.tz).date())
    shown = [(r.month, r.amount_usd, r.source, r.updated_at) for r in rows]
    print("\n".join(revenue_lines(shown, this_month=this_month, tz=settings.tz)))
    return 0
