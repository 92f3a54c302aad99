"""A varied synthetic set of daily spend series, for back-testing the forecast shape by shape.

Real AI bills do not only grow smoothly: a feature launch steps spend up, a price cut halves it,
an outage leaves days near zero, batch jobs land at month end, adoption follows an S-curve and
some days are wildly off. Each shape here is generated from a seed, so the set is the same on
every run and a back-test over it means something. Every series has a weekday pattern
(weekends quieter, varying a little by series) and log-normal daily noise unless the shape says
otherwise. `spend_set(seeds)` gives every shape for each seed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .month import DAYS_PER_MONTH

__all__ = ["SHAPES", "ShapedSeries", "shaped_daily_spend", "spend_set"]

SET_START = date(2025, 1, 1)
SET_DAYS = 546  # 1 Jan 2025 .. 30 Jun 2026: 18 whole months
_MONTH = float(DAYS_PER_MONTH)


@dataclass(frozen=True, slots=True)
class ShapedSeries:
    shape: str
    seed: int
    daily: dict[date, Decimal]


def _growth(rng: random.Random, low: float, high: float) -> Callable[[int], float]:
    """Compound growth at a monthly rate drawn from [low, high], as a log per day number."""
    per_day = math.log1p(rng.uniform(low, high)) / _MONTH
    return lambda i: per_day * i


def _steady(rng: random.Random, days: int) -> Callable[[int], float]:
    return _growth(rng, 0.02, 0.08)


def _decline(rng: random.Random, days: int) -> Callable[[int], float]:
    return _growth(rng, -0.06, -0.02)


def _flat(rng: random.Random, days: int) -> Callable[[int], float]:
    return lambda i: 0.0


def _step(factor: float) -> Callable[[random.Random, int], Callable[[int], float]]:
    """A level that moves by `factor`, once or twice, on top of mild growth."""

    def make(rng: random.Random, days: int) -> Callable[[int], float]:
        trend = _growth(rng, 0.0, 0.04)
        # One or two shifts, each at least three months in, so most months test the after.
        at = sorted(rng.sample(range(90, days - 30), rng.choice((1, 2))))
        jump = math.log(factor)
        return lambda i: trend(i) + jump * sum(1 for a in at if i >= a)

    return make


def _outage(rng: random.Random, days: int) -> Callable[[int], float]:
    trend = _growth(rng, 0.0, 0.05)
    down: set[int] = set()
    for begin in rng.sample(range(30, days - 10), 5):  # five outages of 2 to 7 days each
        down.update(range(begin, begin + rng.randint(2, 7)))
    return lambda i: trend(i) + (math.log(0.03) if i in down else 0.0)


def _spikes(rng: random.Random, days: int) -> Callable[[int], float]:
    trend = _growth(rng, 0.0, 0.06)
    spiked = {i for i in range(days) if rng.random() < 0.04}
    size = {i: math.log(rng.uniform(3, 8)) for i in spiked}
    return lambda i: trend(i) + size.get(i, 0.0)


def _month_end(rng: random.Random, days: int) -> Callable[[int], float]:
    trend = _growth(rng, 0.0, 0.05)
    batch = math.log(rng.uniform(3, 6))  # the last two days of each month run batch jobs

    def shape(i: int) -> float:
        day = SET_START + timedelta(days=i)
        last_two = (day + timedelta(days=2)).month != day.month
        return trend(i) + (batch if last_two else 0.0)

    return shape


def _s_curve(rng: random.Random, days: int) -> Callable[[int], float]:
    middle = rng.uniform(150, days - 150)
    width = rng.uniform(25, 50)  # days for the logistic to go from 27 % to 73 % of its way
    floor = rng.uniform(0.1, 0.3)  # where adoption starts, as a share of where it ends
    return lambda i: math.log(floor + (1 - floor) / (1 + math.exp(-(i - middle) / width)))


SHAPES: dict[str, Callable[[random.Random, int], Callable[[int], float]]] = {
    "steady growth": _steady,
    "decline": _decline,
    "flat weekly": _flat,
    "step up +40 %": _step(1.4),
    "price cut -50 %": _step(0.5),
    "outages": _outage,
    "spikes": _spikes,
    "month-end batches": _month_end,
    "S-curve adoption": _s_curve,
    "heavy-tailed noise": _flat,
}


def shaped_daily_spend(
    shape: str, seed: int, *, start: date = SET_START, days: int = SET_DAYS
) -> dict[date, Decimal]:
    """One series of the named shape: level × shape × weekday factor × noise, seeded."""
    rng = random.Random(f"{shape}/{seed}")
    level = math.log(rng.uniform(50, 2000))
    weekend = rng.uniform(0.3, 0.9)
    factors = (1.0,) * 5 + (weekend, weekend * rng.uniform(0.8, 1.0))
    curve = SHAPES[shape](rng, days)
    heavy = shape == "heavy-tailed noise"
    noise = rng.uniform(0.05, 0.15)
    series = {}
    for i in range(days):
        day = start + timedelta(days=i)
        # Student's t with 3 degrees of freedom: most days calm, a few far off either way.
        error = _student_t3(rng) * 0.12 if heavy else rng.gauss(0, noise)
        amount = math.exp(level + curve(i) + error) * factors[day.weekday()]
        series[day] = Decimal(f"{amount:.6f}")
    return series


def spend_set(seeds: Sequence[int]) -> list[ShapedSeries]:
    """Every shape once per seed, in shape order."""
    return [
        ShapedSeries(shape, seed, shaped_daily_spend(shape, seed))
        for shape in SHAPES
        for seed in seeds
    ]


def _student_t3(rng: random.Random) -> float:
    normal = rng.gauss(0, 1)
    chi2 = sum(rng.gauss(0, 1) ** 2 for _ in range(3))
    return normal / math.sqrt(chi2 / 3)
