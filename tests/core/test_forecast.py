"""The spend forecast and its back-test, on series whose right answer is known by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.core.backtest import backtest, synthetic_daily_spend
from bot.core.forecast import Estimate, Forecast, forecast_spend, naive_month_end
from bot.core.money import cents


def series(start: date, days: int, amount: Callable[[date], float | int]) -> dict[date, Decimal]:
    return {
        start + timedelta(days=n): Decimal(str(amount(start + timedelta(days=n))))
        for n in range(days)
    }


def workweek(day: date) -> int:
    """$100 on weekdays, $40 on weekends."""
    return 100 if day.weekday() < 5 else 40


def flat(day: date) -> int:
    return 100


def forecast(daily: dict[date, Decimal], today: date, **kwargs: object) -> Forecast:
    result = forecast_spend(daily, today=today, **kwargs)  # type: ignore[arg-type]
    assert result is not None
    return result


def ordered(estimate: Estimate) -> bool:
    return estimate.low <= estimate.point <= estimate.high


def test_flat_series_with_quiet_weekends_forecasts_the_flat_level() -> None:
    daily = series(date(2026, 1, 1), 135, workweek)  # 1 Jan .. 15 May 2026
    result = forecast(daily, date(2026, 5, 16))

    # May 2026: 21 weekdays and 10 weekend days -> 21 * 100 + 10 * 40 = 2,500.
    exact = sum(workweek(date(2026, 5, d)) for d in range(1, 32))
    assert exact == 2500
    assert abs(result.month_end.point - exact) <= Decimal("0.01") * exact
    assert result.month_to_date == sum(workweek(date(2026, 5, d)) for d in range(1, 16))
    assert result.monthly_growth == 0
    # 100 and 40 around a weekly mean of 580/7: weekdays 700/580, weekends 280/580.
    assert result.weekday_factors[0] == Decimal("1.2069")
    assert result.weekday_factors[6] == Decimal("0.4828")
    month_end = result.month_end
    assert all(
        v.as_tuple().exponent == -2 for v in (month_end.point, month_end.low, month_end.high)
    )


def test_known_growth_is_recovered_within_a_percentage_point() -> None:
    daily = synthetic_daily_spend(date(2025, 1, 1), 400, monthly_growth=0.06, noise=0.1, seed=3)
    result = forecast(daily, date(2026, 2, 5))

    assert abs(result.monthly_growth - Decimal("0.06")) <= Decimal("0.01")
    assert "Growth of +" in result.method
    # Weekends at 0.45 of a weekday: factors 1/(5+0.9)*7 = 1.186 and 0.534.
    assert abs(result.weekday_factors[2] - Decimal("1.186")) < Decimal("0.05")
    assert abs(result.weekday_factors[5] - Decimal("0.534")) < Decimal("0.05")


def test_a_five_times_spike_barely_moves_the_projection() -> None:
    today = date(2026, 2, 15)
    quiet = synthetic_daily_spend(date(2025, 6, 1), 259, noise=0.1, seed=7)
    spiked = dict(quiet)
    spiked[date(2026, 1, 21)] = quiet[date(2026, 1, 21)] * 5

    before = forecast(quiet, today).month_end.point
    after = forecast(spiked, today).month_end.point
    assert abs(after - before) / before < Decimal("0.02")


def test_ranges_hold_the_point_and_widen_with_the_horizon() -> None:
    daily = synthetic_daily_spend(date(2025, 6, 1), 250, noise=0.15, seed=11)
    result = forecast(daily, date(2026, 2, 10))

    assert ordered(result.month_end)
    assert all(ordered(m.estimate) for m in result.next_months)
    widths = [(m.estimate.high - m.estimate.low) / m.estimate.point for m in result.next_months]
    assert widths[0] < widths[5] < widths[11]
    assert result.month_end.high - result.month_end.low < result.next_months[0].estimate.high - (
        result.next_months[0].estimate.low
    )


def test_next_months_are_the_calendar_months_after_this_one() -> None:
    daily = series(date(2026, 10, 1), 60, flat)
    result = forecast(daily, date(2026, 12, 1), horizon=3)

    assert [m.month for m in result.next_months] == [
        date(2027, 1, 1),
        date(2027, 2, 1),
        date(2027, 3, 1),
    ]
    assert result.month_to_date == 0  # the 1st: no day of December has passed
    assert abs(result.month_end.point - 3100) < 31  # 31 days at $100
    assert abs(result.next_months[1].estimate.point - 2800) < 28  # February 2027: 28 days


def test_leap_february_has_29_days() -> None:
    daily = series(date(2027, 12, 1), 76, flat)  # through 14 Feb 2028
    result = forecast(daily, date(2028, 2, 15))

    assert result.month_to_date == 1400
    assert abs(result.month_end.point - 2900) < 29


def test_fewer_than_seven_complete_days_gives_no_forecast() -> None:
    today = date(2026, 11, 20)
    six = series(today - timedelta(days=6), 7, flat)  # 14..20 Nov: today does not count
    assert forecast_spend(six, today=today) is None
    assert forecast_spend({}, today=today) is None
    seven = series(today - timedelta(days=7), 7, flat)
    assert forecast_spend(seven, today=today) is not None


def test_days_never_synced_are_forecast_not_counted_as_zero() -> None:
    daily = series(date(2026, 11, 3), 17, flat)  # 3..19 Nov synced; 1..2 Nov never were
    result = forecast(daily, date(2026, 11, 20))

    assert result.history_days == 17
    assert result.month_to_date == 1700
    # 1..2 Nov are unknown: forecast like 20..30 Nov, 13 days at $100, never a $0 day.
    assert abs(result.month_end.point - 3000) < 30
    assert result.unknown_days == (date(2026, 11, 1), date(2026, 11, 2))
    assert "2 days of this month before today have no complete synced data" in result.method
    assert "no growth yet" in result.method


def test_days_synced_without_spend_are_real_zero_days() -> None:
    daily = series(date(2026, 11, 1), 19, lambda day: 0 if day.day < 3 else 100)
    result = forecast(daily, date(2026, 11, 20))

    assert result.month_to_date == 1700
    assert result.unknown_days == ()
    # 1..2 Nov are $0 days that happened: only 20..30 Nov are forecast, and the two $0 days
    # are history too, pulling the days replayed below $100 (never above 1700 + 11 x 100).
    assert 2400 < result.month_end.point < 2800


def test_a_gap_inside_the_history_is_filled_not_zero_and_a_lagging_sync_is_forecast() -> None:
    daily = series(date(2026, 9, 1), 77, flat)  # 1 Sep .. 16 Nov; today is 20 Nov
    del daily[date(2026, 11, 10)]
    result = forecast(daily, date(2026, 11, 20))

    assert result.history_days == 77  # the gap stays a day of history, filled at $100
    assert result.month_to_date == 1500  # 1..16 Nov without the 10th
    # The 10th and 17..30 Nov are forecast: 15 days at $100, none of them a $0 day.
    assert abs(result.month_end.point - 3000) < 30
    assert result.unknown_days == tuple(date(2026, 11, d) for d in (10, 17, 18, 19))
    assert "1 unsynced days in the history were filled from the same weekday" in result.method


def test_more_than_a_week_unsynced_in_the_last_four_weeks_refuses() -> None:
    daily = series(date(2026, 9, 1), 80, flat)  # 1 Sep .. 19 Nov
    for n in range(8):
        del daily[date(2026, 11, 1) + timedelta(days=n)]
    assert forecast_spend(daily, today=date(2026, 11, 20)) is None
    del daily[date(2026, 9, 1)]  # one less known day; one fewer gap in the recent window:
    daily[date(2026, 11, 1)] = Decimal(100)
    assert forecast_spend(daily, today=date(2026, 11, 20)) is not None


def test_short_history_says_what_it_could_not_fit() -> None:
    daily = series(date(2026, 11, 10), 10, workweek)
    result = forecast(daily, date(2026, 11, 20))

    assert result.weekday_factors == (Decimal(1),) * 7
    assert result.monthly_growth == 0
    assert "Only 10 days" in result.method and "no weekday pattern" in result.method
    assert ordered(result.month_end)


def test_all_zero_history_forecasts_zero() -> None:
    daily = series(date(2026, 10, 1), 50, lambda day: 0)
    result = forecast(daily, date(2026, 11, 20))

    assert result.month_end == Estimate(Decimal(0), Decimal(0), Decimal(0))
    assert all(m.estimate.point == 0 for m in result.next_months)
    assert "forecast is zero" in result.method


def test_weekends_without_spend_are_forecast_as_zero() -> None:
    daily = series(date(2026, 8, 1), 111, lambda day: 100 if day.weekday() < 5 else 0)
    result = forecast(daily, date(2026, 11, 20))

    assert result.weekday_factors[5] == result.weekday_factors[6] == 0
    # 20..30 Nov 2026 holds 7 weekdays: 19 Nov MTD weekdays = 14, so 1400 + 700.
    assert abs(result.month_end.point - 2100) < 21


def test_runaway_growth_is_capped_and_said_so() -> None:
    daily = synthetic_daily_spend(date(2026, 6, 1), 120, monthly_growth=2.0, noise=0.05)
    result = forecast(daily, date(2026, 9, 29))

    assert result.monthly_growth == Decimal("0.5")
    assert "capped at ±50 %" in result.method


def test_naive_month_end_is_spend_per_known_day_times_days_in_month() -> None:
    daily = series(date(2026, 10, 25), 17, flat)  # 25 Oct .. 10 Nov
    daily[date(2026, 11, 11)] = Decimal(50)  # today: not counted
    daily[date(2026, 11, 4)] = Decimal(150)

    # 1..10 Nov: 9 * 100 + 150 = 1,050 over 10 days, times 30 days in November.
    assert naive_month_end(daily, today=date(2026, 11, 11)) == Decimal("3150.00")
    # 2 Nov: 1 Nov alone; 1 Nov: nothing has elapsed.
    assert naive_month_end(daily, today=date(2026, 11, 2)) == Decimal("3000.00")
    assert naive_month_end(daily, today=date(2026, 11, 1)) is None
    # Days never synced are left out, not $0: $1 over the 1 known day × 30 days = $30;
    # a day synced without spend is a real $0: $1 over 3 known days × 30 days = $10.
    sparse = {date(2026, 11, 1): Decimal(1)}
    assert naive_month_end(sparse, today=date(2026, 11, 4)) == Decimal("30.00")
    zeros = {**sparse, date(2026, 11, 2): Decimal(0), date(2026, 11, 3): Decimal(0)}
    assert naive_month_end(zeros, today=date(2026, 11, 4)) == Decimal("10.00")


def test_backtest_on_known_growth_and_seasonality_beats_the_run_rate() -> None:
    daily = synthetic_daily_spend(
        date(2024, 1, 1), 731, monthly_growth=0.06, noise=0.1, spike_chance=0.01, seed=42
    )
    result = backtest(daily)

    # January 2024 has only 14 days before its 15th; February 2024 .. December 2025 qualify.
    assert [r.month for r in result.rows][:2] == [date(2024, 2, 1), date(2024, 3, 1)]
    assert len(result.rows) == 23
    assert result.forecast_mape_pct is not None and result.naive_mape_pct is not None
    assert result.forecast_mape_pct < result.naive_mape_pct
    assert result.hit_rate_pct is not None and 50 <= result.hit_rate_pct <= 100
    february = result.rows[0]
    assert february.actual == sum(a for d, a in daily.items() if d.month == 2 and d.year == 2024)
    low, high = february.forecast.low, february.forecast.high
    assert february.inside == (low <= cents(february.actual) <= high)


def test_backtest_skips_months_that_are_incomplete_or_lack_history() -> None:
    daily = series(date(2026, 8, 1), 112, workweek)  # 1 Aug .. 20 Nov (the 20th partial)
    result = backtest(daily, today=date(2026, 11, 20))

    assert [r.month for r in result.rows] == [date(2026, 9, 1), date(2026, 10, 1)]
    assert backtest(daily, today=date(2026, 11, 20), min_history=60).rows == [result.rows[1]]
    empty = backtest({}, today=date(2026, 11, 20))
    assert empty.rows == [] and empty.forecast_mape_pct is None
    with pytest.raises(ValueError):
        backtest(daily, day_of_month=31)
