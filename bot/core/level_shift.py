"""Outages and level shifts in de-seasonalised daily spend, found robustly, for the forecast.

Spend does not only drift: a feature launch or a price change moves it to a new level overnight,
and an outage leaves a few days near zero before it comes back. Read as growth, a shift tilts the
fitted trend for weeks (a price cut looked like -20 %/month); read as days like any other, an
outage drags the level down. So before growth is fitted:

- **outages**: days spending under a quarter of the median of the two weeks of normal days
  before them, and then back within two weeks (a dip that recovered), are left out. Low days at
  the end of the history (an outage, or spend stopping: too soon to tell) are no new level to
  shift to, so the shift search leaves them out;
- **shifts**: at every candidate day the median of the two weeks after it is compared with the
  median of the two weeks before, less what the growth alone would explain. The largest move,
  in units of its own standard error (from the day-to-day scatter), is a shift when it is more
  than `SHIFT_Z` errors and more than `MIN_SHIFT` in size, with `MIN_AFTER` days on the new
  level at least (the forecast passes the growth of the half of its window with the gentler
  slope, since a slope fitted across a shift is tilted by it). The shift is then placed on the day
  that splits its four weeks best (least absolute deviation from each side's median), the
  days before it are moved onto the new level, and the search repeats once, for a second shift.

Points are (day number, log of de-seasonalised spend); a day without spend has -inf.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Shift", "find_shifts", "outage_days", "rebase"]

OUTAGE_DROP = math.log(4)  # a day under a quarter of the normal days before it
OUTAGE_SPAN = 14  # normal days before a day that say what it should spend
MAX_OUTAGE = 14  # a longer dip is a new level, not an outage
SHIFT_WINDOW = 14  # days each side of a candidate shift whose medians are compared
MIN_BEFORE = 7  # a shift needs a week on the old level to be told from noise
MIN_AFTER = 5  # and five days on the new one
# Standard errors. On the tuning seeds (bench/forecast_shapes.py --seeds 1 2 3 4) no shift was
# found as of any 15th of the steady, decline, flat and heavy-tailed series (272 month-ends);
# at 5.0, 13 of the +40 % steps' 68 month-ends saw a shift, at 4.0, 15.
SHIFT_Z = 4.0
MIN_SHIFT = math.log(1.15)  # smaller moves are left to the growth fit and the range
MAX_SHIFTS = 2
_MAD_TO_SD = 1.4826
_MEDIAN_SD = 1.2533  # a median of n normal draws has this times sd / sqrt(n) as its error


@dataclass(frozen=True, slots=True)
class Shift:
    at: int  # day number of the first day on the new level
    size: float  # log of the new level over the old one
    sd: float  # standard error of size


def outage_days(points: Sequence[tuple[int, float]]) -> tuple[set[int], set[int]]:
    """Day numbers of the dips that recovered (far below the two weeks of normal days before
    them, then back), and of the low days at the end that have not recovered yet."""
    recent: list[float] = []  # the last normal days: what a day is compared with
    run: list[int] = []  # the current run of low days, by position
    recovered: set[int] = set()
    for k, (_, y) in enumerate(points):
        level = statistics.median(recent) if recent else y
        if math.isfinite(level) and y < level - OUTAGE_DROP:
            run.append(k)
            if len(run) > MAX_OUTAGE:  # too long for an outage: this is the level now
                recent, run = [points[r][1] for r in run], []
            continue
        recovered.update(points[r][0] for r in run)
        run = []
        recent = [*recent, y][-OUTAGE_SPAN:]
    return recovered, {points[r][0] for r in run}


def find_shifts(points: Sequence[tuple[int, float]], slope: float) -> list[Shift]:
    """The level shifts in points (all finite, in day order), latest last; `slope` is the log
    growth per day that the move between two windows is not to be mistaken for."""
    shifts: list[Shift] = []
    current = list(points)
    for _ in range(MAX_SHIFTS):
        shift = _largest_shift(current, slope)
        if shift is None:
            break
        shifts.append(shift)
        current = rebase(current, [shift])
    return sorted(shifts, key=lambda s: s.at)


def rebase(points: Sequence[tuple[int, float]], shifts: Sequence[Shift]) -> list[tuple[int, float]]:
    """Points moved onto the latest level: each day before a shift is raised by its size."""
    return [(i, y + sum(s.size for s in shifts if i < s.at)) for i, y in points]


def _largest_shift(points: list[tuple[int, float]], slope: float) -> Shift | None:
    if len(points) < MIN_BEFORE + MIN_AFTER:
        return None
    ys = [y for _, y in points]
    # One day-to-day step straddles a shift; the median size of the rest says how far a day
    # wanders (a step between two normal days has twice a day's variance).
    steps = [abs(b - a) for a, b in zip(ys, ys[1:], strict=False)]
    scatter = _MAD_TO_SD * statistics.median(steps) / math.sqrt(2)
    if scatter <= 0:
        scatter = 1e-9  # exact data: any real move is a shift
    best: tuple[float, Shift] | None = None
    for k in range(MIN_BEFORE, len(points) - MIN_AFTER + 1):
        before = points[max(0, k - SHIFT_WINDOW) : k]
        after = points[k : k + SHIFT_WINDOW]
        gap = statistics.fmean(i for i, _ in after) - statistics.fmean(i for i, _ in before)
        size = (
            statistics.median(y for _, y in after)
            - statistics.median(y for _, y in before)
            - slope * gap
        )
        sd = _MEDIAN_SD * scatter * math.sqrt(1 / len(before) + 1 / len(after))
        z = abs(size) / sd
        if z > SHIFT_Z and abs(size) > MIN_SHIFT and (best is None or z > best[0]):
            best = (z, Shift(points[k][0], size, sd))
    if best is None:
        return None
    return _placed(points, best[1], slope)


def _placed(points: list[tuple[int, float]], shift: Shift, slope: float) -> Shift:
    """The shift moved to the day that splits its neighbourhood best: medians of two weeks
    barely change when a few days cross the split, so the largest move is only roughly placed.
    The best split is the one leaving the least absolute deviation from each side's median."""
    at = next(k for k, (i, _) in enumerate(points) if i == shift.at)
    left, right = max(0, at - SHIFT_WINDOW), min(len(points), at + SHIFT_WINDOW)
    # Growth is taken out first, so that a steady climb does not pull the split.
    near = [y - slope * i for i, y in points[left:right]]

    def cost(k: int) -> float:
        before, after = near[: k - left], near[k - left :]
        return sum(abs(y - statistics.median(before)) for y in before) + sum(
            abs(y - statistics.median(after)) for y in after
        )

    lo, hi = (
        max(left + MIN_BEFORE // 2, at - MIN_BEFORE),
        min(right - MIN_AFTER // 2, at + MIN_BEFORE),
    )
    best = min(range(lo, hi + 1), key=lambda k: (cost(k), abs(k - at)))
    before, after = near[: best - left], near[best - left :]
    size = statistics.median(after) - statistics.median(before)
    return Shift(points[best][0], size, shift.sd)
