"""`aicost digest [--post] [--chart PATH]`: the weekly digest in the terminal, or in Slack."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.clock import utc_now
from .common import CommandError

if TYPE_CHECKING:
    from ..core.posting import Poster
    from ..settings import Settings

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    digest = commands.add_parser(
        "digest", help="the weekly digest for the last full week (--post sends it to Slack)"
    )
    digest.add_argument(
        "--post",
        action="store_true",
        help="post it to AICOST_DIGEST_CHANNEL with its chart (once per week)",
    )
    digest.add_argument(
        "--allow-missing",
        action="store_true",
        help="with --post: post even if days of the week are not synced yet (it says which); "
        "otherwise such a week waits, pending, until a sync completes it",
    )
    digest.add_argument(
        "--kind",
        choices=["weekly", "daily", "monthly", "month-close"],
        default="weekly",
        help="which digest: the last full week (default), yesterday, the last closed month, or "
        "the month-close report of the last two closed months (final once the providers' "
        "revision windows have passed)",
    )
    # A string, not a Path: Path("0/0/.") is "0/0", and an error must name what was typed.
    digest.add_argument("--chart", metavar="PATH", help="write the chart PNG to PATH")
    digest.set_defaults(handler=cmd_digest)


def cmd_digest(settings: Settings, args: argparse.Namespace) -> int:
    # Imported here so `aicost --help` never loads Slack's client or the digest's queries.
    from ..render.digest_render import digest_text, week_phrase
    from ..runtime.store import open_store
    from ..services.digest_posting import (
        ALREADY_POSTED,
        FAILED,
        POSTED,
        WAITING,
        DigestConfigError,
        run_digest,
    )
    from ..slack.poster import SlackPoster

    poster = SlackPoster.from_settings(settings) if args.post else None
    if args.kind == "month-close":
        return _month_close(settings, poster)
    try:
        run = run_digest(
            open_store(settings),
            settings,
            now=utc_now(),
            poster=poster,
            post=args.post,
            chart_path=None if args.chart is None else Path(args.chart),
            allow_missing=args.allow_missing,
            kind=args.kind,
        )
    except DigestConfigError as exc:
        raise CommandError(str(exc)) from None
    except (OSError, UnicodeEncodeError) as exc:
        # A name holding a lone surrogate cannot become bytes for the file system at all.
        reason = exc.strerror if isinstance(exc, OSError) else "the name is not valid text"
        # repr: a path holding a newline or a form feed must not break the one-line error
        raise CommandError(f"could not write the chart to {args.chart!r}: {reason}") from None
    print(digest_text(run.digest))
    if args.chart is not None:
        print(f"\nChart written to {args.chart}")
    week = week_phrase(run.digest.week_start, run.digest.week_end)
    if run.outcome == POSTED:
        print(f"Posted the digest for {week} to {settings.digest_channel}.")
        if run.chart_error:
            print(f"aicost: the digest was posted but {run.chart_error}", file=sys.stderr)
    elif run.outcome == ALREADY_POSTED:
        print(f"The digest for {week} was already posted; nothing sent.")
    elif run.outcome == WAITING:
        print(
            f"Not posted: the week of {week} is not fully synced yet. It stays pending and goes "
            "out after the sync that completes it (or post it now with --allow-missing)."
        )
    elif run.outcome == FAILED:
        raise CommandError(
            f"digest not posted: {run.error}; it stays pending and the next run tries again"
        )
    return 0


def _month_close(settings: Settings, poster: Poster | None) -> int:
    """Preview (and with --post, post once) the month-close reports of the last two months."""
    from ..render.month_close_render import month_close_text
    from ..runtime.store import open_store
    from ..services.month_close import build_month_close, candidate_months, post_month_closes

    store = open_store(settings)
    now = utc_now()
    for month in candidate_months(now, settings):
        run = build_month_close(store, settings, month=month, now=now)
        if run.report is None:
            print(f"{month:%B %Y}: not final yet: {run.waiting}.")
        else:
            print(month_close_text(run.report))
    if poster is not None:
        for posted in post_month_closes(store, settings, now=now, poster=poster):
            print(f"Month-close {posted.month:%B %Y}: {posted.outcome} {posted.error}".rstrip())
    return 0
