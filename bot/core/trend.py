"""Growth for the forecast: a robust slope, and how it is projected months ahead.

The fitted rate is the Theil–Sen slope (the median of the slopes between every pair of days),
so a spike moves it by one rank at most. Projected forward, growth fades month by month (a
damped trend), faster when it is fast, and fast growth that is slowing is read from its recent
weeks; growth that has held steady over the whole half-year is read off all of it. These are
the forecast's growth rules alone, kept apart from its fitting and simulation.
Plain Python on floats: log spend per day in, log growth per day out.
"""

from __future__ import annotations

import math
import statistics

from .month import DAYS_PER_MONTH

__all__ = [
    "CONSISTENT_Z",
    "DECELERATION_FROM",
    "GROWTH_DAMPING",
    "RECENT_DAYS",
    "damped",
    "damping",
    "longer_slope",
    "per_day",
    "recent_slope",
    "slope_sd",
    "theil_sen",
]

_MONTH_DAYS = float(DAYS_PER_MONTH)

# Fast growth rarely lasts (adoption saturates), so projected growth fades: each month ahead
# keeps this share of the previous month's rate.
GROWTH_DAMPING = 0.9
# Growth faster than FAST_GROWTH a month fades faster still: each point of monthly growth above
# it takes FAST_FADE points off the damping, down to MIN_DAMPING. Adoption curves flatten
# soonest where they are steepest. Tuned on the bench's tuning seeds (1-4: 3 months ahead 13.3 %
# -> 12.4 %); on the reported seeds (101-104) 13.4 % -> 12.6 %, no shape worse.
FAST_GROWTH = 0.05
FAST_FADE = 1.5
MIN_DAMPING = 0.5
# Above this monthly growth over the 12 weeks, the last six weeks' growth is used if it is
# slower. Tuned on the bench's tuning seeds (3 months ahead 12.39 % -> 12.08 %); on the reported
# seeds 12.62 % -> 12.41 %, S-curves 24.7 % -> 22.9 %, no shape worse.
DECELERATION_FROM = 0.10
RECENT_DAYS = 42
# A slope's error falls with the days behind it to the power 1.5, so growth read off half a year
# has about a third of the error of growth read off 12 weeks, and months ahead that error is
# what the forecast multiplies. The half-year is used when its slope lies within CONSISTENT_Z of
# the 12 weeks' standard errors from theirs (growth has not changed; an adoption curve or an
# older shift would set them apart), with LONGER_MIN_EXTRA days beyond the 12 weeks at least.
# On the bench's tuning seeds 3 months ahead 12.08 % -> 11.49 %, day 15 3.00 % -> 2.91 %; on
# the reported seeds 12.41 % -> 11.47 % and 3.09 % -> 2.95 %, no shape worse than the run rate.
CONSISTENT_Z = 2.0
LONGER_MIN_EXTRA = 28
_MAD_TO_SD = 1.4826  # a normal sample's median absolute deviation times this is its sd


def damping(slope: float) -> float:
    """How much of its growth a month keeps into the next, projected."""
    growth = abs(math.expm1(slope * _MONTH_DAYS))
    if growth <= FAST_GROWTH:
        return GROWTH_DAMPING
    return max(MIN_DAMPING, GROWTH_DAMPING - FAST_FADE * (growth - FAST_GROWTH))


def recent_slope(points: list[tuple[int, float]], n: int, otherwise: float) -> float:
    """Growth over the last RECENT_DAYS alone (when enough of them are known): fast growth that
    is slowing, an adoption curve past its steepest, shows there before the 12 weeks see it."""
    recent = [(i, y) for i, y in points if i >= n - RECENT_DAYS]
    return theil_sen(recent) if len(recent) >= RECENT_DAYS // 2 else otherwise


def longer_slope(
    longer: list[tuple[int, float]], fitted: list[tuple[int, float]], slope: float
) -> float:
    """The slope over `longer` (all the history's points) when it agrees with `slope`, fitted
    on the points `fitted` (the 12 weeks, in day order), else `slope`: a steady growth is then
    read off more days, so its error months ahead shrinks."""
    if not fitted or len(longer) < len(fitted) + LONGER_MIN_EXTRA:
        return slope
    candidate = theil_sen(longer)
    intercept = statistics.median(y - slope * i for i, y in fitted)
    scatter = _MAD_TO_SD * statistics.median(abs(y - intercept - slope * i) for i, y in fitted)
    error = slope_sd(scatter, fitted[-1][0] - fitted[0][0] + 1)
    return candidate if abs(candidate - slope) < CONSISTENT_Z * error else slope


def damped(days: int, damping: float = GROWTH_DAMPING) -> float:
    """Days of growth that `days` ahead amount to when growth fades by `damping` a month:
    sum of phi^k for k = 1..days, with phi the daily fade. The past is not faded."""
    phi = damping ** (1 / _MONTH_DAYS)
    if days <= 0 or phi >= 1:
        return float(days)
    return phi * (1 - phi**days) / (1 - phi)


def slope_sd(sigma: float, days: int) -> float:
    """Standard error of a slope fitted to `days` evenly spaced days (Theil–Sen ≈ 1.1 × OLS)."""
    return 1.1 * sigma * math.sqrt(12 / (days**3 - days))


def per_day(monthly: float) -> float:
    """A monthly growth rate as log growth per day."""
    return math.log1p(monthly) / _MONTH_DAYS


def theil_sen(points: list[tuple[int, float]]) -> float:
    """Median of the slopes between every pair of points: a spike moves it by one rank at most."""
    slopes = [
        (y2 - y1) / (x2 - x1) for k, (x1, y1) in enumerate(points) for x2, y2 in points[k + 1 :]
    ]
    return statistics.median(slopes) if slopes else 0.0
