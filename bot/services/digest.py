"""A digest's figures: the last period against the one before, the month, movers, break-even.

The period (`bot.core.digest_period.period_for`) is the last complete day, week or month.

The week is the last *complete* Monday–Sunday week before `now`, in AICOST_TIMEZONE: posted on
Monday morning (AICOST_DIGEST_SCHEDULE's default) it covers the seven days that just ended, and
run on any later day of the week it still covers that same week, so a retry on Tuesday says the
same thing as Monday's attempt would have. Days are the providers' billing days, counted on
their calendar date, as everywhere else in aicost.

Plain Python over the stores with `now` passed in; rendering lives in `bot.render.digest_*`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from ..core.coverage import Coverage
from ..core.digest import CHART_WEEKS, Digest, top_movers
from ..core.digest_period import WEEKLY, period_for
from ..core.money import ZERO
from ..core.status import unsettled_days
from ..core.why import breakdown
from ..db.movers import spend_by_line
from ..db.store import SpendStore
from ..settings import Settings
from .breakeven import breakeven_summary
from .status import configured_providers, team_status

__all__ = ["build_digest", "last_full_week"]


def last_full_week(now: datetime, settings: Settings) -> tuple[date, date]:
    """Monday and Sunday of the last complete week before now, in the team's time zone."""
    period = period_for(WEEKLY, now.astimezone(settings.tz).date())
    return period.start, period.end


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


def build_digest(
    store: SpendStore, settings: Settings, *, now: datetime, kind: str = WEEKLY
) -> Digest:
    """Everything the `kind` digest shows, for the last complete period before now."""
    period = period_for(kind, now.astimezone(settings.tz).date())
    week_start, week_end = period.start, period.end
    end = week_end + timedelta(days=1)
    previous = (period.previous_start, period.previous_end + timedelta(days=1))
    current = (week_start, end)
    chart_start = min(end - timedelta(weeks=CHART_WEEKS), week_start)

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
        elif previous[0] <= row.day < previous[1]:
            last_week += row.amount_usd

    status = team_status(store, settings, now=now)
    breakeven, unavailable = breakeven_summary(store, settings, now=now)
    scope = [*configured_providers(settings), *(f.provider for f in status.freshness)]
    settling, missing = _coverage(store, scope, week_start, end)
    _, previous_missing = _coverage(store, scope, *previous)
    lines = spend_by_line(store.engine, current, previous, store.fx)  # what `why` breaks down
    return Digest(
        as_of=now,
        timezone=settings.timezone,
        week_start=week_start,
        week_end=week_end,
        this_week_usd=this_week,
        last_week_usd=last_week,
        week_by_provider=dict(sorted(by_provider.items())),
        by_model=top_movers(breakdown(lines, "model").window_spends()),
        by_project=top_movers(breakdown(lines, "project").window_spends()),
        status=status,
        breakeven=breakeven,
        breakeven_unavailable=unavailable,
        incomplete_days=settling,
        missing_days=missing,
        daily_by_provider=daily,
        previous_missing_days=previous_missing,
        kind=kind,
    )
