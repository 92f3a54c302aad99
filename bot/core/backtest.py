"""Back-testing the spend forecast against the naive run rate, on stored or synthetic history.

For each complete month, pretend it is the middle of that month, forecast from the days before
only, and compare with what the month really cost. The run rate (month-to-date ÷ days elapsed ×
days in month) is the baseline the forecast has to beat; the forecast's range should hold the
real total about as often as its coverage says.

`synthetic_daily_spend` makes a series whose growth and weekly pattern are known, so the
back-test means something even where stored history is a few months long.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .clock import month_start, next_month_start
from .forecast import Estimate, forecast_spend, naive_month_end
from .money import ZERO, cents
from .month import DAYS_PER_MONTH

__all__ = ["AheadRow", "BacktestResult", "BacktestRow", "backtest", "synthetic_daily_spend"]

_PCT = Decimal("0.01")
# Mon..Fri busy, weekends under half: the shape of a team's API spend (and of the demo data).
WORKWEEK = (1.0, 1.0, 1.0, 1.0, 1.0, 0.45, 0.45)


@dataclass(frozen=True, slots=True)
class AheadRow:
    """A later month's total as forecast on the test day, beside what it really cost."""

    months_ahead: int  # 1: the month after the one tested
    month: date
    actual: Decimal
    forecast: Estimate

    @property
    def error_pct(self) -> Decimal | None:
        return _error_pct(self.forecast.point, self.actual)

    @property
    def inside(self) -> bool:
        return self.forecast.low <= cents(self.actual) <= self.forecast.high


@dataclass(frozen=True, slots=True)
class BacktestRow:
    month: date  # first day of the month tested
    actual: Decimal
    forecast: Estimate  # month_end as forecast on the test day
    naive: Decimal
    inside: bool  # the actual total fell within [forecast.low, forecast.high]
    ahead: tuple[AheadRow, ...] = ()  # the next months forecast that day and complete in store

    @property
    def forecast_error_pct(self) -> Decimal | None:
        return _error_pct(self.forecast.point, self.actual)

    @property
    def naive_error_pct(self) -> Decimal | None:
        return _error_pct(self.naive, self.actual)


@dataclass(frozen=True, slots=True)
class BacktestResult:
    day_of_month: int
    rows: list[BacktestRow]
    forecast_mape_pct: Decimal | None  # None when no month could be tested
    naive_mape_pct: Decimal | None
    hit_rate_pct: Decimal | None  # share of months whose actual fell inside the range


def backtest(
    daily: Mapping[date, Decimal],
    *,
    day_of_month: int = 15,
    min_history: int = 28,
    today: date | None = None,
    coverage: float = 0.8,
    horizon: int = 0,
) -> BacktestResult:
    """Forecast every complete month as of its day `day_of_month`, and score both methods.

    A month is tested when all its days are stored (none before the first stored day, none on or
    after `today`, which defaults to the day after the last stored day) and at least
    `min_history` days are stored before the test day. Errors are absolute percentages of the
    actual total; months that cost nothing are listed but not scored. With `horizon`, each row
    also scores the next `horizon` months forecast on the test day, those complete in store.
    """
    if not 2 <= day_of_month <= 28:
        raise ValueError("day_of_month must be between 2 and 28, so every month has it")
    known = {d: a for d, a in daily.items() if today is None or d < today}
    if not known:
        return BacktestResult(day_of_month, [], None, None, None)
    first = min(known)
    end = today or max(known) + timedelta(days=1)  # first day not (completely) stored
    rows = []
    month = month_start(first) if first.day == 1 else next_month_start(first)
    while next_month_start(month) <= end:
        test_day = month.replace(day=day_of_month)
        forecast = forecast_spend(known, today=test_day, horizon=horizon, coverage=coverage)
        naive = naive_month_end(known, today=test_day)
        if (test_day - first).days >= min_history and forecast and naive is not None:
            actual = _month_total(known, month)
            estimate = forecast.month_end
            inside = estimate.low <= cents(actual) <= estimate.high
            ahead = tuple(
                AheadRow(k, later.month, _month_total(known, later.month), later.estimate)
                for k, later in enumerate(forecast.next_months, start=1)
                if next_month_start(later.month) <= end
            )
            rows.append(BacktestRow(month, actual, estimate, naive, inside, ahead))
        month = next_month_start(month)
    return BacktestResult(
        day_of_month=day_of_month,
        rows=rows,
        forecast_mape_pct=_mean([r.forecast_error_pct for r in rows]),
        naive_mape_pct=_mean([r.naive_error_pct for r in rows]),
        hit_rate_pct=_mean([Decimal(100 if r.inside else 0) for r in rows]),
    )


def synthetic_daily_spend(
    start: date,
    days: int,
    *,
    daily_usd: float = 200.0,
    monthly_growth: float = 0.06,
    weekday_factors: Sequence[float] = WORKWEEK,
    noise: float = 0.1,
    spike_chance: float = 0.0,
    seed: int = 0,
) -> dict[date, Decimal]:
    """A daily series with known shape: compound growth × weekday factor × noise × spikes.

    Noise is log-normal with `noise` as its log standard deviation; a spike day (probability
    `spike_chance`) costs 3 to 5 times as much. Seeded, so a test sees the same series every run.
    """
    rng = random.Random(seed)
    daily_growth = math.log1p(monthly_growth) / float(DAYS_PER_MONTH)
    series = {}
    for i in range(days):
        day = start + timedelta(days=i)
        amount = daily_usd * math.exp(daily_growth * i) * weekday_factors[day.weekday()]
        amount *= math.exp(rng.gauss(0, noise))
        if rng.random() < spike_chance:
            amount *= rng.uniform(3, 5)
        series[day] = Decimal(f"{amount:.6f}")
    return series


def _month_total(known: Mapping[date, Decimal], month: date) -> Decimal:
    following = next_month_start(month)
    return sum((a for d, a in known.items() if month <= d < following), ZERO)


def _error_pct(estimate: Decimal, actual: Decimal) -> Decimal | None:
    if actual <= 0:
        return None
    return (abs(estimate - actual) * 100 / actual).quantize(_PCT)


def _mean(values: Sequence[Decimal | None]) -> Decimal | None:
    scored = [v for v in values if v is not None]
    if not scored:
        return None
    return (sum(scored, ZERO) / len(scored)).quantize(_PCT)
