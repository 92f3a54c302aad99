"""`aicost alerts [--post] [--json]`: the alert rules, now; posting under the once-only rule."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from ..core.clock import utc_now
from .common import CommandError

if TYPE_CHECKING:
    from ..settings import Settings

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    alerts = commands.add_parser(
        "alerts", help="evaluate the alert rules now (budget, growth, break-even, spikes)"
    )
    alerts.add_argument(
        "--post",
        action="store_true",
        help="post new and pending alerts to AICOST_ALERT_CHANNEL (each alert only once)",
    )
    alerts.add_argument("--json", action="store_true", help="print one JSON object")
    alerts.set_defaults(handler=cmd_alerts)


def cmd_alerts(settings: Settings, args: argparse.Namespace) -> int:
    from ..render.alert_blocks import alerts_text
    from ..runtime.store import open_store
    from ..services.alerts import run_alerts
    from ..slack.poster import SlackPoster

    poster = None
    if args.post:
        if settings.slack_bot_token is None:
            raise CommandError("--post needs SLACK_BOT_TOKEN (the xoxb- token of your Slack app)")
        if not settings.alert_channel:
            raise CommandError("--post needs AICOST_ALERT_CHANNEL (the channel id to alert in)")
        poster = SlackPoster.from_settings(settings)
    run = run_alerts(open_store(settings), settings, now=utc_now(), poster=poster, post=args.post)
    if args.json:
        print(json.dumps(run.as_dict(), indent=2))
    else:
        print(alerts_text(run.conditions, run.states))
    if args.post and not args.json:
        print(
            f"posted {len(run.posted)} alert(s) and {len(run.recovered)} recovery message(s) "
            f"to {settings.alert_channel}; {len(run.pending)} pending"
        )
    for error in run.errors:
        print(f"aicost: not posted, will retry on the next run: {error}", file=sys.stderr)
    for failure in run.failed:  # the other rules ran, and their alerts went out
        print(f"aicost: {failure}", file=sys.stderr)
    return 1 if run.errors or run.failed else 0
