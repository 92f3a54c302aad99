"""Calendar arithmetic. The core never reads the clock: `now` is passed in from the edges."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta

__all__ = ["days_in_month", "month_start", "previous_month_start", "utc_now"]


def utc_now() -> datetime:
    """The one clock read, made at the edges (CLI, Slack handler, scheduler)."""
    return datetime.now(UTC)


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month_start(day: date) -> date:
    return month_start(month_start(day) - timedelta(days=1))


def next_month_start(day: date) -> date:
    return month_start(day) + timedelta(days=days_in_month(day))


def days_in_month(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]
