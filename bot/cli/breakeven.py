"""`aicost breakeven`, `aicost forecast` and `aicost log-hours`."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from ..core.clock import utc_now
from ..core.user_input import HoursInputError, clean_note, parse_hours
from ..services.breakeven_query import BreakEvenQuery, add_query_arguments, query_from
from .common import CommandError

if TYPE_CHECKING:
    from ..settings import Settings

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    breakeven = commands.add_parser(
        "breakeven", help="when would running open-weight models ourselves pay off?"
    )
    breakeven.add_argument("--json", action="store_true", help="print one JSON object")
    add_query_arguments(breakeven)
    breakeven.set_defaults(handler=cmd_breakeven)

    forecast = commands.add_parser("forecast", help="month-end and 12-month spend forecast")
    forecast.add_argument("--json", action="store_true", help="print one JSON object")
    forecast.set_defaults(handler=cmd_forecast)

    hours = commands.add_parser(
        "log-hours", help="record hours spent operating local inference (the infrastructure tax)"
    )
    hours.add_argument("hours", help="hours, e.g. 1.5")
    hours.add_argument("note", nargs="*", help="what the time went on")
    hours.set_defaults(handler=cmd_log_hours)


def cmd_breakeven(settings: Settings, args: argparse.Namespace) -> int:
    from ..render.breakeven_json import breakeven_json
    from ..render.breakeven_text import breakeven_text
    from ..runtime.store import open_store
    from ..services.breakeven import NoDataError, answer_breakeven

    query = query_from(args)
    if query.compare:
        return _compare(settings, args, query)
    try:
        report, answer = answer_breakeven(
            open_store(settings),
            settings,
            now=utc_now(),
            profile=query.profile,
            overrides=query.overrides,
            monthly_spend=query.monthly_spend,
            provider=query.provider,
        )
    except NoDataError as exc:
        raise CommandError(str(exc)) from None
    if args.json:
        print(json.dumps(breakeven_json(report, answer), indent=2))
    else:
        print(breakeven_text(report, answer))
    return 0


def _compare(settings: Settings, args: argparse.Namespace, query: BreakEvenQuery) -> int:
    from ..render.breakeven_compare import compare_json, compare_text
    from ..runtime.store import open_store
    from ..services.breakeven import NoDataError, compare_breakeven

    try:
        answers = compare_breakeven(
            open_store(settings),
            settings,
            now=utc_now(),
            overrides=query.overrides,
            monthly_spend=query.monthly_spend,
            provider=query.provider,
        )
    except NoDataError as exc:
        raise CommandError(str(exc)) from None
    print(json.dumps(compare_json(answers), indent=2) if args.json else compare_text(answers))
    return 0


def cmd_forecast(settings: Settings, args: argparse.Namespace) -> int:
    from ..render.forecast_render import forecast_text
    from ..runtime.store import open_store
    from ..services.forecast_report import load_forecast

    report = load_forecast(
        open_store(settings), now=utc_now(), tz=settings.tz, budget_usd=settings.monthly_budget_usd
    )
    print(json.dumps(report.as_dict(), indent=2) if args.json else forecast_text(report))
    return 0


def cmd_log_hours(settings: Settings, args: argparse.Namespace) -> int:
    from ..db.audit import CLI_ACTOR, hours_entry
    from ..db.hours import HoursLog
    from ..runtime.store import open_store

    try:
        hours = parse_hours(args.hours)
    except HoursInputError as exc:
        raise CommandError(str(exc)) from None
    note = clean_note(" ".join(args.note))
    now = utc_now()
    audit = hours_entry(hours, note, actor=CLI_ACTOR, at=now)
    HoursLog(open_store(settings).engine).add(
        hours, at=now, note=note, user_id=CLI_ACTOR, audit=audit
    )
    print(f"logged {hours} h of operations{': ' + note if note else ''}")
    return 0
