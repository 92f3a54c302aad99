"""The forecast's range: how wide it is, worked out by hand from the model's error terms.

Each draw is the replayed spend times exp(N(0, spread)), with
spread^2 = 1.2^2 x (level_var + factor_var x sum(share^2) + (slope_sd x (age + ahead))^2
+ (drift_sd x ahead)^2), 1.2 being the calibration measured on the synthetic set. On an exact
series only the growth terms are left, and the 80 % range is point x exp(+-1.2816 x spread).
With 500 draws the quantiles wander by about 8 % of that width, so the checks allow 10 %.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from bot.core.forecast import Estimate, Forecast, forecast_spend
from bot.core.month import DAYS_PER_MONTH

Z80 = 1.2816  # the standard normal's 90th percentile: an 80 % range is +-1.2816 sd
SCALE = 1.2  # forecast.RANGE_SCALE: the shared error widened to hold 80 % on the back-test
MONTH = float(DAYS_PER_MONTH)
DRIFT_PER_DAY = math.log(1.02) / MONTH  # growth may wander 2 %/month: 0.00065105 per day
UNFITTED_PER_DAY = math.log(1.10) / MONTH  # growth unknown to 10 %/month: 0.0031335 per day


def series(start: date, days: int, amount: Callable[[int], float]) -> dict[date, Decimal]:
    """Spend per day from `start`, by day number."""
    return {start + timedelta(days=n): Decimal(str(amount(n))) for n in range(days)}


def forecast(daily: dict[date, Decimal], today: date) -> Forecast:
    result = forecast_spend(daily, today=today)
    assert result is not None
    return result


def log_spread(estimate: Estimate, known: Decimal = Decimal(0)) -> float:
    """The spread behind an 80 % range, read back from the forecast part of its ends."""
    return math.log((estimate.high - known) / (estimate.low - known)) / 2 / Z80


def test_a_steady_series_is_uncertain_only_about_future_growth() -> None:
    """$100 every day for three months: level, weekday pattern and growth are known exactly, so
    the range is only the allowance for growth to wander, growing with the days ahead."""
    result = forecast(series(date(2026, 9, 1), 91, lambda n: 100), date(2026, 12, 1))

    assert result.monthly_growth == 0
    assert abs(result.month_end.point - 3100) < 6  # 31 days at $100, within 0.2 %
    # December is 1..31 days after 30 Nov: 16 days ahead on average, spread 1.2 x 16 x
    # 0.00065105 = 0.012500; January 32..62 days, 47 ahead, spread 0.036719.
    assert abs(log_spread(result.month_end) / (SCALE * 16 * DRIFT_PER_DAY) - 1) < 0.1
    month = result.next_months[0].estimate
    assert abs(log_spread(month) / (SCALE * 47 * DRIFT_PER_DAY) - 1) < 0.1


def test_the_last_days_of_a_month_are_nearly_certain() -> None:
    """Two days left of a steady month: the range is a few dollars in $300,000, and it is
    measured from the last synced day."""
    # $10,000 a day, 1 Sep .. 28 Nov 2026; today is 29 Nov: 28 days stored, 29 and 30 forecast.
    result = forecast(series(date(2026, 9, 1), 89, lambda n: 10_000), date(2026, 11, 29))

    assert result.month_to_date == 280_000
    assert abs(result.month_end.point - 300_000) < 10
    # 1 and 2 days after 28 Nov: 1.5 ahead, spread 1.2 x 1.5 x 0.00065105 = 0.0011719, and a
    # half width of 20,000 x 1.2816 x 0.0011719 = $30.04.
    half_width = (result.month_end.high - result.month_end.low) / 2
    assert abs(half_width - Decimal("30.01")) < Decimal("3")


def test_without_a_growth_fit_the_range_allows_ten_percent_a_month() -> None:
    """Under three weeks of history growth is not fitted, so the range must own up to not
    knowing it: 10 %/month, from the replayed days' dates to the forecast days."""
    # $100 a day, 1..20 Nov 2026 (a weekday pattern, no growth); today is 21 Nov.
    result = forecast(series(date(2026, 11, 1), 20, lambda n: 100), date(2026, 11, 21))

    assert result.month_to_date == 2000
    assert abs(result.month_end.point - 3000) < 6  # 21..30 Nov forecast at $100
    # The 20 replayed days sit 0..19 days before 20 Nov, 9.5 on average; the forecast days
    # 1..10 after it, 5.5 on average: spread 1.2 x 0.0031335 x (9.5 + 5.5) = 0.056403.
    spread = log_spread(result.month_end, result.month_to_date)
    assert abs(spread / (SCALE * 15 * UNFITTED_PER_DAY) - 1) < 0.1


def test_days_missing_from_the_start_of_the_month_sit_close_to_the_replayed_week() -> None:
    """With under two weeks of history exactly the last week is replayed; unknown days early in
    the month lie before it and the days after today beyond it, and the growth error is the
    distance between them, so the range is narrow."""
    # $10,000 a day, 11..20 Nov 2026 (10 days); today is 21 Nov; 1..10 Nov were never synced.
    result = forecast(series(date(2026, 11, 11), 10, lambda n: 10_000), date(2026, 11, 21))

    assert result.unknown_days == tuple(date(2026, 11, d) for d in range(1, 11))
    assert abs(result.month_end.point - 300_000) < 600  # 30 days at $10,000
    # Replayed: 14..20 Nov, 0..6 days before 20 Nov, 3 on average. Forecast: 1..10 Nov (-19..-10
    # days) and 21..30 Nov (1..10), -4.5 on average. Spread 1.2 x 0.0031335 x |3 - 4.5| =
    # 0.0056402, half width 200,000 x 1.2816 x 0.0056402 = $1,445.7.
    half_width = (result.month_end.high - result.month_end.low) / 2
    assert abs(half_width - Decimal("1444.7")) < 144


def test_day_to_day_scatter_widens_the_range_through_level_and_weekday_pattern() -> None:
    """Spend that swings between $50 and $150 day by day leaves the level and each weekday
    factor uncertain; the range must carry both, or it would be far too confident."""
    # 1..20 Nov 2026, $50 and $150 in turn; today is 21 Nov.
    result = forecast(
        series(date(2026, 11, 1), 20, lambda n: 50 if n % 2 == 0 else 150), date(2026, 11, 21)
    )

    # Each 7-day window holds 3 of one amount and 4 of the other, and each weekday's two ratios
    # (7 days apart) one of each, so every weekday gets the same mean: factors all 1.
    assert result.weekday_factors == (Decimal("1.0000"),) * 7
    assert result.month_to_date == 2000
    # Replayed logs: ln 50 and ln 150, ten each; median ln(sqrt(7500)); every deviation is
    # ln(3)/2 = 0.54931, so sigma = 1.4826 x 0.54931 = 0.81441 and sigma^2 = 0.66327.
    # level: 0.66327 / 20 = 0.033163. weekday: 0.66327 x 8/7 / 2 weeks = 0.37901, times the sum
    # of squared weekday shares of 21..30 Nov (Sat, Sun, Mon twice, the others once):
    # 3 x 0.2^2 + 4 x 0.1^2 = 0.16, so 0.060642. growth: (0.0031335 x (9.5 + 5.5))^2 = 0.002209.
    # Drawing 10 days from {50, 150} adds 0.5^2 / 10 = 0.025 of relative variance, unscaled.
    # spread = sqrt(1.2^2 x (0.033163 + 0.060642 + 0.002209) + 0.025) = 0.40405.
    spread = log_spread(result.month_end, result.month_to_date)
    assert abs(spread / 0.40405 - 1) < 0.1
    assert abs(result.month_end.point - 3000) < 90  # 10 more days at $100 on average, 3 %


def test_steady_growth_is_projected_from_the_last_day() -> None:
    """A series growing exactly 10 % a month is forecast on that curve, damped: each future day
    is the last day grown at 10 %/month for the days between them, the growth fading month by
    month (growth above 5 %/month fades faster: at 10 % a month keeps 0.9 - 1.5 x 0.05 = 0.825
    of it)."""
    per_day = math.log(1.1) / MONTH
    # 1 Sep .. 30 Nov 2026 (91 days), $1,000 x 1.1^(day / MONTH), to the cent.
    daily = series(date(2026, 9, 1), 91, lambda n: round(1000 * math.exp(per_day * n), 2))
    result = forecast(daily, date(2026, 12, 1))

    assert result.monthly_growth == Decimal("0.1000")
    assert result.weekday_factors == (Decimal("1.0000"),) * 7
    # 30 Nov is day 90: 1000 x 1.1^(90 / MONTH) = 1,325.80; December's day k is that times
    # 1.1^(g_k / MONTH), where the k days ahead amount to g_k = phi (1 - phi^k) / (1 - phi)
    # days of growth with phi = 0.825^(1 / MONTH): 43,083.39 (undamped it would be 43,229.77).
    last = 1000 * 1.1 ** (90 / MONTH)
    phi = 0.825 ** (1 / MONTH)
    december = sum(last * 1.1 ** (phi * (1 - phi**k) / (1 - phi) / MONTH) for k in range(1, 32))
    assert abs(float(result.month_end.point) / december - 1) < 0.0015


def test_a_growth_fitted_on_scattered_days_carries_its_own_error() -> None:
    """Over five weeks of $50/$150 days the fitted growth is 0, but a slope read off such
    scattered days is itself uncertain, and the range must carry that error."""
    # 18 Oct .. 20 Nov 2026 (34 days), $50 and $150 in turn; today is 21 Nov.
    daily = series(date(2026, 10, 18), 34, lambda n: 50 if n % 2 == 0 else 150)
    result = forecast(daily, date(2026, 11, 21))

    # As many pairs of days rise as fall (and more lie level), so the median slope is 0.
    assert result.monthly_growth == 0
    assert result.weekday_factors == (Decimal("1.0000"),) * 7
    # sigma^2 = 0.66327 as above. The slope's error over 34 days:
    # 1.1 x 0.81441 x sqrt(12 / (34^3 - 34)) = 0.015661 per day; replayed days 16.5 days back
    # on average, forecast days 5.5 ahead: (0.015661 x 22)^2 = 0.11871. level 0.66327 / 34 =
    # 0.019508; weekday 0.66327 x 8/7 / 4 weeks x 0.16 = 0.030320; drift (0.00065105 x 5.5)^2
    # = 0.000013, 0.16855 in all, times 1.2^2; drawing 10 days 0.025. spread =
    # sqrt(1.44 x 0.16855 + 0.025) = 0.51741.
    spread = log_spread(result.month_end, result.month_to_date)
    assert abs(spread / 0.51741 - 1) < 0.1
