"""Which days the stored figures actually cover: missing is never zero.

A provider day is *missing* until a sync has fetched it (a day the provider left out of its
answer stays missing too), *provisional* while the provider may still revise it, and *settled*
after. A day with no spend that was fetched is a real $0 day; a day never fetched is unknown,
and every figure built from days must say so instead of counting it as $0.

For the team, a day is as good as its worst provider: missing if any provider in scope lacks
it. Plain Python over what the store returns; no database, no clock (`now` is passed in).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from .money import ZERO

__all__ = [
    "Coverage",
    "DayState",
    "ProviderFreshness",
    "SETTLE_HOURS",
    "days_between",
    "describe_days",
]

# A provider day may still change until this long after it ends: billing data arrives late.
SETTLE_HOURS = 48


@dataclass(frozen=True, slots=True)
class ProviderFreshness:
    """When a provider last synced, and its latest error if its latest attempt failed."""

    provider: str
    last_success_at: datetime | None
    last_error: str | None


class DayState(StrEnum):
    SETTLED = "settled"
    PROVISIONAL = "provisional"
    MISSING = "missing"


def days_between(start: date, end: date) -> list[date]:
    """Every day in [start, end)."""
    return [start + timedelta(days=n) for n in range((end - start).days)]


@dataclass(frozen=True)
class Coverage:
    """What was fetched, per provider and day, for the providers whose days count.

    `providers` is the scope: the configured providers and every provider ever synced, so a
    provider whose sync never ran makes every day missing rather than silently absent.
    """

    providers: tuple[str, ...]
    fetched_at: Mapping[tuple[str, date], datetime]

    @classmethod
    def of(
        cls, providers: Iterable[str], fetched_at: Mapping[tuple[str, date], datetime]
    ) -> Coverage:
        scope = set(providers) | {provider for provider, _ in fetched_at}
        return cls(tuple(sorted(scope)), fetched_at)

    def state(self, day: date, now: datetime) -> DayState:
        """The team's state for `day`: missing if any provider lacks it, else the least settled."""
        if not self.providers:
            return DayState.MISSING
        settle_at = datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC) + timedelta(
            hours=SETTLE_HOURS
        )
        state = DayState.SETTLED
        for provider in self.providers:
            at = self.fetched_at.get((provider, day))
            if at is None:
                return DayState.MISSING
            if at < settle_at or now < settle_at:
                state = DayState.PROVISIONAL
        return state

    def has(self, day: date) -> bool:
        """Every provider in scope has fetched `day`."""
        return bool(self.providers) and all((p, day) in self.fetched_at for p in self.providers)

    def whole(self, day: date) -> bool:
        """Every provider fetched `day` after it ended: its spend is all there (if not final)."""
        if not self.providers:
            return False
        ended = datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)
        fetched = self.fetched_at.get
        for provider in self.providers:  # a loop, not all(): status asks this for every day
            at = fetched((provider, day))
            if at is None or at < ended:
                return False
        return True

    def missing(self, start: date, end: date) -> list[date]:
        """The days in [start, end) that some provider has not fetched."""
        return [day for day in days_between(start, end) if not self.has(day)]

    def complete(self, start: date, end: date) -> bool:
        return not self.missing(start, end)

    def synced_through(self, provider: str) -> date | None:
        """The provider's latest fetched day."""
        days = [day for p, day in self.fetched_at if p == provider]
        return max(days) if days else None

    def last_day(self, before: date) -> date | None:
        """The latest day before `before` that every provider has fetched."""
        days = {day for _, day in self.fetched_at if day < before}
        for day in sorted(days, reverse=True):
            if self.has(day):
                return day
        return None

    def team_totals(
        self, totals: Mapping[date, Decimal], start: date, end: date
    ) -> dict[date, Decimal]:
        """Total spend for each whole day in [start, end); a $0 here is a real $0.

        `totals` holds the stored spend per day (all providers); a fetched day without a row
        had no spend. Days some provider has not fetched are left out (unknown, not zero), and
        so are days last fetched before they ended (a part of a day is not a day's spend).
        """
        return {day: totals.get(day, ZERO) for day in days_between(start, end) if self.whole(day)}


def describe_days(days: Sequence[date]) -> str:
    """'3 Nov', '3-5 Nov', '3-5 Nov, 9 Nov': runs of consecutive days, for a sentence."""
    if not days:
        return ""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][1] == timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    parts = []
    for first, last in runs:
        if first == last:
            parts.append(f"{first.day} {first:%b}")
        elif (first.year, first.month) == (last.year, last.month):
            parts.append(f"{first.day}–{last.day} {last:%b}")
        else:
            parts.append(f"{first.day} {first:%b}–{last.day} {last:%b}")
    return ", ".join(parts)
