"""The forecast's weekday pattern: aligned to the calendar, and trimmed against one-off days.

Each series here is exact (no noise), so every ratio behind a weekday factor can be worked out
by hand: a ratio is a day's spend over the mean of the 7 days centred on it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.core.forecast import Forecast, forecast_spend

MONDAY_HEAVY = (Decimal("1.7500"),) + (Decimal("0.8750"),) * 6
EVEN = (Decimal("1.0000"),) * 7


def series(start: date, days: int, amount: Callable[[date], int]) -> dict[date, Decimal]:
    return {
        start + timedelta(days=n): Decimal(amount(start + timedelta(days=n))) for n in range(days)
    }


def monday_heavy(day: date) -> int:
    """$200 on Mondays, $100 on every other day."""
    return 200 if day.weekday() == 0 else 100


def flat(day: date) -> int:
    return 100


def forecast(daily: dict[date, Decimal], today: date) -> Forecast:
    result = forecast_spend(daily, today=today)
    assert result is not None
    return result


# Every 7 consecutive days hold one Monday: a centred mean of (200 + 6 x 100) / 7 = 800/7.
# Monday's ratio is 200 / (800/7) = 1.75, every other day's 100 / (800/7) = 0.875; they sum to
# 1.75 + 6 x 0.875 = 7, so normalising to mean 1 leaves them as they are.


@pytest.mark.parametrize("start", [date(2026, 9, 28) + timedelta(days=k) for k in range(7)])
def test_weekday_factors_belong_to_calendar_weekdays_whatever_day_the_history_starts(
    start: date,
) -> None:
    """The factors are labelled Mon..Sun for the user and weight the forecast's days by weekday,
    so they must follow the calendar, not the weekday the synced history happens to start on."""
    result = forecast(series(start, 40, monday_heavy), start + timedelta(days=40))

    assert result.weekday_factors == MONDAY_HEAVY


def test_each_forecast_day_gets_its_own_weekday_factor() -> None:
    """The rest of the month and the next months are summed day by day, each with its weekday's
    factor: a month with five Mondays costs more than one with four."""
    # 1 Sep .. 29 Nov 2026 (90 days); today is Monday 30 Nov, the month's last day.
    result = forecast(series(date(2026, 9, 1), 90, monday_heavy), date(2026, 11, 30))

    assert result.weekday_factors == MONDAY_HEAVY
    # 1..29 Nov holds the Mondays 2, 9, 16, 23: 4 x 200 + 25 x 100 = 3,300, stored.
    assert result.month_to_date == 3300
    # Only Monday 30 Nov is forecast: 800/7 x 1.75 = 200, so 3,500. Weighted as a Sunday or a
    # Tuesday it would be 100.
    assert abs(result.month_end.point - 3500) <= Decimal("0.50")
    # February 2027 has 4 Mondays: 4 x 200 + 24 x 100 = 3,200; March 2027 has 5 (1, 8, 15, 22,
    # 29): 5 x 200 + 26 x 100 = 3,600. Months further out are noisier, so 1 % either way.
    february, march = result.next_months[2], result.next_months[3]
    assert february.month == date(2027, 2, 1) and march.month == date(2027, 3, 1)
    assert abs(february.estimate.point - 3200) < 32
    assert abs(march.estimate.point - 3600) < 36


def test_one_spike_is_trimmed_from_every_weekday() -> None:
    """A one-off spike must not teach the forecast a weekday pattern: it is one extreme ratio
    on its own weekday and one low ratio on each of the others, and trimming drops both."""
    daily = series(date(2026, 10, 1), 41, flat)  # Thu 1 Oct .. Tue 10 Nov 2026
    daily[date(2026, 10, 21)] = Decimal(800)  # a Wednesday, day 20 of the history
    result = forecast(daily, date(2026, 11, 11))

    # Ratios exist for days 3..37 (a full 7-day window around them): 35 ratios, 5 per weekday,
    # and a fifth of 5 is 1 dropped at each end. The 7 windows holding the spike have mean
    # (800 + 6 x 100) / 7 = 200: the spike's ratio is 800/200 = 4, its six neighbours' 0.5.
    # So Wednesday has {1, 1, 1, 1, 4} and every other weekday {0.5, 1, 1, 1, 1}: without the
    # top and bottom one, all are 1. (Untrimmed they would be 8/5 = 1.6 and 4.5/5 = 0.9.)
    assert result.weekday_factors == EVEN


def test_trimming_drops_a_fifth_at_each_end_and_no_more() -> None:
    """Trimming is for one-off days, not for a habit: a fifth of each weekday's ratios goes at
    each end, so two spikes in ten weeks vanish, while two in five weeks still count."""
    # Thu 1 Oct .. Tue 15 Dec 2026 (76 days): ratios for days 3..72, 70 of them, 10 per
    # weekday, and a fifth of 10 is 2 dropped at each end.
    ten_weeks = series(date(2026, 10, 1), 76, flat)
    ten_weeks[date(2026, 10, 14)] = Decimal(800)  # Wednesdays, days 13 and 48: their
    ten_weeks[date(2026, 11, 18)] = Decimal(800)  # windows (days 10..16, 45..51) do not overlap
    # Wednesday {4, 4, 1 x 8} and the others {0.5, 0.5, 1 x 8}: the middle six are all 1.
    assert forecast(ten_weeks, date(2026, 12, 16)).weekday_factors == EVEN

    # Thu 1 Oct .. Tue 10 Nov (41 days): 5 ratios per weekday, 1 dropped at each end.
    five_weeks = series(date(2026, 10, 1), 41, flat)
    five_weeks[date(2026, 10, 14)] = Decimal(800)  # Wednesdays, days 13 and 27: windows
    five_weeks[date(2026, 10, 28)] = Decimal(800)  # 10..16 and 24..30
    # Wednesday {1, 1, 1, 4, 4} keeps {1, 1, 4}: mean 2; the others {0.5, 0.5, 1, 1, 1} keep
    # {0.5, 1, 1}: mean 5/6. They sum to 2 + 6 x 5/6 = 7, so they stand as they are.
    factors = forecast(five_weeks, date(2026, 11, 11)).weekday_factors
    assert factors == (Decimal("0.8333"),) * 2 + (Decimal("2.0000"),) + (Decimal("0.8333"),) * 4


def test_a_weekly_pattern_alone_is_not_mistaken_for_growth() -> None:
    """Spend that climbs from Monday to Saturday every week is a weekday pattern, not growth:
    growth is fitted on spend divided by its weekday factor, which here is level."""
    by_weekday = (40, 70, 100, 100, 130, 160, 100)  # Mon..Sun, $700 a week
    result = forecast(
        series(date(2026, 8, 19), 90, lambda day: by_weekday[day.weekday()]), date(2026, 11, 17)
    )

    # Every 7-day window holds each weekday once: mean 700/7 = 100, so each factor is its
    # day's spend over 100, and they already sum to 7.
    assert result.weekday_factors == tuple(Decimal(v) / 100 for v in by_weekday)
    assert result.monthly_growth == 0
    # 17..30 Nov 2026 is two whole weeks: 1,400 more.
    assert abs(result.month_end.point - result.month_to_date - 1400) < 3


def test_spend_that_wanders_across_weekdays_has_no_weekday_pattern() -> None:
    """Spend every sixth day lands on a different weekday each time: no weekday is typical, so
    every factor must be 1, not a pattern made of one-off days."""
    # Thu 1 Oct .. Tue 10 Nov 2026 (41 days): $600 on days 0, 6, 12, .., 36, else $0.
    result = forecast(
        series(
            date(2026, 10, 1), 41, lambda day: 600 if (day - date(2026, 10, 1)).days % 6 == 0 else 0
        ),
        date(2026, 11, 11),
    )

    # Ratios for days 3..37, 5 per weekday (days i, i+7, .., i+28). Every 7-day window holds a
    # spending day, so each has a ratio; only a spending day's is above 0, and i + 7k runs
    # through 5 consecutive residues mod 6, so at most one of a weekday's 5 is. Trimming one at
    # each end leaves three zeros: every weekday's mean is 0, and with no pattern at all each
    # factor is 1.
    assert result.weekday_factors == EVEN
