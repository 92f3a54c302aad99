"""The forecast's limits: what it refuses, when each part of the model starts, and what it says.

Every threshold here is one a user meets: too little data gives no forecast, a short history gives
no weekday pattern or growth, stopped spend gives zero, and `method` says which applies.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.core.forecast import Estimate, Forecast, forecast_spend
from bot.core.month import DAYS_PER_MONTH

RANGE = "the range should hold the outcome about 80 % of the time."


def series(start: date, days: int, amount: Callable[[int], float]) -> dict[date, Decimal]:
    """Spend per day from `start`, by day number."""
    return {start + timedelta(days=n): Decimal(str(amount(n))) for n in range(days)}


def forecast(daily: dict[date, Decimal], today: date) -> Forecast:
    result = forecast_spend(daily, today=today)
    assert result is not None
    return result


@pytest.mark.parametrize("coverage", [0, 1, 1.5])
def test_a_range_that_is_not_a_share_is_refused_in_plain_words(coverage: float) -> None:
    """The back-test passes the range's coverage through; 0 %, 100 % or more is no range."""
    daily = series(date(2026, 10, 1), 50, lambda n: 100)
    with pytest.raises(ValueError, match=r"^coverage must be between 0 and 1$"):
        forecast_spend(daily, today=date(2026, 11, 20), coverage=coverage)


def test_a_forecast_says_which_day_it_is_for_and_covers_a_year_ahead() -> None:
    """Callers render the forecast's own day and, by default, the next twelve months."""
    result = forecast(series(date(2026, 10, 1), 50, lambda n: 100), date(2026, 11, 20))

    assert result.today == date(2026, 11, 20)
    assert [m.month for m in result.next_months] == [
        date(2026, 12, 1) if k == 0 else date(2027, k, 1) for k in range(12)
    ]


def test_the_history_is_at_most_half_a_year() -> None:
    """Older days would keep a changed weekday pattern alive: only the last 182 count."""
    result = forecast(series(date(2026, 5, 1), 200, lambda n: 100), date(2026, 11, 17))

    assert result.history_days == 182  # 18 May .. 16 Nov 2026


def test_the_gap_allowance_counts_exactly_the_last_four_weeks() -> None:
    """Seven unsynced days in the last four weeks are filled; an older gap does not count."""
    daily = series(date(2026, 9, 1), 80, lambda n: 100)  # 1 Sep .. 19 Nov; today 20 Nov
    for day in range(1, 8):
        del daily[date(2026, 11, day)]  # 7 gaps, 1..7 Nov
    # The last four weeks before today are 23 Oct .. 19 Nov; 22 Oct is just outside.
    del daily[date(2026, 10, 22)]
    result = forecast(daily, date(2026, 11, 20))

    assert result.history_days == 80
    assert "8 unsynced days in the history were filled" in result.method


def test_six_known_days_spread_over_ten_give_no_forecast() -> None:
    """Seven known days are the minimum, however long the span they are spread over."""
    daily = series(date(2026, 11, 10), 10, lambda n: 100)  # 10..19 Nov
    for day in (11, 13, 15, 17):
        del daily[date(2026, 11, day)]  # 6 known days left, 4 gaps
    assert forecast_spend(daily, today=date(2026, 11, 20)) is None


def test_month_to_date_is_a_decimal_even_on_the_first() -> None:
    """Every amount is Decimal dollars; on the 1st nothing of the month is stored yet."""
    result = forecast(series(date(2026, 10, 1), 61, lambda n: 100), date(2026, 12, 1))

    assert result.month_to_date == 0 and isinstance(result.month_to_date, Decimal)


def test_method_names_the_filled_and_the_unsynced_days() -> None:
    """The user reads `method` to know what the forecast stands on, gaps included."""
    daily = series(date(2026, 9, 1), 77, lambda n: 100)  # 1 Sep .. 16 Nov; today 20 Nov
    del daily[date(2026, 11, 10)]
    result = forecast(daily, date(2026, 11, 20))

    assert result.method == (
        "Growth of +0.0 %/month and a weekday pattern fitted robustly on the last 77 days of"
        " spend, so one-day spikes barely move them; " + RANGE + " 1 unsynced days in the"
        " history were filled from the same weekday around them, not taken as $0. 4 days of"
        " this month before today have no complete synced data and are forecast, not counted"
        " as $0."
    )


def test_a_weekday_pattern_needs_fourteen_days() -> None:
    """Two of each weekday are the least a weekday pattern can be read from."""
    workweek = lambda n: 100 if (date(2026, 11, 2) + timedelta(days=n)).weekday() < 5 else 40  # noqa: E731
    # Mon 2 .. Sun 15 Nov 2026: every 7-day window holds 5 x 100 + 2 x 40 = 580, so weekdays
    # are 700/580 = 1.2069 and weekend days 280/580 = 0.4828.
    result = forecast(series(date(2026, 11, 2), 14, workweek), date(2026, 11, 16))

    assert result.weekday_factors == (Decimal("1.2069"),) * 5 + (Decimal("0.4828"),) * 2
    assert result.method == (
        "Weekday pattern fitted on 14 days of spend, no growth yet (needs 21 days); "
        + RANGE
        + " 1 days of this month before today have no complete synced data and are forecast,"
        " not counted as $0."
    )


def test_growth_is_fitted_from_twenty_one_days() -> None:
    """Three weeks are the least a growth rate is read from; below that it is not guessed."""
    result = forecast(series(date(2026, 10, 27), 21, lambda n: 100), date(2026, 11, 17))

    assert result.method.startswith(
        "Growth of +0.0 %/month and a weekday pattern fitted robustly on the last 21 days"
    )
    # 20 days growing 1 % a day: no growth is fitted yet, whatever the data suggests.
    growing = forecast(
        series(date(2026, 10, 28), 20, lambda n: round(100 * 1.01**n, 2)), date(2026, 11, 17)
    )
    assert growing.monthly_growth == 0
    assert "no growth yet (needs 21 days)" in growing.method


def test_growth_needs_ten_days_with_spend() -> None:
    """A growth rate is read from days with spend; nine are too few, ten enough."""
    start = date(2026, 10, 27)  # 21 days to 16 Nov; today 17 Nov
    ten = forecast(series(start, 21, lambda n: 0 if n < 11 else 100), date(2026, 11, 17))
    nine = forecast(series(start, 21, lambda n: 0 if n < 12 else 100), date(2026, 11, 17))

    assert ten.method.startswith("Growth of ")
    assert nine.method.startswith("Weekday pattern fitted on 21 days of spend, no growth yet")
    assert nine.monthly_growth == 0


def test_spend_under_a_dollar_a_day_is_still_spend() -> None:
    """Small accounts spend cents a day; that is spend to fit and forecast, not silence."""
    result = forecast(series(date(2026, 10, 1), 60, lambda n: 0.5), date(2026, 11, 30))

    assert result.method.startswith("Growth of +0.0 %/month")
    assert result.month_to_date == Decimal("14.5")  # 1..29 Nov at $0.50
    assert result.month_end.point == Decimal("15.00")  # and 30 Nov forecast at $0.50

    # 50 cents on weekdays and 20 on weekends still make a weekday pattern: each 7-day window
    # holds 5 x 0.5 + 2 x 0.2 = 2.9, so weekdays are 3.5/2.9 = 1.2069, weekends 1.4/2.9 = 0.4828.
    cents = lambda n: 0.5 if (date(2026, 10, 1) + timedelta(days=n)).weekday() < 5 else 0.2  # noqa: E731
    pattern = forecast(series(date(2026, 10, 1), 60, cents), date(2026, 11, 30))
    assert pattern.weekday_factors == (Decimal("1.2069"),) * 5 + (Decimal("0.4828"),) * 2


def test_weekdays_not_seen_since_spend_began_count_as_average() -> None:
    """An account that only began spending this week has ratios for some weekdays and none for
    others: those are taken as average (1) before normalising, neither zero nor skipped."""
    # Mon 2 .. Sun 15 Nov 2026 (14 days): $0 up to Wed 11 Nov, then $100 from Thu 12 Nov.
    result = forecast(
        series(date(2026, 11, 2), 14, lambda n: 0 if n < 10 else 100), date(2026, 11, 16)
    )

    # Ratios are taken for days 3..10 (Thu 5 .. Thu 12 Nov), where the 7-day window is whole.
    # Windows of Thu 5 .. Sun 8 hold no spend: no ratio. Mon 9, Tue 10, Wed 11 spent $0 in
    # windows that hold some: ratio 0. Thu 12 spent $100 in a window of 4 x 100 = 400: ratio
    # 100 / (400/7) = 1.75. So Mon..Wed are 0, Thu 1.75 and Fri..Sun (no ratio) 1, summing to
    # 4.75: normalised, Thu is 1.75 x 7 / 4.75 = 2.5789 and Fri..Sun 7 / 4.75 = 1.4737.
    assert (
        result.weekday_factors
        == (Decimal(0),) * 3 + (Decimal("2.5789"),) + (Decimal("1.4737"),) * 3
    )


def test_spend_on_half_the_last_fourteen_days_counts_as_stopped() -> None:
    """When spend has stopped, the forecast is zero rather than replaying old busy days."""
    # 1 Sep .. 19 Nov 2026 at $100, except the last 14 days (6..19 Nov): spend on every other
    # one of them, 7 in all, is half of 14: stopped, so 20..30 Nov are forecast at $0.
    half = series(date(2026, 9, 1), 80, lambda n: 0 if n >= 66 and n % 2 == 0 else 100)
    result = forecast(half, date(2026, 11, 20))

    # 1..5 Nov at $100, then 6..19 Nov with spend on the 7th, 9th, .., 19th: 5 + 7 days.
    assert result.month_to_date == 1200
    assert result.month_end == Estimate(Decimal(1200), Decimal(1200), Decimal(1200))
    assert result.method == "No spend on most of the last 14 days, so the forecast is zero."
    # One more day with spend (6 Nov) and it has not stopped: 20..30 Nov are forecast.
    half[date(2026, 11, 6)] = Decimal(100)
    assert forecast(half, date(2026, 11, 20)).month_end.point > 1300


def test_a_month_ending_on_a_weekend_without_spend_adds_nothing() -> None:
    """With weekends at $0 and only a weekend left, the month's total is already known."""
    weekdays = lambda n: 100 if (date(2026, 10, 1) + timedelta(days=n)).weekday() < 5 else 0  # noqa: E731
    # 1 Oct 2026 .. Fri 29 Jan 2027; today is Saturday 30 Jan, and 30, 31 Jan are a weekend.
    result = forecast(series(date(2026, 10, 1), 121, weekdays), date(2027, 1, 30))

    # January 2027 up to the 29th: Fri 1, then four full weeks (4..29): 1 + 20 = 21 weekdays.
    assert result.month_end == Estimate(Decimal(2100), Decimal(2100), Decimal(2100))


def test_the_last_day_of_a_steady_month_is_forecast_at_its_level() -> None:
    """One day left is one ordinary day of spend, not nothing."""
    result = forecast(series(date(2026, 9, 1), 90, lambda n: 100), date(2026, 11, 30))

    assert result.month_to_date == 2900
    assert abs(result.month_end.point - 3000) <= Decimal("0.50")


def test_a_short_history_replays_exactly_its_last_week() -> None:
    """Under two weeks there is no weekday pattern, so the last seven days stand for a week:
    older days (here a costlier start) are not replayed."""
    # 11..20 Nov 2026: $1,000 a day for 3 days, then $100 for 7. Today is 21 Nov.
    result = forecast(
        series(date(2026, 11, 11), 10, lambda n: 1000 if n < 3 else 100), date(2026, 11, 21)
    )

    assert result.month_to_date == 3700
    # 1..10 and 21..30 Nov are forecast at $100: 3,700 + 2,000.
    assert abs(result.month_end.point - 5700) < 10


def test_method_says_what_a_short_history_could_not_fit() -> None:
    """Under two weeks the user is told that neither a weekday pattern nor growth was fitted,
    and what each needs."""
    result = forecast(series(date(2026, 11, 11), 10, lambda n: 100), date(2026, 11, 21))

    assert result.method == (
        "Only 10 days of spend: last week's days replayed flat, with no weekday pattern (needs"
        " 14 days) or growth (needs 21) yet; " + RANGE + " 10 days of this month before today"
        " have no complete synced data and are forecast, not counted as $0."
    )


def test_method_says_when_growth_was_capped() -> None:
    """Spend doubling every month is capped at +50 %/month, and the user is told so."""
    per_day = math.log(2) / float(DAYS_PER_MONTH)  # doubling every month
    daily = series(date(2026, 9, 1), 91, lambda n: round(100 * math.exp(per_day * n), 2))
    result = forecast(daily, date(2026, 12, 1))

    assert result.monthly_growth == Decimal("0.5000")
    assert result.method == (
        "Growth of +50.0 %/month (capped at ±50 %) and a weekday pattern fitted robustly on the"
        " last 91 days of spend, so one-day spikes barely move them; " + RANGE
    )
