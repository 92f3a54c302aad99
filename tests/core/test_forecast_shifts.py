"""Shifts, outages and month ends: spend that moves to a new level is re-based, not read as growth;
a dip that recovered is left out; batch jobs at month end are expected again.

Each case compares the forecast on a changed series with the forecast on the same series had it
always been at the level it ends on, so the noise is the same on both sides.
"""

from __future__ import annotations

import statistics
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.core.backtest import backtest, synthetic_daily_spend
from bot.core.forecast import Forecast, forecast_spend
from bot.core.spend_shapes import SHAPES, shaped_daily_spend

# Every moment here is fixed, none is the suite's own: the calendar passes would repeat it.
pytestmark = pytest.mark.calendar_free

TODAY = date(2026, 3, 15)
START = date(2025, 9, 1)  # 195 days of history before TODAY


def forecast(daily: dict[date, Decimal], today: date = TODAY) -> Forecast:
    result = forecast_spend(daily, today=today)
    assert result is not None
    return result


def noisy(growth: float = 0.0, seed: int = 5) -> dict[date, Decimal]:
    """$200 a weekday, quieter weekends, 10 % daily noise, 1 Sep 2025 .. 14 Mar 2026."""
    return synthetic_daily_spend(START, (TODAY - START).days, monthly_growth=growth, seed=seed)


def scaled(daily: dict[date, Decimal], factor: str, since: date) -> dict[date, Decimal]:
    return {d: a * Decimal(factor) if d >= since else a for d, a in daily.items()}


def test_a_launch_step_is_re_based_not_read_as_growth() -> None:
    """Spend up 40 % from 23 Feb: the rest of March is forecast at the new level, growth stays
    flat, and the method says when the shift was."""
    step = date(2026, 2, 23)
    result = forecast(scaled(noisy(), "1.4", step))
    always = forecast(scaled(noisy(), "1.4", START))

    assert abs(result.month_end.point / always.month_end.point - 1) < Decimal("0.03")
    assert abs(result.monthly_growth) < Decimal("0.03")
    assert "Level re-based after a shift on 2026-02-2" in result.method  # within a day or two
    assert "(+4" in result.method  # about +40 %
    # April, a whole month on the new level: within 5 % of the series that was always there.
    april, always_april = result.next_months[0].estimate, always.next_months[0].estimate
    assert abs(april.point / always_april.point - 1) < Decimal("0.05")


def test_a_price_cut_is_not_a_steep_decline() -> None:
    """Spend halved from 10 Feb (a cheaper model): the fitted growth must not swing to a steep
    monthly fall, or every month ahead is under-forecast."""
    result = forecast(scaled(noisy(0.03), "0.5", date(2026, 2, 10)))
    always = forecast(scaled(noisy(0.03), "0.5", START))

    assert abs(result.monthly_growth - always.monthly_growth) < Decimal("0.03")
    assert result.monthly_growth > Decimal("-0.02")
    for months_ahead in (0, 2):  # April and June
        ours = result.next_months[months_ahead].estimate.point
        theirs = always.next_months[months_ahead].estimate.point
        assert abs(ours / theirs - 1) < Decimal("0.06")
    assert abs(result.month_end.point / always.month_end.point - 1) < Decimal("0.03")


def test_an_outage_that_recovered_is_left_out() -> None:
    """Five days at $1 three weeks ago, then back to normal: growth and level are as if they
    never happened, and the method says how many days were left out."""
    daily = noisy(0.03)
    for k in range(5):
        daily[date(2026, 2, 20) + timedelta(days=k)] = Decimal(1)
    result = forecast(daily)
    clean = forecast(noisy(0.03))

    assert abs(result.monthly_growth - clean.monthly_growth) < Decimal("0.005")
    assert abs(result.month_end.point / clean.month_end.point - 1) < Decimal("0.01")
    assert "Level re-based" not in result.method
    assert "5 days of outage" in result.method


def test_a_dip_still_going_on_is_no_new_level() -> None:
    """Three days at $1 up to yesterday: too soon to call it a new level (or a stop), so no shift
    is fitted to it; and the days are no outage either, since spend has not come back."""
    daily = noisy()
    for k in range(1, 4):
        daily[TODAY - timedelta(days=k)] = Decimal(1)
    result = forecast(daily)

    assert "shift" not in result.method and "outage" not in result.method
    assert abs(result.monthly_growth) < Decimal("0.03")


def test_month_end_batches_are_expected_again() -> None:
    """$100 a day, and $400 on each month's last two days (batch jobs): as of 15 March, March is
    forecast with its own two batch days: 29 x 100 + 2 x 400 = 3,700."""
    daily = {
        START + timedelta(days=n): Decimal(400 if (START + timedelta(days=n + 2)).day <= 2 else 100)
        for n in range((TODAY - START).days)
    }
    result = forecast(daily)

    assert abs(result.month_end.point - 3700) < 37
    assert abs(result.next_months[0].estimate.point - (28 * 100 + 2 * 400)) < 36  # April


def test_range_coverage_and_error_on_a_seeded_set_of_shapes() -> None:
    """One series of each synthetic shape (seed 101, 18 months), back-tested as of each 15th:
    the 80 % range holds the actual month in 72-88 % of 170 month-ends (a binomial share of 170
    wanders by 3 points), and the error is well under the run rate's."""
    rows = [
        row
        for shape in SHAPES
        for row in backtest(shaped_daily_spend(shape, 101), day_of_month=15).rows
    ]
    held = sum(1 for r in rows if r.inside) / len(rows)
    error = statistics.fmean(float(r.forecast_error_pct or 0) for r in rows)
    naive = statistics.fmean(float(r.naive_error_pct or 0) for r in rows)

    assert len(rows) == 170
    assert 0.72 <= held <= 0.88
    assert error < 0.7 * naive


def test_fast_growth_that_slows_is_read_from_the_last_six_weeks() -> None:
    """+30 %/month until six weeks ago, +5 %/month since (an adoption curve past its steepest):
    the 12-week median slope still says about +20 %; the growth projected is the recent one."""
    month = 730 / 24
    turn = (TODAY - START).days - 42
    daily = {
        START + timedelta(days=n): Decimal(
            round(
                100 * 1.3 ** (min(n, turn) / month) * 1.05 ** (max(0, n - turn) / month),
                2,
            )
        )
        for n in range((TODAY - START).days)
    }
    result = forecast(daily)
    assert Decimal("0.04") <= result.monthly_growth <= Decimal("0.06")
