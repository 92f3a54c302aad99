"""The weekly digest's figures: last week against the week before, the month, movers, break-even.

The week is the last *complete* Monday–Sunday week before `now`, in AICOST_TIMEZONE: posted on
Monday morning (AICOST_DIGEST_SCHEDULE's default) it covers the seven days that just ended, and
run on any later day of the week it still covers that same week, so a retry on Tuesday says the
same thing as Monday's attempt would have. Days are the providers' billing days, counted on
their calendar date, as everywhere else in aicost.

Plain Python over the stores with `now` passed in; rendering lives in `bot.render.digest_*`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from .breakeven_service import NoDataError, answer_breakeven
from .core.breakeven import AssumptionError
from .core.breakeven.workload import DAYS_PER_MONTH
from .core.coverage import Coverage
from .core.money import ZERO
from .db.movers import WindowSpend, spend_by_model, spend_by_project
from .db.store import SpendStore
from .settings import Settings
from .status import ProviderFreshness, StatusReport, unsettled_days
from .wiring import configured_providers, team_status

__all__ = ["CHART_WEEKS", "TOP_MOVERS", "BreakEvenDistance", "Digest", "Movers", "build_digest"]

TOP_MOVERS = 3  # per direction: a few names a lead can act on, not a wall of them
CHART_WEEKS = 12


@dataclass(frozen=True, slots=True)
class Movers:
    """The biggest rises and falls in dollars, this week against last."""

    up: list[WindowSpend]  # largest rise first
    down: list[WindowSpend]  # largest fall first
    unchanged_or_hidden: int  # how many other names there were, not shown


@dataclass(frozen=True, slots=True)
class BreakEvenDistance:
    """How far today's bill is from the bill at which self-hosting starts to pay."""

    profile: str
    monthly_bill_usd: Decimal  # the last 28 complete days, scaled to a month
    breakeven_bill_usd: Decimal | None  # None: never pays off at this token mix
    pays_off: bool
    breakeven_month: date | None  # first forecast month past break-even

    @property
    def distance_usd(self) -> Decimal | None:
        """Dollars a month still to go (negative once past it); None when it never pays."""
        if self.breakeven_bill_usd is None:
            return None
        return self.breakeven_bill_usd - self.monthly_bill_usd


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
    breakeven: BreakEvenDistance | None
    breakeven_unavailable: str  # why `breakeven` is None; "" when it is set
    incomplete_days: list[date] = field(default_factory=list)  # days of the week still settling
    missing_days: list[date] = field(default_factory=list)  # days a synced provider has not sent
    daily_by_provider: dict[date, dict[str, Decimal]] = field(default_factory=dict)  # chart span
    previous_missing_days: list[date] = field(default_factory=list)  # the week before's

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


def last_full_week(now: datetime, settings: Settings) -> tuple[date, date]:
    """Monday and Sunday of the last complete week before now, in the team's time zone."""
    today = now.astimezone(settings.tz).date()
    sunday = today - timedelta(days=today.weekday() + 1)
    return sunday - timedelta(days=6), sunday


def top_movers(spends: Sequence[WindowSpend], count: int = TOP_MOVERS) -> Movers:
    """The `count` largest rises and falls by absolute dollars; ties by name, so stable."""
    up = sorted((s for s in spends if s.change_usd > 0), key=lambda s: (-s.change_usd, s.name))
    down = sorted((s for s in spends if s.change_usd < 0), key=lambda s: (s.change_usd, s.name))
    shown = min(len(up), count) + min(len(down), count)
    return Movers(up[:count], down[:count], len(spends) - shown)


def _breakeven(
    store: SpendStore, settings: Settings, now: datetime
) -> tuple[BreakEvenDistance | None, str]:
    try:
        report, _ = answer_breakeven(store, settings, now=now)
    except NoDataError:
        return None, "unavailable: no billed spend in the last 28 days"
    except AssumptionError as exc:  # e.g. measured hours past a bound: the rest still goes out
        return None, f"unavailable: {exc}"
    result = report.result
    if not result.capacity.fits:
        return None, f"unavailable: the model does not fit the GPUs of profile {report.profile}"
    return (
        BreakEvenDistance(
            profile=report.profile,
            monthly_bill_usd=result.status_quo.monthly_usd,
            breakeven_bill_usd=result.breakeven_api_usd,
            pays_off=result.pays_off,
            breakeven_month=result.breakeven_month,
        ),
        "",
    )


def _coverage(
    store: SpendStore, providers: Sequence[str], start: date, end: date
) -> tuple[list[date], list[date]]:
    """Days in [start, end) that may still change, and days some provider has not sent yet.

    The first rule is status's (`unsettled_days`). The second matters more here: a week
    total missing its weekend because a sync stopped would read like a drop in spend, so the
    digest names those days. With no provider at all, every day is missing: never "$0".
    """
    fetched = store.fetched_at(start, end)
    settling = unsettled_days(fetched)
    return sorted(settling), Coverage.of(providers, fetched).missing(start, end)


def build_digest(store: SpendStore, settings: Settings, *, now: datetime) -> Digest:
    """Everything the weekly digest shows, for the last complete week before now."""
    week_start, week_end = last_full_week(now, settings)
    end = week_end + timedelta(days=1)
    previous = (week_start - timedelta(days=7), week_start)
    current = (week_start, end)
    chart_start = end - timedelta(weeks=CHART_WEEKS)

    daily: dict[date, dict[str, Decimal]] = {
        chart_start + timedelta(days=n): {} for n in range((end - chart_start).days)
    }
    this_week = last_week = ZERO
    by_provider: dict[str, Decimal] = {}
    for row in store.daily_spend(chart_start, end):
        daily[row.day][row.provider] = row.amount_usd
        if row.day >= week_start:
            this_week += row.amount_usd
            by_provider[row.provider] = by_provider.get(row.provider, ZERO) + row.amount_usd
        elif row.day >= previous[0]:
            last_week += row.amount_usd

    status = team_status(store, settings, now=now)
    breakeven, unavailable = _breakeven(store, settings, now)
    scope = [*configured_providers(settings), *(f.provider for f in status.freshness)]
    settling, missing = _coverage(store, scope, week_start, end)
    _, previous_missing = _coverage(store, scope, *previous)
    return Digest(
        as_of=now,
        timezone=settings.timezone,
        week_start=week_start,
        week_end=week_end,
        this_week_usd=this_week,
        last_week_usd=last_week,
        week_by_provider=dict(sorted(by_provider.items())),
        by_model=top_movers(spend_by_model(store.engine, current, previous)),
        by_project=top_movers(spend_by_project(store.engine, current, previous)),
        status=status,
        breakeven=breakeven,
        breakeven_unavailable=unavailable,
        incomplete_days=settling,
        missing_days=missing,
        daily_by_provider=daily,
        previous_missing_days=previous_missing,
    )
