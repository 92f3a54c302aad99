"""The calendar's part of daily spend: a pattern by weekday, and one for the last days of a month.

Both are ratios to nearby days, so growth and level do not leak into them, and both are robust
to one-off days: a weekday's ratios are trimmed, a month end's are the median over months. The
forecast divides them out before fitting growth, and multiplies them back into each day it
forecasts.
"""

from __future__ import annotations

import math
import statistics
from datetime import date, timedelta

from .clock import next_month_start

__all__ = ["month_end_factor", "month_end_factors", "weekday_factors"]

TRIM = 0.2  # share of weekday ratios dropped at each end
MONTH_END_DAYS = 3  # the last days of a month may have a pattern of their own
MONTH_END_MONTHS = 3  # complete months before it is estimated
MONTH_END_MIN = math.log(1.25)  # a month-end effect smaller than this is left to the noise


def month_end_factors(
    values: list[float], start: date, factors: tuple[float, ...]
) -> tuple[float, ...]:
    """How the last days of a month spend against the days around them (batch jobs, closing
    runs): each of the last `MONTH_END_DAYS` days' de-seasonalised spend over the median of the
    week before them and the week after (so steady growth cancels out), the median over the
    months of the history. Under `MONTH_END_MONTHS` months, or inside ±`MONTH_END_MIN` of 1,
    there is none."""
    level = [
        values[i] / f if (f := factors[(start + timedelta(days=i)).weekday()]) > 0 else None
        for i in range(len(values))
    ]
    ratios: list[list[float]] = [[] for _ in range(MONTH_END_DAYS)]
    closing = next_month_start(start)
    while (edge := (closing - start).days) + 7 <= len(values):
        block = edge - MONTH_END_DAYS
        if block - 7 >= 0:
            around = [v for v in level[block - 7 : block] + level[edge : edge + 7] if v]
            middle = statistics.median(around) if around else 0.0
            for back in range(MONTH_END_DAYS):
                value = level[edge - 1 - back]
                if middle > 0 and value is not None:
                    ratios[back].append(value / middle)
        closing = next_month_start(closing)
    found = []
    for r in ratios:
        factor = statistics.median(r) if len(r) >= MONTH_END_MONTHS else 1.0
        found.append(factor if abs(math.log(max(factor, 1e-9))) > MONTH_END_MIN else 1.0)
    return tuple(found)


def month_end_factor(month_end: tuple[float, ...], day: date) -> float:
    """The factor for a day near the end of its month, 1 elsewhere."""
    before_end = (next_month_start(day) - day).days  # 1 on the month's last day
    return month_end[before_end - 1] if before_end <= len(month_end) else 1.0


def weekday_factors(values: list[float], weekdays: list[int]) -> tuple[float, ...]:
    """Each weekday's trimmed mean ratio to its centred 7-day mean, normalised to mean 1."""
    ratios: list[list[float]] = [[] for _ in range(7)]
    for i in range(3, len(values) - 3):  # values hold at most WEEKLY_DAYS days
        mean = sum(values[i - 3 : i + 4]) / 7
        if mean > 0:
            ratios[weekdays[i]].append(values[i] / mean)
    raw = [_trimmed_mean(r) if r else 1.0 for r in ratios]
    total = sum(raw)
    return tuple(f * 7 / total for f in raw) if total > 0 else (1.0,) * 7


def _trimmed_mean(values: list[float]) -> float:
    """Mean of the middle 60 %: nearly as steady as a mean, as indifferent to spikes as a median."""
    ordered = sorted(values)
    cut = int(len(ordered) * TRIM)
    return statistics.fmean(ordered[cut : len(ordered) - cut])
