"""The one clock, and calendar arithmetic.

Nothing in aicost reads the wall clock except `utc_now` here. The edges (CLI, Slack handlers,
scheduler) call it and pass `now` inward, so the core never reads a clock at all. A user can
pin it (`--as-of`, or `AICOST_AS_OF` for every command, `serve` included) to see any answer as
it was or would be at another moment; the tests pin it the same way, so no test passes or
fails by the date it runs.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from ..errors import AicostError

__all__ = [
    "AsOfError",
    "days_in_month",
    "month_start",
    "next_month_start",
    "parse_as_of",
    "pin",
    "pinned",
    "previous_month_start",
    "timer_now",
    "utc_now",
]

_pinned: datetime | None = None


class AsOfError(AicostError, ValueError):
    """An --as-of / AICOST_AS_OF value that is not a moment; the message says what was given."""


def timer_now() -> datetime:
    """The wall clock itself, read here and nowhere else. Alone it is for timers only (when the
    scheduler's next tick fires), never for what a figure is as of: a pinned clock must not stop
    the scheduler from ticking."""
    return datetime.now(UTC)


def utc_now() -> datetime:
    """What every figure is as of: the pinned moment when there is one, else the wall clock."""
    return _pinned if _pinned is not None else timer_now()


def pin(moment: datetime | None) -> None:
    """Make `utc_now` answer `moment` (an aware datetime) from now on; None unpins."""
    global _pinned
    if moment is not None and moment.tzinfo is None:
        raise ValueError("a pinned moment must carry its time zone")
    _pinned = None if moment is None else moment.astimezone(UTC)


def pinned() -> datetime | None:
    return _pinned


def parse_as_of(text: str, tz: tzinfo) -> datetime:
    """`YYYY-MM-DD` (the end of that day), `YYYY-MM-DDTHH:MM[:SS]` in `tz`, or with an offset.

    A date alone means the end of that day in the team's time zone: "as of 20 Nov" is what
    the figures were when 20 Nov was over, its own day included.
    """
    cleaned = text.strip()
    try:
        if len(cleaned) == 10:
            day = date.fromisoformat(cleaned)
            moment = datetime.combine(day, time(23, 59, 59), tzinfo=tz)
        else:
            moment = datetime.fromisoformat(cleaned.replace(" ", "T", 1))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=tz)
    except ValueError:
        raise AsOfError(
            f"{text[:40]!r} is not a moment like 2026-11-20 or 2026-11-20T15:00"
        ) from None
    return moment.astimezone(UTC)


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month_start(day: date) -> date:
    return month_start(month_start(day) - timedelta(days=1))


def next_month_start(day: date) -> date:
    return month_start(day) + timedelta(days=days_in_month(day))


def days_in_month(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]
