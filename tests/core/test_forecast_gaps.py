"""Unsynced days inside the history: filled from the same weekday, else from the days around.

A filled day is history like any other, so in a history under two weeks, where exactly the last
7 days are replayed, a fill shows directly in the forecast.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from bot.core.forecast import forecast_spend


def test_a_gap_takes_its_weekday_and_a_gap_without_one_takes_the_days_around() -> None:
    """A Tuesday gap is filled like the Tuesday before it, not like the busier days around it;
    a gap with no same weekday known takes the median of the week either side. Neither is $0."""
    # Sun 1 .. Fri 13 Nov 2026; today is Saturday 14 Nov.
    amounts = [1000, 1000, 30, 1000, 1000, 1000, None, 100, 100, None, 100, 100, 100]
    daily = {
        date(2026, 11, 1) + timedelta(days=n): Decimal(a)
        for n, a in enumerate(amounts)
        if a is not None
    }
    result = forecast_spend(daily, today=date(2026, 11, 14))
    assert result is not None

    assert result.unknown_days == (date(2026, 11, 7), date(2026, 11, 10))
    assert "2 unsynced days in the history were filled" in result.method
    assert result.month_to_date == 5 * 1000 + 30 + 5 * 100  # 5,530
    # Tue 10 Nov: the only Tuesday known within three weeks is 3 Nov: $30. (The days around it
    # would give the median of 30, 1000 x 3, 100 x 5: $100.)
    # Sat 7 Nov: no Saturday is known (31 Oct and 14 Nov are not), so the median of the known
    # days 31 Oct .. 14 Nov: 30, 100 x 5, 1000 x 5, the 6th of 11: $100.
    # The last 7 days replayed are 7..13 Nov: 100, 100, 100, 30, 100, 100, 100: $90 a day on
    # average. Forecast: the two gaps and 14..30 Nov, 19 days x 90 = 1,710, so 7,240 in all.
    assert abs(result.month_end.point - 7240) < 40
