"""Spend forecast: this month's total and the next months, each with a range, from daily spend.

The model is small enough to explain and robust where billing data is rough:

- **calendar pattern** (`calendar_pattern`): each weekday's ratio to its centred 7-day mean,
  averaged over half a year with the top and bottom fifth of ratios dropped, so weekends are
  expected to be quiet and a one-day spike is one discarded ratio; and, when the last days of
  a month spend differently from the weeks around them in every complete month (batch jobs),
  a factor for each of the last three days;
- **outages and shifts** (`level_shift`): a dip that recovered (days under a quarter of the
  two weeks before, back within two weeks) is left out; a level shift (a launch, a price
  change) found by comparing two-week medians is re-based: the days before it are moved onto
  the new level, so it is read as a new level, not as growth, and `method` names its date;
- **growth**: the Theil–Sen slope (the median of the slopes between every pair of days) of log
  de-seasonalised, re-based spend over the last 12 weeks, so a spike barely tilts it, or over
  the whole half-year when that slope lies within two of the 12 weeks' standard errors (steady
  growth read off more days has a third of the error months ahead); capped at ±50 %/month;
  above +10 %/month, the last six weeks' slope when it is slower (fast growth that is slowing
  shows there first). Projected growth fades by a tenth each month ahead (a damped trend),
  faster for growth above 5 %/month (at +25 %/month it keeps 60 % a month), since fast growth
  rarely lasts (these growth rules live in `trend.py`);
- **totals**: each simulated future day replays a day drawn at random from the last 12 weeks,
  de-seasonalised, re-based, grown at the fitted rate to its date and given its calendar
  factors. The point is the median of the simulated totals, the range their central
  `coverage` share. A shared error for level (shifts included), weekday pattern and growth is
  added to each simulated total, since those do not average out over a month, and the growth
  error grows with the horizon; it is widened by `RANGE_SCALE`, calibrated on a back-test.

Plain Python, no clock: `today` is passed in. Fitting runs on floats, seeded, so the same data
gives the same answer. Every amount returned is Decimal dollars rounded to the cent (half up),
except `month_to_date`, which is the exact stored sum.
"""

from __future__ import annotations

import math
import operator
import random
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .calendar_pattern import month_end_factor, month_end_factors, weekday_factors
from .clock import days_in_month, month_start, next_month_start
from .level_shift import find_shifts, outage_days, rebase
from .money import ZERO, cents
from .month import DAYS_PER_MONTH
from .trend import (
    DECELERATION_FROM,
    damped,
    damping,
    longer_slope,
    per_day,
    recent_slope,
    slope_sd,
    theil_sen,
)

__all__ = ["Estimate", "Forecast", "MonthForecast", "forecast_spend", "naive_month_end"]

MIN_DAYS = 7  # fewer complete days than this and there is nothing honest to say
# Unsynced days in the history are filled from their neighbours; more than this many in the
# last four weeks and the forecast refuses rather than guess.
GAP_WINDOW_DAYS = 28
MAX_RECENT_GAP_DAYS = 7
WEEKLY_MIN_DAYS = 14  # two of each weekday before a weekday pattern is estimated
TREND_MIN_DAYS = 21  # three weeks before a growth rate is estimated
FIT_DAYS = 84  # growth and the replayed days come from the last 12 weeks
WEEKLY_DAYS = 182  # the weekday pattern changes slowly, so it gets half a year
STOPPED_DAYS = 14  # spend on fewer than half of these days means spend has stopped
MAX_MONTHLY_GROWTH = 0.5  # ±50 %/month; beyond that a fitted trend is an artefact, not a plan
# The fitted slope's own error assumes growth never changes. It does, so from the last stored day
# on the range allows growth to wander by this much (one standard deviation, per month).
GROWTH_DRIFT_SD = 0.02
# The shared error above is widened by this much: on the synthetic set's tuning seeds (1-4 in
# bench/forecast_shapes.py) the unscaled 80 % range held 77.5 % of month ends, 1.2 held 82.5 %
# and 1.4 held 85.6 %. Shifts, outages and spikes yet to come are what the error terms miss.
RANGE_SCALE = 1.2
UNFITTED_GROWTH_SD = 0.10  # under three weeks of history, growth is a guess
DRAWS = 500  # simulated totals behind each estimate
_MAD_TO_SD = 1.4826  # a normal sample's median absolute deviation times this is its sd
_FACTOR_STEP = Decimal("0.0001")
_MONTH_DAYS = float(DAYS_PER_MONTH)  # the fit works in floats


@dataclass(frozen=True, slots=True)
class Estimate:
    """A forecast amount with its range: low <= point <= high, dollars to the cent."""

    point: Decimal
    low: Decimal
    high: Decimal


@dataclass(frozen=True, slots=True)
class MonthForecast:
    month: date  # first day of the month
    estimate: Estimate


@dataclass(frozen=True, slots=True)
class Forecast:
    today: date
    month_to_date: Decimal  # stored days of today's month before today, exact
    month_end: Estimate  # the whole month: stored days so far + forecast for the rest
    next_months: list[MonthForecast]  # the calendar months after the current one
    monthly_growth: Decimal  # fitted trend per month: Decimal("0.07") is +7 %/month
    weekday_factors: tuple[Decimal, ...]  # Mon..Sun, mean 1 (to rounding)
    history_days: int  # complete days the fit used
    method: str  # one sentence for the user: what was fitted, on how many days
    # Days of this month before today with no synced data: forecast, not counted as $0.
    unknown_days: tuple[date, ...] = ()


@dataclass(frozen=True, slots=True)
class _Fit:
    """The fitted model on floats, and how to simulate totals from it."""

    last_day: date  # the last stored day: the replayed days are moved to it
    slope: float  # log growth per day, capped
    factors: tuple[float, ...]  # Mon..Sun, mean 1
    month_end: tuple[float, ...]  # the month's last day, the one before, ..: 1 is no effect
    replay: tuple[float, ...]  # recent days' de-seasonalised spend, grown to last_day
    age: float  # how far back the replayed days sit on average, in days
    level_var: float  # log variance of the replayed days' mean
    factor_var: float  # log variance of one weekday factor
    slope_sd: float  # error of the fitted log growth per day, one standard deviation
    drift_sd: float  # how far log growth per day may wander from here on, one sd
    days: int
    weekly: bool
    trend: bool
    capped: bool
    stopped: bool
    shifts: tuple[tuple[date, float], ...] = ()  # first day on each new level, log of its size
    outages: int = 0  # days of dips that recovered in the fit window, left out of it

    def total(self, days: Sequence[date], coverage: float) -> tuple[float, float, float]:
        """(point, low, high) of the spend summed over days."""
        if self.stopped or not days:
            return 0.0, 0.0, 0.0
        weights = [
            math.exp(self.slope * damped((d - self.last_day).days, damping(self.slope)))
            * self.factors[d.weekday()]
            * month_end_factor(self.month_end, d)
            for d in days
        ]
        weight = sum(weights)
        if weight <= 0:
            return 0.0, 0.0, 0.0
        shares = [0.0] * 7
        for w, d in zip(weights, days, strict=True):
            shares[d.weekday()] += w / weight
        ahead = sum(w * (d - self.last_day).days for w, d in zip(weights, days, strict=True))
        ahead /= weight
        # Replayed days were grown from their own date, so a slope error reaches back there too.
        spread = RANGE_SCALE * math.sqrt(
            self.level_var
            + self.factor_var * sum(s * s for s in shares)
            + (self.slope_sd * (self.age + ahead)) ** 2
            + (self.drift_sd * ahead) ** 2
        )
        rng = random.Random(len(days))
        # map(mul, ...) adds the same products in the same order as a generator would, faster:
        # this loop is most of the forecast's time, which every uncached `status` pays.
        draws = sorted(
            math.exp(rng.gauss(0, spread))
            * sum(map(operator.mul, weights, rng.choices(self.replay, k=len(days))))
            for _ in range(DRAWS)
        )
        tail = (1 - coverage) / 2
        return _quantile(draws, 0.5), _quantile(draws, tail), _quantile(draws, 1 - tail)


def forecast_spend(
    daily: Mapping[date, Decimal], *, today: date, horizon: int = 12, coverage: float = 0.8
) -> Forecast | None:
    """Forecast this month's total and the next `horizon` months from total spend per day.

    `daily` holds every day whose spend is known, $0 days included; a day absent from it is
    unknown (never synced), never zero. Only days before `today` count (today is still running).
    An unknown day inside the fitted history is filled from the same weekday around it (and
    `method` says how many were); more than a week of them in the last four weeks and there is
    no forecast. Every day of this month that is not known (a gap, the days since the data
    stops, today and after) is forecast, not counted as $0. None under 7 known days.
    """
    if not 0 < coverage < 1:
        raise ValueError("coverage must be between 0 and 1")
    known = {d: amount for d, amount in daily.items() if d < today}
    if not known:
        return None
    last = max(known)
    start = max(min(known), last - timedelta(days=max(FIT_DAYS, WEEKLY_DAYS) - 1))
    if (last - start).days + 1 < MIN_DAYS:
        return None
    history = _days(start, last + timedelta(days=1))
    gaps = [d for d in history if d not in known]
    recent = [d for d in gaps if d > last - timedelta(days=GAP_WINDOW_DAYS)]
    if len(recent) > MAX_RECENT_GAP_DAYS or len(history) - len(gaps) < MIN_DAYS:
        return None  # too little of the recent history is known to say anything honest
    values = [float(known[d]) if d in known else _fill(known, d) for d in history]
    fit = _fit(values, start)

    this_month = month_start(today)
    month_to_date = sum((a for d, a in known.items() if d >= this_month), ZERO)
    rest = [d for d in _days(this_month, next_month_start(today)) if d not in known]
    unknown_past = [d for d in rest if d < today]
    next_months = []
    month = next_month_start(today)
    for _ in range(horizon):
        following = next_month_start(month)
        total = fit.total(_days(month, following), coverage)
        next_months.append(MonthForecast(month, _estimate(total)))
        month = following
    method = _describe(fit, coverage)
    if gaps:
        method += (
            f" {len(gaps)} unsynced days in the history were filled from the same weekday"
            " around them, not taken as $0."
        )
    if unknown_past:
        method += (
            f" {len(unknown_past)} days of this month before today have no complete synced data"
            " and are forecast, not counted as $0."
        )
    return Forecast(
        today=today,
        month_to_date=month_to_date,
        month_end=_estimate(fit.total(rest, coverage), known=month_to_date),
        next_months=next_months,
        monthly_growth=Decimal(math.expm1(fit.slope * _MONTH_DAYS)).quantize(_FACTOR_STEP),
        weekday_factors=tuple(Decimal(f).quantize(_FACTOR_STEP) for f in fit.factors),
        history_days=fit.days,
        method=method,
        unknown_days=tuple(unknown_past),
    )


def naive_month_end(daily: Mapping[date, Decimal], *, today: date) -> Decimal | None:
    """The run-rate baseline: spend per known day of this month before today × days in the
    month, to the cent. Days never synced are left out, not counted as $0 (on a complete
    series, as in the back-test, this is month-to-date ÷ days elapsed × days in the month).
    None on the 1st, or with no known day yet.
    """
    start = month_start(today)
    known = [a for d, a in daily.items() if start <= d < today]
    if not known:
        return None
    return cents(sum(known, ZERO) * days_in_month(today) / len(known))


def _fit(values: list[float], start: date) -> _Fit:
    """Weekday pattern first, then growth on the de-seasonalised days, then the replay pool."""
    n = len(values)
    weekdays = [(start + timedelta(days=i)).weekday() for i in range(n)]
    weekly = n >= WEEKLY_MIN_DAYS
    factors = weekday_factors(values, weekdays) if weekly else (1.0,) * 7
    month_end = month_end_factors(values, start, factors)
    scale = [
        factors[weekdays[i]] * month_end_factor(month_end, start + timedelta(days=i))
        for i in range(n)
    ]
    active = [i for i in range(n) if scale[i] > 0]  # a 0 factor never spends
    levels = [(i, math.log(values[i] / scale[i]) if values[i] > 0 else -math.inf) for i in active]
    # Outages are judged on the whole history, so a dip early in the fit window is seen to
    # have normal days before it.
    outages, trailing = outage_days(levels) if n >= TREND_MIN_DAYS else (set(), set())
    points = [
        (i, y) for i, y in levels if i >= n - FIT_DAYS and math.isfinite(y) and i not in outages
    ]
    trend = n >= TREND_MIN_DAYS and len(points) >= TREND_MIN_DAYS // 2
    cap = per_day(MAX_MONTHLY_GROWTH)
    raw_slope = theil_sen(points) if trend else 0.0
    settled = [(i, y) for i, y in points if i not in trailing]
    # A shift tilts the slope fitted across it; one half of the window is usually free of it,
    # so the half with the gentler slope says what growth alone moves in two weeks.
    halves = (settled[: len(settled) // 2], settled[len(settled) // 2 :])
    steady = min((theil_sen(half) for half in halves), key=abs)
    shifts = find_shifts(settled, steady) if trend else []
    if shifts:
        raw_slope = theil_sen(rebase(points, shifts))
    if trend:  # steady growth is read off the whole history (see trend.longer_slope)
        left_out = outages | trailing
        longer = [(i, y) for i, y in levels if math.isfinite(y) and i not in left_out]
        raw_slope = longer_slope(rebase(longer, shifts), rebase(points, shifts), raw_slope)
    if raw_slope > per_day(DECELERATION_FROM):
        raw_slope = min(raw_slope, recent_slope(rebase(points, shifts), n, raw_slope))
    slope = min(max(raw_slope, -cap), cap)

    # Without a weekday pattern, replay exactly the last week, so each weekday counts once.
    seasonal = [i for i in active if i >= n - (FIT_DAYS if weekly else 7) and i not in outages]
    lifts = [math.exp(sum(s.size for s in shifts if i < s.at)) for i in seasonal]
    replay = [
        values[i] / scale[i] * math.exp(slope * (n - 1 - i)) * lift
        for i, lift in zip(seasonal, lifts, strict=True)
    ]
    logs = [math.log(r) for r in replay if r > 0]
    centre = statistics.median(logs) if logs else 0.0
    sigma = _MAD_TO_SD * statistics.median(abs(x - centre) for x in logs) if logs else 0.0
    lately = [values[i] for i in active if i >= n - (FIT_DAYS if weekly else 7)][-STOPPED_DAYS:]
    weeks = max(1, (min(n, WEEKLY_DAYS) - 6) // 7)  # ratios behind each weekday factor
    return _Fit(
        last_day=start + timedelta(days=n - 1),
        slope=slope,
        factors=factors,
        month_end=month_end,
        replay=tuple(replay) or (0.0,),
        age=statistics.fmean(n - 1 - i for i in seasonal) if seasonal else 0.0,
        # Days moved across a shift carry the error of its size.
        level_var=sigma**2 / max(1, len(logs))
        + sum((s.sd * sum(1 for i in seasonal if i < s.at) / len(seasonal)) ** 2 for s in shifts),
        # A ratio to a 7-day mean carries 8/7 of a day's scatter; each factor averages `weeks`.
        factor_var=sigma**2 * 8 / 7 / weeks if weekly else 0.0,
        slope_sd=slope_sd(sigma, min(n, FIT_DAYS)) if trend else per_day(UNFITTED_GROWTH_SD),
        drift_sd=per_day(GROWTH_DRIFT_SD) if trend else 0.0,
        days=n,
        weekly=weekly,
        trend=trend,
        capped=slope != raw_slope,
        stopped=sum(1 for v in lately if v > 0) * 2 <= len(lately),
        shifts=tuple((start + timedelta(days=s.at), s.size) for s in shifts),
        outages=sum(1 for i in outages if i >= n - FIT_DAYS),
    )


def _quantile(ordered: list[float], p: float) -> float:
    """Linear interpolation between the order statistics of an already sorted list."""
    position = p * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def _fill(known: Mapping[date, Decimal], day: date) -> float:
    """A stand-in for an unsynced day in the history: the median of the same weekday within
    three weeks either side (so a weekend gap is filled like a weekend), else of the days
    around it. Never $0 for want of data."""
    same = [known.get(day + timedelta(weeks=k)) for k in (-3, -2, -1, 1, 2, 3)]
    near = [float(v) for v in same if v is not None]
    if not near:
        around = [known.get(day + timedelta(days=k)) for k in range(-7, 8) if k]
        near = [float(v) for v in around if v is not None]
    return statistics.median(near) if near else 0.0


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days)]


def _estimate(total: tuple[float, float, float], known: Decimal = ZERO) -> Estimate:
    point, low, high = (cents(known + Decimal(x)) for x in total)
    return Estimate(point=point, low=min(low, point), high=max(high, point))


def _describe(fit: _Fit, coverage: float) -> str:
    """One sentence: what was fitted, on how many days, and what the range means."""
    days = f"{fit.days} days"
    share = f"the range should hold the outcome about {coverage * 100:.0f} % of the time"
    if fit.stopped:
        return f"No spend on most of the last {STOPPED_DAYS} days, so the forecast is zero."
    if not fit.weekly:
        return (
            f"Only {days} of spend: last week's days replayed flat, with no weekday pattern "
            f"(needs {WEEKLY_MIN_DAYS} days) or growth (needs {TREND_MIN_DAYS}) yet; {share}."
        )
    if not fit.trend:
        return (
            f"Weekday pattern fitted on {days} of spend, no growth yet (needs {TREND_MIN_DAYS} "
            f"days); {share}."
        )
    growth = f"{math.expm1(fit.slope * _MONTH_DAYS) * 100:+.1f} %/month"
    capped = f" (capped at ±{MAX_MONTHLY_GROWTH * 100:.0f} %)" if fit.capped else ""
    sentence = (
        f"Growth of {growth}{capped} and a weekday pattern fitted robustly on the last {days} "
        f"of spend, so one-day spikes barely move them; {share}."
    )
    if fit.shifts:
        day, size = fit.shifts[-1]
        sentence += (
            f" Level re-based after a shift on {day.isoformat()} ({math.expm1(size) * 100:+.0f} %):"
            " the days before it count at the new level, not as growth."
        )
    if fit.outages:
        sentence += (
            f" {fit.outages} days of outage (under a quarter of the days around them, then"
            " back) were left out."
        )
    return sentence
