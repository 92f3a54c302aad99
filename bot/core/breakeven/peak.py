"""The busiest hour, measured from hourly token usage rather than assumed.

Replicas are sized for the busiest hour, so that hour is the input the verdict leans on most
(docs/cost-model.md §2). With hourly usage stored for the break-even window, it is measured:

- the **busiest hour** is the 99th percentile of hourly output tokens (nearest rank), so one
  freak hour does not buy a server, while the hours above it (about 7 a month) are the ones the
  sizing's headroom (`target_utilization`) absorbs;
- an **active hour** is one carrying at least a tenth of that busiest hour; their number, scaled
  to a 730-hour month, is what `always_on=false` rents;
- the **weekday/hour profile** is the mean output of each local weekday and hour.

The model keeps its formula (monthly output ÷ active hours × peak factor) and the measurement
enters as the two numbers that reproduce the measured busiest hour from the window's own
monthly volume, so a what-if bill scales the busiest hour with it.
Plain Python: hours and counts in, Decimals out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from decimal import ROUND_CEILING, Decimal

from ..month import HOURS_PER_MONTH

__all__ = [
    "ACTIVE_SHARE",
    "MIN_HOURS",
    "PEAK_PERCENTILE",
    "MeasuredPeak",
    "measure_peak",
]

PEAK_PERCENTILE = 99
ACTIVE_SHARE = Decimal("0.1")  # an hour with a tenth of the busiest hour's output is active
MIN_HOURS = 7 * 24  # a week of hours before a busiest hour means anything: every weekday once
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, slots=True)
class MeasuredPeak:
    start: datetime  # first measured hour (UTC)
    end: datetime  # the hour after the last one
    hours: int  # hours measured (every provider's usage known)
    total_output: int  # output tokens over those hours
    peak_output: int  # output tokens in the busiest hour (the percentile)
    low_output: int  # the 95th percentile hour: what a laxer sizing rule would plan for
    max_output: int  # the single busiest hour measured
    active_hours: int  # measured hours with at least ACTIVE_SHARE of the peak
    busiest: tuple[int, int]  # (weekday 0 = Monday, hour) local, highest mean output
    # Mean output tokens for each local weekday (Mon..Sun) and hour (0..23).
    profile: tuple[tuple[int, ...], ...]
    timezone: str

    @property
    def active_hours_per_month(self) -> Decimal:
        """Active hours scaled to a 730-hour month, to 0.1 h."""
        return (Decimal(self.active_hours) * HOURS_PER_MONTH / self.hours).quantize(Decimal("0.1"))

    @property
    def peak_factor(self) -> Decimal:
        """The factor that gives back the measured busiest hour from the month's volume:
        busiest hour ÷ (monthly output ÷ active hours a month), to 4 places."""
        return self.factor_for(self.peak_output)

    def factor_for(self, hour_output: int) -> Decimal:
        """The peak factor that would size for an hour of this many output tokens."""
        monthly_output = Decimal(self.total_output) * HOURS_PER_MONTH / self.hours
        factor = Decimal(hour_output) * self.active_hours_per_month / monthly_output
        return factor.quantize(Decimal("0.0001"), rounding=ROUND_CEILING)

    @property
    def days(self) -> Decimal:
        return (Decimal(self.hours) / 24).quantize(Decimal("0.1"))

    def busiest_label(self) -> str:
        weekday, hour = self.busiest
        return f"{WEEKDAYS[weekday]} {hour:02d}:00–{(hour + 1) % 24:02d}:00 {self.timezone}"

    def peak_factor_range(self) -> tuple[Decimal, Decimal]:
        """The peak factor sized for the 95th percentile hour and for the busiest single hour:
        how much the choice of percentile moves the answer."""
        return self.factor_for(self.low_output), self.factor_for(self.max_output)

    def overrides(self) -> dict[str, str]:
        """The assumptions this measurement replaces, as an assumption layer."""
        return {
            "peak_factor": str(self.peak_factor),
            "active_hours_per_month": str(self.active_hours_per_month),
        }


def _nearest_rank(values: list[int], percentile: int) -> int:
    ordered = sorted(values)
    rank = -(-percentile * len(ordered) // 100)  # ceil(p/100 × n)
    return ordered[max(rank, 1) - 1]


def measure_peak(
    output_by_hour: Mapping[datetime, int], *, tz: tzinfo, timezone: str
) -> MeasuredPeak | None:
    """The busiest hour of these hours (UTC starts -> output tokens), or None under MIN_HOURS
    or without any output: then the model's assumed peak stands, and the answer says so."""
    if len(output_by_hour) < MIN_HOURS:
        return None
    values = list(output_by_hour.values())
    total = sum(values)
    if total <= 0:
        return None
    peak = _nearest_rank(values, PEAK_PERCENTILE)
    if peak <= 0:
        return None  # output in under 1 % of hours: no busiest hour to size for
    threshold = ACTIVE_SHARE * peak
    active = sum(1 for v in values if v >= threshold)
    sums = [[0] * 24 for _ in range(7)]
    counts = [[0] * 24 for _ in range(7)]
    for hour, output in output_by_hour.items():
        local = hour.astimezone(tz)
        sums[local.weekday()][local.hour] += output
        counts[local.weekday()][local.hour] += 1
    profile = tuple(
        tuple(s // c if c else 0 for s, c in zip(sums[d], counts[d], strict=True)) for d in range(7)
    )
    busiest = max(((d, h) for d in range(7) for h in range(24)), key=lambda k: profile[k[0]][k[1]])
    first = min(output_by_hour)
    return MeasuredPeak(
        start=first,
        end=max(output_by_hour) + timedelta(hours=1),
        hours=len(values),
        total_output=total,
        peak_output=peak,
        low_output=_nearest_rank(values, 95),
        max_output=max(values),
        active_hours=active,
        busiest=busiest,
        profile=profile,
        timezone=timezone,
    )
