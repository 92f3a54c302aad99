"""Is the AI bill growing faster than the business? Month-over-month, complete months only.

A month counts only when every one of its days was synced: a month with missing days has no
spend figure here, not a smaller one.

A month "outgrows" revenue when spend grew by a larger factor than revenue did; two such months
in a row raise the flag (one month is noise; two is a trend worth a conversation). The share of
revenue spent on AI is shown beside it, and can be checked against a policy ceiling.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .clock import previous_month_start

__all__ = ["GrowthReport", "MonthGrowth", "STREAK_TO_FLAG", "growth_report"]

STREAK_TO_FLAG = 2


@dataclass(frozen=True, slots=True)
class MonthGrowth:
    month: date
    spend_usd: Decimal | None  # None: not every day of the month synced, so unknown
    revenue_usd: Decimal | None
    spend_growth: Decimal | None  # fraction: 0.12 = +12 % on the month before
    revenue_growth: Decimal | None
    relative_growth: Decimal | None  # (1 + spend growth) / (1 + revenue growth); > 1 outgrows

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


def growth_report(
    spend: Mapping[date, Decimal],
    revenue: Mapping[date, Decimal],
    *,
    last_month: date,
    months: int = 6,
    share_policy: Decimal | None = None,
) -> GrowthReport:
    """Growth for the `months` complete months ending with last_month (keys: first of month).

    `spend` holds only months whose every day was synced (a fetched day without spend is a
    real $0); a month absent from it is unknown, and so is any growth figure that needs it.
    Months with no revenue stay unknown too.
    """
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
        rows.append(
            MonthGrowth(month, spend_now, revenue_now, spend_growth, revenue_growth, relative)
        )
    return GrowthReport(rows, share_policy)
