"""Month-to-date status: the figures behind `aicost status` and `/aicost status`.

`build_status` is plain arithmetic over daily totals (no database, no clock); `load_status`
(bot/services/status.py) gathers those totals from the store for it. Months and "today" are in the
team's time zone; each provider day is the provider's UTC billing day, counted on its calendar
date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from .balance import Runway
from .clock import days_in_month, month_start, next_month_start, previous_month_start
from .coverage import SETTLE_HOURS, Coverage, ProviderFreshness
from .forecast import Forecast, forecast_spend
from .freshness import provider_freshness, stale_providers
from .fx import ForeignSpend
from .growth import GrowthReport, growth_report
from .money import ZERO, cents, json_usd, split_cents
from .records import DailySpend, Revision, SyncRecord, per_day
from .team_spend import TeamReport

__all__ = [
    "StatusReport",
    "build_status",
    "unsettled_days",
]

GROWTH_MONTHS = 6
FORECAST_DAYS = 182  # the forecast's weekly pattern looks back half a year


@dataclass(frozen=True, slots=True)
class StatusReport:
    as_of: datetime
    timezone: str
    today: date
    month_start: date
    days_in_month: int
    month_to_date_usd: Decimal | None  # None: no provider has synced a day of this month
    previous_month_usd: Decimal | None  # None: no day of last month synced
    previous_month_same_point_usd: Decimal | None  # None: no like-for-like comparison possible
    by_provider: dict[str, Decimal | None]  # None: that provider synced no day of the month
    previous_by_provider: dict[str, Decimal | None]
    forecast: Forecast | None  # month end with a range; None under 7 complete days
    budget_usd: Decimal | None
    incomplete_days: list[date] = field(default_factory=list)
    freshness: list[ProviderFreshness] = field(default_factory=list)
    growth: GrowthReport | None = None
    # Coverage: the days the figures above cannot include because no sync fetched them.
    missing_days: list[date] = field(default_factory=list)  # this month, before today
    data_through: date | None = None  # the last day every provider has synced
    previous_month_missing_days: list[date] = field(default_factory=list)
    same_point_day: int | None = None  # day of month the comparison runs to (data's end)
    month_to_date_compared_usd: Decimal | None = None  # this month to `same_point_day`
    stale_after_hours: Decimal | None = None  # a provider not synced for longer is stale
    # How much last month's total moved after it closed (providers revise days late), and when.
    previous_month_revised_usd: Decimal | None = None
    previous_month_revised_at: datetime | None = None
    # This month's spend billed in other currencies: converted at which rate, or not counted.
    currencies: Sequence[ForeignSpend] = ()
    # Prepaid providers' credits left and how many days of recent spend they cover.
    runways: Sequence[Runway] = ()
    teams: TeamReport | None = None  # spend by team, when teams are set up (`aicost team`)

    @property
    def stale(self) -> list[ProviderFreshness]:
        """Providers whose last successful sync is older than `stale_after_hours`."""
        if self.stale_after_hours is None:
            return []
        return stale_providers(self.freshness, now=self.as_of, hours=self.stale_after_hours)

    def shown_by_provider(self, *, previous: bool = False) -> dict[str, Decimal | None]:
        """Per-provider figures to the cent, adding up to the month's total as displayed."""
        split = self.previous_by_provider if previous else self.by_provider
        total = self.previous_month_usd if previous else self.month_to_date_usd
        known = [name for name, v in split.items() if v is not None]
        if total is None or not known:
            return dict(split)
        amounts = split_cents(total, [split[name] or ZERO for name in known])
        return {**split, **dict(zip(known, amounts, strict=True))}

    def provider_shares(self) -> dict[str, Decimal | None]:
        """Each provider's share of the month to date (None where its month is unknown), so a
        lead sees at once which source the bill is: the displayed cents over their total."""
        shown = self.shown_by_provider()
        total = sum((v for v in shown.values() if v is not None), ZERO)
        return {
            name: None if amount is None or total <= 0 else amount / total
            for name, amount in shown.items()
        }

    @property
    def previous_month_complete(self) -> bool:
        return self.previous_month_usd is not None and not self.previous_month_missing_days

    @property
    def data_stops_early(self) -> bool:
        """Synced data ends before yesterday: the month to date is short of days."""
        return bool(self.missing_days)

    @property
    def change_vs_same_point_pct(self) -> Decimal | None:
        """Month-to-date against the same day-of-month last month, in percent, like for like."""
        before, now = self.previous_month_same_point_usd, self.month_to_date_compared_usd
        if before is None or now is None or before <= 0:
            return None
        return ((now - before) * 100 / before).quantize(Decimal("0.1"))

    @property
    def projection_usd(self) -> Decimal | None:
        return None if self.forecast is None else self.forecast.month_end.point

    @property
    def has_data(self) -> bool:
        return any(f.last_success_at for f in self.freshness)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of `aicost status --json`: dollars rounded to the cent."""

        change = self.change_vs_same_point_pct
        return {
            "as_of": self.as_of.isoformat(),
            "timezone": self.timezone,
            "month": self.month_start.strftime("%Y-%m"),
            "day_of_month": self.today.day,
            "days_in_month": self.days_in_month,
            "month_to_date_usd": json_usd(self.month_to_date_usd),
            "previous_month_usd": json_usd(self.previous_month_usd),
            "previous_month_same_point_usd": json_usd(self.previous_month_same_point_usd),
            "change_vs_same_point_pct": None if change is None else float(change),
            "projected_month_end_usd": json_usd(self.projection_usd),
            "projected_month_end_range_usd": None
            if self.forecast is None
            else [json_usd(self.forecast.month_end.low), json_usd(self.forecast.month_end.high)],
            "budget_usd": json_usd(self.budget_usd),
            "by_provider": {name: json_usd(v) for name, v in self.shown_by_provider().items()},
            "share_by_provider": {
                name: None if v is None else round(float(v), 4)
                for name, v in self.provider_shares().items()
            },
            "previous_month_by_provider": {
                name: json_usd(v) for name, v in self.shown_by_provider(previous=True).items()
            },
            "incomplete_days": [d.isoformat() for d in self.incomplete_days],
            "missing_days": [d.isoformat() for d in self.missing_days],
            "data_through": None if self.data_through is None else self.data_through.isoformat(),
            "previous_month_complete": self.previous_month_complete,
            "previous_month_missing_days": [
                d.isoformat() for d in self.previous_month_missing_days
            ],
            "compared_through_day": self.same_point_day,
            "stale_providers": [f.provider for f in self.stale],
            "previous_month_revised_usd": json_usd(self.previous_month_revised_usd),
            "previous_month_revised_at": None
            if self.previous_month_revised_at is None
            else self.previous_month_revised_at.isoformat(),
            "growth": None if self.growth is None else _growth_dict(self.growth),
            "currencies": [_currency_dict(f) for f in self.currencies],
            "credits": [r.as_dict() for r in self.runways],
            "freshness": [
                {
                    "provider": f.provider,
                    "last_success_at": f.last_success_at.isoformat() if f.last_success_at else None,
                    "last_error": f.last_error,
                }
                for f in self.freshness
            ],
            **({} if self.teams is None else self.teams.as_dict()),
        }


def unsettled_days(fetched_at: Mapping[tuple[str, date], datetime]) -> frozenset[date]:
    """Days some provider may still revise: last fetched under SETTLE_HOURS after they ended."""
    settle = timedelta(hours=SETTLE_HOURS)
    return frozenset(
        day
        for (_, day), at in fetched_at.items()
        if at < datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC) + settle
    )


def _currency_dict(spend: ForeignSpend) -> dict[str, object]:
    usd = spend.amount_usd
    return {
        "provider": spend.provider,
        "currency": spend.currency,
        "days": spend.days,
        "amount": float(cents(spend.amount)),
        "usd_per_unit": None if spend.rate is None else str(spend.rate),
        "amount_usd": json_usd(usd),
        "counted": usd is not None,
    }


def _ratio(value: Decimal | None) -> float | None:
    return None if value is None else float(round(value, 4))


def _growth_dict(growth: GrowthReport) -> dict[str, object]:
    return {
        "outgrowing_revenue": growth.outgrowing_revenue,
        "outgrowing_streak_months": growth.outgrowing_streak,
        "max_spend_share": _ratio(growth.share_policy),
        "over_spend_share_policy": growth.over_share_policy,
        "months": [
            {
                "month": m.month.strftime("%Y-%m"),
                "spend_usd": None if m.spend_usd is None else float(cents(m.spend_usd)),
                "revenue_usd": None if m.revenue_usd is None else float(cents(m.revenue_usd)),
                "spend_growth": _ratio(m.spend_growth),
                "revenue_growth": _ratio(m.revenue_growth),
                "relative_growth": _ratio(m.relative_growth),
                "spend_share_of_revenue": _ratio(m.spend_share),
                # months whose stored revenue was synced before they ended: not compared
                "revenue_synced_only_to": {
                    month.strftime("%Y-%m"): day.isoformat() for month, day in m.partial_revenue
                },
            }
            for m in growth.months
        ],
    }


def _sum(rows: Iterable[DailySpend]) -> Decimal:
    return sum((r.amount_usd for r in rows), ZERO)


def _synced(fetched_at: Mapping[tuple[str, date], datetime], start: date, end: date) -> set[str]:
    """The providers that fetched some day in [start, end)."""
    return {provider for provider, day in fetched_at if start <= day < end}


def _by_provider(
    rows: Iterable[DailySpend],
    providers: Iterable[str],
    synced: Callable[[str], bool],
) -> dict[str, Decimal | None]:
    """Each provider's sum; None for one with no synced day in the range (unknown, not $0)."""
    totals: dict[str, Decimal | None] = {name: ZERO if synced(name) else None for name in providers}
    for row in rows:
        totals[row.provider] = (totals.get(row.provider) or ZERO) + row.amount_usd
    return dict(sorted(totals.items()))


def build_status(
    daily: Sequence[DailySpend],
    *,
    now: datetime,
    tz: ZoneInfo,
    providers: Iterable[str] = (),
    fetched_at: dict[tuple[str, date], datetime] | None = None,
    last_success: dict[str, SyncRecord | None] | None = None,
    last_runs: dict[str, SyncRecord] | None = None,
    budget_usd: Decimal | None = None,
    revenue: dict[date, Decimal] | None = None,
    partial_revenue: dict[date, date] | None = None,
    max_spend_share: Decimal | None = None,
    stale_after_hours: Decimal | None = None,
    revisions: Sequence[Revision] = (),
    currencies: Sequence[ForeignSpend] = (),
    runways: Sequence[Runway] = (),
) -> StatusReport:
    """Status as of now from daily totals covering at least the previous and current month.

    The projection is the spend forecast's month end (trend and weekly pattern fitted on the
    stored days, with a range): see `bot.core.forecast`.
    """
    fetched_at = fetched_at or {}
    last_success = last_success or {}
    last_runs = last_runs or {}
    today = now.astimezone(tz).date()
    this_month = month_start(today)
    next_month = next_month_start(today)
    last_month = previous_month_start(today)
    dim = days_in_month(today)

    current = [r for r in daily if this_month <= r.day < next_month]
    previous = [r for r in daily if last_month <= r.day < this_month]
    names = (
        set(providers)
        | {r.provider for r in current}
        | {r.provider for r in previous}
        | set(last_runs)
    )
    coverage = Coverage.of(names, fetched_at)

    first = min((d for _, d in fetched_at), default=today)
    known = coverage.team_totals(per_day(daily), first, today)
    forecast = forecast_spend(known, today=today, horizon=0) if known else None

    # The providers that synced some day of each month (one pass each, not one per provider).
    synced_now = _synced(fetched_at, this_month, next_month)
    synced_before = _synced(fetched_at, last_month, this_month)
    missing = coverage.missing(this_month, today)
    previous_missing = coverage.missing(last_month, this_month)
    mtd = _sum(current) if synced_now or current else None
    previous_total = _sum(previous) if synced_before or previous else None
    data_through = coverage.last_day(before=today + timedelta(days=1))

    # Like for like: this month and last month over the same days, both fully synced. When
    # the data stops early, the comparison stops where it does.
    point: int | None = None
    if not missing and mtd is not None:
        point = today.day
    elif (
        data_through is not None
        and data_through >= this_month
        and not coverage.missing(this_month, data_through)
    ):
        point = data_through.day
    compared = same_point = None
    if point is not None:
        limit = last_month + timedelta(days=min(point, days_in_month(last_month)))
        if not coverage.missing(last_month, limit):
            same_point = _sum(r for r in previous if r.day < limit)
            compared = _sum(r for r in current if r.day < this_month + timedelta(days=point))

    this_months = {key: at for key, at in fetched_at.items() if this_month <= key[1] <= today}
    incomplete = sorted(unsettled_days(this_months))
    freshness = provider_freshness(names, last_success=last_success, last_runs=last_runs)
    monthly: dict[date, Decimal] = {}
    starts: dict[date, date] = {}  # each day's month start, once: a day has a row per provider
    for row in daily:
        key = starts.get(row.day)
        if key is None:
            key = starts[row.day] = month_start(row.day)
        monthly[key] = monthly.get(key, ZERO) + row.amount_usd
    month = last_month
    complete_months: dict[date, Decimal] = {}
    for _ in range(GROWTH_MONTHS + 1):
        if coverage.complete(month, next_month_start(month)):
            complete_months[month] = monthly.get(month, ZERO)
        month = previous_month_start(month)
    growth = growth_report(
        complete_months,
        revenue or {},
        last_month=last_month,
        months=GROWTH_MONTHS,
        share_policy=max_spend_share,
        partial_revenue=partial_revenue,
    )
    return StatusReport(
        as_of=now,
        timezone=tz.key,
        today=today,
        month_start=this_month,
        days_in_month=dim,
        month_to_date_usd=mtd,
        previous_month_usd=previous_total,
        previous_month_same_point_usd=same_point,
        by_provider=_by_provider(current, names, synced_now.__contains__),
        previous_by_provider=_by_provider(previous, names, synced_before.__contains__),
        forecast=forecast,
        budget_usd=budget_usd,
        incomplete_days=incomplete,
        freshness=freshness,
        growth=growth,
        missing_days=missing,
        data_through=data_through,
        previous_month_missing_days=previous_missing,
        same_point_day=point,
        month_to_date_compared_usd=compared,
        stale_after_hours=stale_after_hours,
        **_closed_month_revisions(revisions, last_month, this_month),
        currencies=tuple(currencies),
        runways=tuple(runways),
    )


def _closed_month_revisions(
    revisions: Sequence[Revision], first: date, end: date
) -> dict[str, Any]:
    """The net change to [first, end)'s days from revisions made after the month closed."""
    closed = datetime.combine(end, time(0), tzinfo=UTC)
    late = [r for r in revisions if first <= r.day < end and r.revised_at >= closed]
    if not late:
        return {}
    return {
        "previous_month_revised_usd": sum((r.change_usd for r in late), ZERO),
        "previous_month_revised_at": max(r.revised_at for r in late),
    }
