"""A digest's figures: the period against the one before, movers, break-even distance.

The field names say "week" because the weekly digest came first; for a daily or monthly digest
(`kind`) they hold that period's first and last day and totals (see `bot.core.digest_period`).

Plain values and arithmetic; `bot/services/digest.py` gathers them from the stores for a week.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from .breakeven_report import BreakEvenSummary
from .coverage import ProviderFreshness
from .digest_period import DAILY, MONTHLY, WEEKLY
from .money import ZERO
from .month import DAYS_PER_MONTH
from .records import WindowSpend
from .status import StatusReport

__all__ = ["CHART_WEEKS", "TOP_MOVERS", "Digest", "Movers", "top_movers"]

TOP_MOVERS = 3  # per direction: a few names a lead can act on, not a wall of them
CHART_WEEKS = 12


@dataclass(frozen=True, slots=True)
class Movers:
    """The biggest rises and falls in dollars, this week against last."""

    up: list[WindowSpend]  # largest rise first
    down: list[WindowSpend]  # largest fall first
    unchanged_or_hidden: int  # how many other names there were, not shown


@dataclass(frozen=True, slots=True)
class Digest:
    as_of: datetime
    timezone: str
    week_start: date  # the Monday
    week_end: date  # the Sunday, inclusive
    this_week_usd: Decimal
    last_week_usd: Decimal
    week_by_provider: dict[str, Decimal]
    by_model: Movers
    by_project: Movers
    status: StatusReport  # month to date, budget, projection, growth, freshness
    breakeven: BreakEvenSummary | None
    breakeven_unavailable: str  # why `breakeven` is None; "" when it is set
    incomplete_days: list[date] = field(default_factory=list)  # days of the week still settling
    missing_days: list[date] = field(default_factory=list)  # days a synced provider has not sent
    daily_by_provider: dict[date, dict[str, Decimal]] = field(default_factory=dict)  # chart span
    previous_missing_days: list[date] = field(default_factory=list)  # the week before's
    kind: str = WEEKLY

    @property
    def unit(self) -> str:
        """'week', 'day' or 'month': what the sentences call the period."""
        return {DAILY: "day", MONTHLY: "month"}.get(self.kind, "week")

    @property
    def empty(self) -> bool:
        """Every day of the week synced and none billed: the digest then says so in one line.

        A week with days never synced is not empty, it is unknown (`missing_days`)."""
        return self.this_week_usd == ZERO and not self.missing_days

    @property
    def no_data(self) -> bool:
        """Not one day of the week synced by every provider."""
        return len(self.missing_days) == (self.week_end - self.week_start).days + 1

    @property
    def change_usd(self) -> Decimal:
        return self.this_week_usd - self.last_week_usd

    @property
    def compared(self) -> bool:
        """Both weeks fully synced: only then is one set against the other."""
        return not self.missing_days and not self.previous_missing_days

    @property
    def change_pct(self) -> Decimal | None:
        if not self.compared or self.last_week_usd <= 0:
            return None
        return (self.change_usd * 100 / self.last_week_usd).quantize(Decimal("0.1"))

    @property
    def freshness(self) -> Sequence[ProviderFreshness]:
        return self.status.freshness

    @property
    def projection_daily_usd(self) -> Decimal | None:
        """The projected month end as a daily run-rate, for the chart."""
        projection = self.status.projection_usd
        return None if projection is None else projection / self.status.days_in_month

    @property
    def breakeven_daily_usd(self) -> Decimal | None:
        """The break-even monthly bill as a daily figure, on the model's own month length."""
        if self.breakeven is None or self.breakeven.breakeven_bill_usd is None:
            return None
        return self.breakeven.breakeven_bill_usd / DAYS_PER_MONTH


def top_movers(spends: Sequence[WindowSpend], count: int = TOP_MOVERS) -> Movers:
    """The `count` largest rises and falls by absolute dollars; ties by name, so stable."""
    up = sorted((s for s in spends if s.change_usd > 0), key=lambda s: (-s.change_usd, s.name))
    down = sorted((s for s in spends if s.change_usd < 0), key=lambda s: (s.change_usd, s.name))
    shown = min(len(up), count) + min(len(down), count)
    return Movers(up[:count], down[:count], len(spends) - shown)
