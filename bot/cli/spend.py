"""`aicost sync`, `status`, `serve`, `healthcheck`, `demo` and `db upgrade`."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ..core.clock import utc_now
from ..core.fx import format_billed
from ..core.money import format_usd
from .common import CommandError, LazyChoices, parse_date, progress

if TYPE_CHECKING:
    from ..settings import Settings

__all__ = ["MAX_BACKFILL_DAYS", "add_commands"]

# A backfill reaches back three years at most: a typo like 0202-01-01 must not ask a provider
# for eighteen centuries of empty pages.
MAX_BACKFILL_DAYS = 3 * 366


def add_commands(commands: Any) -> None:
    sync = commands.add_parser("sync", help="fetch spend and token usage from the providers")
    sync.add_argument(
        "--since", type=parse_date, metavar="YYYY-MM-DD", help="re-fetch from this day"
    )
    sync.add_argument(
        "--provider",
        choices=LazyChoices(_providers),
        metavar="PROVIDER",
        help="sync only this provider (%(choices)s)",
    )
    sync.set_defaults(handler=cmd_sync)

    status = commands.add_parser("status", help="month-to-date spend, last month, projection")
    status.add_argument("--json", action="store_true", help="print one JSON object")
    status.set_defaults(handler=cmd_status)

    serve = commands.add_parser("serve", help="run the Slack app (Socket Mode or HTTP)")
    serve.set_defaults(handler=cmd_serve)

    health = commands.add_parser(
        "healthcheck",
        help="exit 0 if a running serve is alive (HTTP: GET /healthz on PORT; Socket Mode: "
        "AICOST_LIVENESS_FILE fresh), for a container's HEALTHCHECK",
    )
    health.set_defaults(handler=cmd_healthcheck)

    demo = commands.add_parser("demo", help="build a demo database from sample pages; no keys")
    demo.add_argument(
        "--database",
        default=None,
        metavar="URL",
        help="where to build it (default: sqlite:///aicost-demo.db in this directory)",
    )
    demo.add_argument(
        "--force",
        action="store_true",
        help="wipe --database even if it holds data the demo did not write",
    )
    demo.set_defaults(handler=cmd_demo)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_commands.add_parser("upgrade", help="apply schema migrations (also automatic)")
    upgrade.set_defaults(handler=cmd_db_upgrade)


def _providers() -> tuple[str, ...]:
    from ..runtime.wiring import PROVIDERS

    return PROVIDERS


def cmd_sync(settings: Settings, args: argparse.Namespace) -> int:
    from ..runtime.store import open_store
    from ..runtime.wiring import SOURCES, billing_sources
    from ..services.sync import run_sync

    sources = billing_sources(settings, only=args.provider)
    if not sources:
        names = [args.provider] if args.provider else list(SOURCES)
        wanted = " or ".join(SOURCES[name].setting for name in names)
        raise CommandError(f"no provider configured: set {wanted} (see README)")
    now = utc_now()
    earliest = now.astimezone(settings.tz).date() - timedelta(days=MAX_BACKFILL_DAYS)
    if args.since is not None and args.since < earliest:
        raise CommandError(
            f"--since {args.since} is more than {MAX_BACKFILL_DAYS} days back; "
            f"the earliest is {earliest} (providers keep a few years of billing data at most)"
        )
    store = open_store(settings)
    outcomes = run_sync(
        store,
        sources,
        now=now,
        today_local=now.astimezone(settings.tz).date(),
        since=args.since,
        secrets=settings.secret_values(),
        progress=progress,
    )
    for outcome in outcomes:
        window = f"{outcome.window_start}..{outcome.window_end}"
        if outcome.ok:
            print(
                f"{outcome.provider}: ok, {outcome.days} days ({window}), "
                f"{format_billed(outcome.billed)} in the window"
            )
        else:
            print(f"{outcome.provider}: FAILED ({window}): {outcome.message}", file=sys.stderr)
    return 0 if all(o.ok for o in outcomes) else 1


def cmd_status(settings: Settings, args: argparse.Namespace) -> int:
    from ..render.status_text import status_text
    from ..runtime.store import open_store
    from ..services.status import team_status

    report = team_status(open_store(settings), settings, now=utc_now())
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
        return 0
    print(status_text(report))
    if not report.has_data:
        print(
            "\nNo spend synced yet: set a provider key and run `aicost sync`, or try `aicost demo`."
        )
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from ..core.money import set_display
    from ..db.leader_lock import leadership_for
    from ..runtime.governance import build_jobs, describe_schedule
    from ..runtime.scheduler import LeaderTicks, start_scheduler
    from ..slack.app import SlackConfigError
    from ..slack.poster import SlackPoster
    from ..slack.serve import serve
    from ..slack.services import SlackServices
    from .doctor import check_in_background

    # The environment's settings; every answer and job reads those in force (stored values on
    # top, see bot/services/settings_in_force.py), and a display currency set in Slack is
    # taken up by the process's output as soon as it is seen.
    services = SlackServices.from_settings(
        settings, on_settings_change=lambda s: set_display(s.display)
    )

    def start_jobs() -> None:
        in_force = services.settings
        check_in_background(in_force)  # `aicost doctor`'s checks, one log line each
        print(f"aicost: {describe_schedule(in_force)}", file=sys.stderr, flush=True)
        if settings.scheduler_enabled:
            poster = SlackPoster.from_settings(settings)
            jobs = build_jobs(services.store, services.live.current, poster=poster)
            ticks = LeaderTicks(jobs, leadership_for(services.store.engine))
            start_scheduler(ticks, tz=settings.tz, every_seconds=settings.scheduler_tick_seconds)

    try:
        serve(settings, services=services, on_ready=start_jobs)
    except SlackConfigError as exc:
        raise CommandError(str(exc)) from None
    return 0


def cmd_healthcheck(settings: Settings, args: argparse.Namespace) -> int:
    import time

    from ..runtime.liveness import file_problem, http_problem

    if settings.slack_app_token is not None:  # Socket Mode, as serve decides it
        if settings.liveness_file is None:
            raise CommandError("Socket Mode: set AICOST_LIVENESS_FILE (for serve and this check)")
        problem = file_problem(settings.liveness_file, now=time.time())
    else:
        problem = http_problem(f"http://127.0.0.1:{settings.port}/healthz")
    if problem is not None:
        print(f"aicost: unhealthy: {problem}", file=sys.stderr)
        return 1
    print("aicost: healthy")
    return 0


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    """Build the demo database and show every answer on it: status, forecast, break-even."""
    from ..render.alert_blocks import alerts_text
    from ..render.breakeven_text import breakeven_text, workloads_text
    from ..render.digest_render import digest_text
    from ..render.forecast_render import forecast_lines
    from ..render.status_text import status_text
    from ..runtime.demo import (
        DEMO_CHART,
        DEMO_DATABASE,
        DEMO_WORKLOAD_BILL,
        NotADemoDatabase,
        run_demo,
    )

    database = args.database or DEMO_DATABASE
    print(f"Building a demo database at {database} from the bundled sample pages", file=sys.stderr)
    try:
        run = run_demo(
            database,
            tz=settings.tz,
            settings=settings,
            chart_path=DEMO_CHART,
            progress=progress,
            force=args.force,
        )
    except NotADemoDatabase as exc:
        raise CommandError(f"demo --database: {exc}") from None
    for outcome in run.outcomes:
        print(
            f"  {outcome.provider}: {outcome.days} days stored, "
            f"{format_billed(outcome.billed)} billed in the sample",
            file=sys.stderr,
        )
    for item in run.imported:
        print(
            f"  {item.provider}: {(item.last_day - item.first_day).days + 1} days imported from "
            f"a FOCUS export, {format_billed(item.billed)} of AI charges in the sample",
            file=sys.stderr,
        )
    print(
        f"  stripe: {len(run.revenue)} months of revenue stored, "
        f"{format_usd(run.revenue_usd)} in the sample",
        file=sys.stderr,
    )
    print(file=sys.stderr)
    print(status_text(run.report))
    print("\nAI spend forecast\n")
    print("\n".join(f"  {line}" if line else "" for line in forecast_lines(run.forecast)))
    print(f"\n{breakeven_text(*run.breakeven)}")
    print(f"\n{workloads_text(DEMO_WORKLOAD_BILL, list(run.workloads))}")
    print("\nWeekly digest (what AICOST_DIGEST_CHANNEL gets on Mondays)\n")
    print(digest_text(run.digest.digest))
    print(f"  Chart: {DEMO_CHART} (12 weeks of daily spend by provider)")
    print("\nAlerts (what AICOST_ALERT_CHANNEL would get now; nothing was posted)\n")
    print(alerts_text(run.alerts.conditions, run.alerts.states))
    print(
        "\nThis is sample data, shown as of the moment it describes. Run the demo again: the "
        "same days are replaced, not added, so the totals stay the same.\nWith real keys: "
        "`aicost sync`, then `aicost status`, `aicost forecast`, and `aicost breakeven` (what-ifs: "
        "`--monthly-spend 20000`, `--set gpu_hour_usd=1.80`)."
    )
    return 0


def cmd_db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    from ..db.engine import connect

    connect(settings.database_url, migrate=True).dispose()
    print("database schema is up to date")
    return 0
