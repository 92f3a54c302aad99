"""Which two periods "why did it move?" compares: `week`, `month` or a month like `2026-10`.

Resolved from the clock's `now` in the team's time zone (passed in, never read here):

- `week` (the default): the last 7 complete days against the 7 before them;
- `month`: this month's complete days against the same days of last month (clipped to its end,
  so 1–30 Mar is set against 1–28 Feb);
- `YYYY-MM`: that month against the month before; the current month means `month`, since its
  later days have not happened yet.

Only complete days are compared: today is still being billed, and half a day against a whole
one reads like a fall.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from ..errors import AicostError
from .clock import month_start, next_month_start, previous_month_start
from .records import Window

__all__ = [
    "PERIOD_USAGE",
    "PeriodInputError",
    "WhyPeriod",
    "describe_window",
    "resolve_period",
]

PERIOD_USAGE = "week (the default), month, or a month like 2026-10"
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
EARLIEST_YEAR = 2000  # no AI bill is older; a typo like 0202-01 is answered, not computed


class PeriodInputError(AicostError, ValueError):
    """A period that is not week, month or YYYY-MM (or a month not yet begun)."""


@dataclass(frozen=True, slots=True)
class WhyPeriod:
    """Two windows of calendar days, [start, end), and what the user called them."""

    name: str  # "week", "month" or "2026-10"
    current: Window
    previous: Window

    @property
    def days(self) -> int:
        return (self.current[1] - self.current[0]).days

    @property
    def meaning(self) -> str:
        """What the name stands for, in words, for the answer's first line."""
        if self.name == "week":
            return "the last 7 complete days"
        if self.name == "month":
            return "this month's complete days, against the same days of last month"
        return "the month, against the month before"


def describe_window(window: Window) -> str:
    """'9–15 Nov 2026', '28 Oct – 3 Nov 2026', '1 Nov 2026' for [start, end)."""
    first, last = window[0], window[1] - timedelta(days=1)
    if last < first:
        return f"no complete day yet ({first.day} {first:%b %Y})"
    if first == last:
        return f"{first.day} {first:%b %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%b %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
    return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"


def _month_to_date(today: date) -> WhyPeriod:
    start = month_start(today)
    before = previous_month_start(today)
    same_days = min(before + (today - start), start)  # clipped to last month's end
    return WhyPeriod("month", (start, today), (before, same_days))


def resolve_period(text: str | None, *, now: datetime, tz: tzinfo) -> WhyPeriod:
    """The period `text` names, as of `now` in `tz`; PeriodInputError says what is wrong."""
    today = now.astimezone(tz).date()
    word = (text or "week").strip().lower()
    if word == "week":
        week_ago = today - timedelta(days=7)
        return WhyPeriod("week", (week_ago, today), (week_ago - timedelta(days=7), week_ago))
    if word == "month":
        return _month_to_date(today)
    match = _MONTH.fullmatch(word)
    shown = (text or "")[:40]
    if match is None or not 1 <= int(match[2]) <= 12:
        raise PeriodInputError(f"{shown!r} is not a period: use {PERIOD_USAGE}")
    month = date(int(match[1]), int(match[2]), 1)
    if month.year < EARLIEST_YEAR:
        raise PeriodInputError(f"{shown!r} is before {EARLIEST_YEAR}: use {PERIOD_USAGE}")
    if month > today:
        raise PeriodInputError(f"{shown!r} has not begun yet: use {PERIOD_USAGE}")
    if month == month_start(today):
        return _month_to_date(today)
    name = f"{month:%Y-%m}"
    return WhyPeriod(name, (month, next_month_start(month)), (previous_month_start(month), month))
