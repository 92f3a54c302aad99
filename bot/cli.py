"""The `aicost` command line: parse arguments, call one service function, print its result.

Every failure a user can cause or meet (a bad setting, an unreachable database, a provider
refusing a key) ends as one line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from .clock import utc_now
from .db.engine import DatabaseURLError, connect, normalize_url
from .money import format_usd
from .render.status_text import status_text
from .settings import Settings, SettingsError, load_settings
from .status import load_status
from .wiring import PROVIDERS, billing_sources, configured_providers, open_store

__all__ = ["main"]


class CommandError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-10-01") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aicost", description="AI spend governance: real billed spend, in your Slack channel."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sync = commands.add_parser("sync", help="fetch spend and token usage from the providers")
    sync.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="re-fetch from this day")
    sync.add_argument("--provider", choices=PROVIDERS, help="sync only this provider")

    status = commands.add_parser("status", help="month-to-date spend, last month, projection")
    status.add_argument("--json", action="store_true", help="print one JSON object")

    commands.add_parser("serve", help="run the Slack app (Socket Mode or HTTP)")

    demo = commands.add_parser("demo", help="build a demo database from sample pages; no keys")
    demo.add_argument(
        "--database",
        default=None,
        metavar="URL",
        help="where to build it (default: sqlite:///aicost-demo.db in this directory)",
    )

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply schema migrations (also done automatically)")
    return parser


def _progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def cmd_sync(settings: Settings, args: argparse.Namespace) -> int:
    from .sync import run_sync

    sources = billing_sources(settings, only=args.provider)
    if not sources:
        wanted = args.provider.upper() if args.provider else "OPENAI or ANTHROPIC"
        raise CommandError(f"no provider configured: set {wanted}_ADMIN_KEY (see README)")
    store = open_store(settings)
    now = utc_now()
    outcomes = run_sync(
        store,
        sources,
        now=now,
        today_local=now.astimezone(settings.tz).date(),
        since=args.since,
        secrets=settings.secret_values(),
        progress=_progress,
    )
    for outcome in outcomes:
        window = f"{outcome.window_start}..{outcome.window_end}"
        if outcome.ok:
            print(
                f"{outcome.provider}: ok, {outcome.days} days ({window}), "
                f"{format_usd(outcome.total_usd)} in the window"
            )
        else:
            print(f"{outcome.provider}: FAILED ({window}): {outcome.message}", file=sys.stderr)
    return 0 if all(o.ok for o in outcomes) else 1


def cmd_status(settings: Settings, args: argparse.Namespace) -> int:
    report = load_status(
        open_store(settings),
        now=utc_now(),
        tz=settings.tz,
        providers=configured_providers(settings),
        budget_usd=settings.monthly_budget_usd,
    )
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(status_text(report))
        if not report.has_data:
            print(
                "\nNo spend synced yet: set a provider key and run `aicost sync`, "
                "or try `aicost demo`."
            )
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from .slack.app import SlackConfigError
    from .slack.serve import serve

    store = open_store(settings)

    def current_status():  # noqa: ANN202 - a closure over the store for the Slack handler
        return load_status(
            store,
            now=utc_now(),
            tz=settings.tz,
            providers=configured_providers(settings),
            budget_usd=settings.monthly_budget_usd,
        )

    try:
        serve(settings, load_status=current_status)
    except SlackConfigError as exc:
        raise CommandError(str(exc)) from None
    return 0


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    from .demo import DEMO_BUDGET_USD, DEMO_DATABASE, run_demo

    database = args.database or DEMO_DATABASE
    budget = settings.monthly_budget_usd or DEMO_BUDGET_USD
    print(f"Building a demo database at {database} from the bundled sample pages", file=sys.stderr)
    run = run_demo(database, tz=settings.tz, budget_usd=budget, progress=_progress)
    for outcome in run.outcomes:
        print(
            f"  {outcome.provider}: {outcome.days} days stored, "
            f"{format_usd(outcome.total_usd)} billed in the sample",
            file=sys.stderr,
        )
    print(file=sys.stderr)
    print(status_text(run.report))
    print(
        "\nThis is sample data, shown as of the moment it describes. Run the demo again: the same "
        "days are replaced, not added, so the totals stay the same.\nWith real keys: "
        "`aicost sync` then `aicost status`."
    )
    return 0


def cmd_db(settings: Settings, args: argparse.Namespace) -> int:
    connect(settings.database_url, migrate=True).dispose()
    print("database schema is up to date")
    return 0


COMMANDS = {
    "sync": cmd_sync,
    "status": cmd_status,
    "serve": cmd_serve,
    "demo": cmd_demo,
    "db": cmd_db,
}


def _safe_url(url: str) -> str:
    try:
        return make_url(normalize_url(url)).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only used inside an error message
        return "DATABASE_URL"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        for line in str(exc).splitlines():
            print(f"aicost: {line}", file=sys.stderr)
        return 2
    try:
        return COMMANDS[args.command](settings, args)
    except (CommandError, DatabaseURLError) as exc:
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
            "aicost: interrupted; nothing half-written (each provider day is one transaction)",
            file=sys.stderr,
        )
        return 130


if __name__ == "__main__":
    sys.exit(main())
