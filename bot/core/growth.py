"""Is the AI bill growing faster than the business? Month-over-month, complete months only.

A month counts only when every one of its days was synced: a month with missing days has no
spend figure here, not a smaller one.

A month "outgrows" revenue when spend grew by a larger factor than revenue did; two such months
in a row raise the flag (one month is noise; two is a trend worth a conversation). The share of
revenue spent on AI is shown beside it, and can be checked against a policy ceiling.

Revenue is held to the same rule: a month synced from Stripe before it ended holds only its
month to date, and stays so if the sync then stopped. Compared as the whole month, it read as
revenue falling by a third, and spend "outgrew" a business that had not shrunk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal

from .clock import next_month_start, previous_month_start

__all__ = [
    "STREAK_TO_FLAG",
    "SYNCED_REVENUE",
    "GrowthReport",
    "MonthGrowth",
    "growth_report",
    "partial_revenue_phrase",
    "revenue_synced_to",
]

STREAK_TO_FLAG = 2
SYNCED_REVENUE = frozenset({"stripe"})  # revenue sources that store a running month to date


@dataclass(frozen=True, slots=True)
class MonthGrowth:
    month: date
    spend_usd: Decimal | None  # None: not every day of the month synced, so unknown
    revenue_usd: Decimal | None
    spend_growth: Decimal | None  # fraction: 0.12 = +12 % on the month before
    revenue_growth: Decimal | None
    relative_growth: Decimal | None  # (1 + spend growth) / (1 + revenue growth); > 1 outgrows
    # This month and the one before whose stored revenue is only part of the month: (month, the
    # day it was synced). Their revenue is unknown here, never the part taken as the whole.
    partial_revenue: tuple[tuple[date, date], ...] = ()

    @property
    def spend_share(self) -> Decimal | None:
        """AI spend as a fraction of revenue."""
        if not self.revenue_usd or self.spend_usd is None:
            return None
        return self.spend_usd / self.revenue_usd

    @property
    def outgrowing(self) -> bool:
        """Spend rose, and by a larger factor than revenue. Falling spend never outgrows: a bill
        that shrinks more slowly than revenue is a different conversation."""
        return (
            self.relative_growth is not None
            and self.relative_growth > 1
            and self.spend_growth is not None
            and self.spend_growth > 0
        )


@dataclass(frozen=True, slots=True)
class GrowthReport:
    months: list[MonthGrowth]  # oldest first, ending with the last complete month
    share_policy: Decimal | None = None  # e.g. 0.05: AI spend should stay under 5 % of revenue

    @property
    def latest(self) -> MonthGrowth | None:
        return self.months[-1] if self.months else None

    @property
    def outgrowing_streak(self) -> int:
        streak = 0
        for month in reversed(self.months):
            if not month.outgrowing:
                break
            streak += 1
        return streak

    @property
    def outgrowing_revenue(self) -> bool:
        """Spend has outgrown revenue for at least two consecutive complete months."""
        return self.outgrowing_streak >= STREAK_TO_FLAG

    @property
    def over_share_policy(self) -> bool:
        latest = self.latest
        share = latest.spend_share if latest else None
        return self.share_policy is not None and share is not None and share > self.share_policy


def _growth(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    if now is None or before is None or before <= 0:
        return None
    return now / before - 1


def partial_revenue_phrase(month: MonthGrowth) -> str:
    """'revenue for November 2026 synced only to 20 Nov, before the month ended, so not
    compared (`aicost revenue sync` completes it)'."""
    parts = " and ".join(
        f"{m:%B %Y} synced only to {day.day} {day:%b}" for m, day in month.partial_revenue
    )
    return (
        f"revenue for {parts}, before the month ended, so not compared "
        "(`aicost revenue sync` completes it)"
    )


def revenue_synced_to(month: date, source: str, updated_at: datetime, tz: tzinfo) -> date | None:
    """The day a month's stored revenue was synced, if that was before the month ended (the
    figure is then its month to date); None when it is the whole month's. Revenue set by hand
    or imported is the figure its user gave for the month."""
    if source not in SYNCED_REVENUE:
        return None
    synced = updated_at.astimezone(tz).date()
    return synced if synced < next_month_start(month) else None


def growth_report(
    spend: Mapping[date, Decimal],
    revenue: Mapping[date, Decimal],
    *,
    last_month: date,
    months: int = 6,
    share_policy: Decimal | None = None,
    partial_revenue: Mapping[date, date] | None = None,
) -> GrowthReport:
    """Growth for the `months` complete months ending with last_month (keys: first of month).

    `spend` holds only months whose every day was synced (a fetched day without spend is a
    real $0); a month absent from it is unknown, and so is any growth figure that needs it.
    Months with no revenue stay unknown too, and so do those in `partial_revenue` (month: the
    day its revenue was synced, before the month ended; see `revenue_synced_to`).
    """
    partial = partial_revenue or {}
    revenue = {month: amount for month, amount in revenue.items() if month not in partial}
    starts = [last_month.replace(day=1)]
    for _ in range(months):  # one extra month so the first shown has a month to compare with
        starts.insert(0, previous_month_start(starts[0]))
    rows = []
    for before, month in zip(starts, starts[1:], strict=False):
        spend_now, spend_before = spend.get(month), spend.get(before)
        revenue_now, revenue_before = revenue.get(month), revenue.get(before)
        spend_growth = _growth(spend_now, spend_before)
        revenue_growth = _growth(revenue_now, revenue_before)
        relative = None
        if spend_growth is not None and revenue_growth is not None and revenue_growth > -1:
            relative = (1 + spend_growth) / (1 + revenue_growth)
        parts = tuple((m, partial[m]) for m in (before, month) if m in partial)
        rows.append(
            MonthGrowth(
                month, spend_now, revenue_now, spend_growth, revenue_growth, relative, parts
            )
        )
    return GrowthReport(rows, share_policy)
