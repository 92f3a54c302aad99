"""Which days the forecast's growth is read off: the half-year when growth held steady over it,
the last 12 weeks when it changed."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal

from bot.core.backtest import synthetic_daily_spend
from bot.core.forecast import Forecast, forecast_spend
from bot.core.month import DAYS_PER_MONTH
from bot.core.trend import longer_slope, theil_sen

START = date(2026, 1, 1)
TODAY = START + timedelta(days=182)  # 2 Jul 2026: half a year of history before it
PER_DAY_8 = math.log(1.08) / float(DAYS_PER_MONTH)  # 8 %/month as log growth per day


def forecast(daily: dict[date, Decimal]) -> Forecast:
    result = forecast_spend(daily, today=TODAY)
    assert result is not None
    return result


def flat_then_growing(noise: float, seed: int = 0) -> dict[date, Decimal]:
    """$100 a day for 98 days, then 8 %/month growth for the last 84 (the 12 weeks)."""
    rng = random.Random(seed)
    return {
        START + timedelta(days=i): Decimal(
            str(round(100 * math.exp(PER_DAY_8 * max(0, i - 98) + rng.gauss(0, noise)), 2))
        )
        for i in range(182)
    }


def test_steady_growth_is_read_off_the_half_year_with_a_fifth_of_the_error() -> None:
    """4 %/month growth under 15 % daily noise: read off 182 days, the growth of ten seeded
    series misses by 0.5 points on average (at most 1.2); read off the last 100 days alone
    (too short for the half-year), by 2.9 points, one of them by 14."""
    full, short = [], []
    for seed in range(10):
        daily = synthetic_daily_spend(START, 182, monthly_growth=0.04, noise=0.15, seed=seed)
        recent = {d: a for d, a in daily.items() if d >= TODAY - timedelta(days=100)}
        full.append(abs(forecast(daily).monthly_growth - Decimal("0.04")))
        short.append(abs(forecast(recent).monthly_growth - Decimal("0.04")))

    assert max(full) < Decimal("0.013")
    assert sum(full) < Decimal("0.3") * sum(short)


def test_growth_that_started_twelve_weeks_ago_is_read_off_those_weeks_alone() -> None:
    """Flat for three months, then 8 %/month: over the half-year the slope is far gentler, far
    outside the 12 weeks' error, so the 12 weeks' growth stands and is not blended away."""
    exact = forecast(flat_then_growing(noise=0.0))
    noisy = forecast(flat_then_growing(noise=0.1, seed=5))

    assert abs(exact.monthly_growth - Decimal("0.08")) <= Decimal("0.0002")
    assert abs(noisy.monthly_growth - Decimal("0.08")) <= Decimal("0.01")


def test_longer_slope_takes_the_half_year_only_when_it_agrees() -> None:
    """Points on a line of slope 0.01 with +-0.1 of scatter, the 12 weeks' slope read as 0.011:
    its standard error is 0.00073, so the 140 days' slope of 0.01 agrees (0.001 off, under two
    errors) and is taken; 140 days whose first 56 are level (slope 0.0067) do not agree, and a
    history with under four weeks beyond the 12 is not read at all."""
    scatter = [0.1 if i % 2 else -0.1 for i in range(140)]
    line = [(i, 0.01 * i + scatter[i]) for i in range(140)]
    bent = [(i, 0.01 * max(i, 56) + scatter[i]) for i in range(140)]
    fitted = line[56:]

    assert theil_sen(line) == 0.01
    assert longer_slope(line, fitted, 0.011) == 0.01
    assert abs(theil_sen(bent) - 0.0067) < 1e-4
    assert longer_slope(bent, fitted, 0.011) == 0.011
    assert longer_slope(line[30:], fitted, 0.011) == 0.011  # 110 points: 26 beyond the 84
