"""What the verdict hangs on: each uncertain input moved across its published range.

A break-even answer is only as good as its least certain input. For each input below, the model
is run again at both ends of the input's plausible range (sourced, like the defaults, in
docs/cost-model.md), which gives the range the break-even bill could really be in; and where
the verdict differs at an end, the value at which it flips is found by bisection between
today's value and that end, so the answer can say "pays off if gpu_hour_usd < 1.62". Inputs
that only matter to one way of acquiring hardware (the GPU-hour price when renting; power,
resale and maintenance when buying) are only tried for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from .assumptions import Assumptions
from .model import breakeven_api_usd, evaluate
from .workload import Workload

__all__ = ["RANGES", "InputRange", "Sensitivity", "Swing", "sensitivity"]

D = Decimal
STEPS = 24  # bisection halvings: 2^-24 of the range, finer than any figure is shown


@dataclass(frozen=True, slots=True)
class InputRange:
    low: Decimal
    high: Decimal
    source: str
    acquisition: str | None = None  # "rent" or "buy" when only that way of acquiring uses it
    # An assumption that must be true (or non-zero) for the input to count: on-call is tried
    # only for a customer-facing service, colocation only where rack space is paid for.
    needs: str | None = None


# The plausible range of each uncertain input, with its section of docs/cost-model.md.
RANGES: dict[str, InputRange] = {
    "movable_frac": InputRange(D("0.5"), D(1), "cost model §2: 0.5-1.0 of the traffic"),
    "interactive_derate": InputRange(D("0.3"), D("0.6"), "cost model §1a: 30-60 % of vendor max"),
    "peak_factor": InputRange(
        D("1.5"), D(4), "assumed: no published range; measure your busiest hour"
    ),
    "eng_hours_per_week": InputRange(
        D("0.5"), D(4), "cost model §1e: 2 h a month (published) to 4 h a week (assumed)"
    ),
    "eng_hours_per_extra_node": InputRange(
        D("0.13"),
        D(2),
        "cost model §1e: 300 to 20 servers per admin",
        needs="eng_hours_per_extra_node",  # 0 once logged hours replace the model's
    ),
    "oncall_usd_per_week": InputRange(
        D(250),
        D(4224),
        "cost model §1e: $250 flat premium to 33 % of pay for 128 stand-by hours",
        needs="customer_facing",
    ),
    "engineer_hour_usd": InputRange(D(75), D(150), "cost model §1e: $75-150 loaded"),
    "gpu_hour_usd": InputRange(
        D("1.79"),
        D("3.95"),
        "cost model §1c: H100 $1.79 (1-year reserved) to $3.95 (on demand)",
        "rent",
    ),
    "kwh_usd": InputRange(
        D("0.088"), D("0.239"), "cost model §1d: EIA commercial, TX to CA", "buy"
    ),
    "pue": InputRange(
        D("1.1"), D("1.58"), "cost model §1d: hyperscale 1.1 to the 1.58 average", "buy"
    ),
    "storage_egress_frac": InputRange(
        D("0.05"), D("0.15"), "cost model §1c: 5-15 % of the rent (assumed)", "rent"
    ),
    "network_frac": InputRange(D("0.10"), D("0.15"), "cost model §1b: +10-15 % (weak)", "buy"),
    "colo_usd_per_kw_month": InputRange(
        D(150),
        D(300),
        "cost model §1g: $150-300 per kW-month (assumed, around the $196 reported)",
        "buy",
        needs="colo_usd_per_kw_month",  # 0: nothing rented to stand in (office workstations)
    ),
    "residual_frac": InputRange(
        D("0.25"), D("0.35"), "cost model §2: 25-35 % after 3 years", "buy"
    ),
    "maintenance_frac_per_year": InputRange(
        D("0.05"), D("0.10"), "cost model §2: 5-10 % of capex a year", "buy"
    ),
}


@dataclass(frozen=True, slots=True)
class Swing:
    """One input across its range: the break-even bill at each end, and where it flips."""

    name: str
    value: Decimal  # today's value
    low: Decimal
    high: Decimal
    source: str
    breakeven_at_low: Decimal | None  # None: never breaks even at that end
    breakeven_at_high: Decimal | None
    flips_at: Decimal | None = None  # the value at which the verdict changes, if in range
    flips_below: bool = False  # True: the other verdict lies below flips_at; else above


@dataclass(frozen=True, slots=True)
class Sensitivity:
    pays_off: bool  # today's verdict
    swings: tuple[Swing, ...]

    @property
    def flips(self) -> tuple[Swing, ...]:
        """The inputs that change the verdict within their plausible range."""
        return tuple(s for s in self.swings if s.flips_at is not None)

    @property
    def breakeven_range(self) -> tuple[Decimal, Decimal | None] | None:
        """The lowest and highest break-even bill over every input's range: the highest is None
        when some end never breaks even; the whole is None when none does."""
        ends = [bill for s in self.swings for bill in (s.breakeven_at_low, s.breakeven_at_high)]
        bills = [bill for bill in ends if bill is not None]
        if not bills:
            return None
        return min(bills), (max(bills) if len(bills) == len(ends) else None)


def _with(a: Assumptions, name: str, value: Decimal) -> Assumptions:
    return replace(a, **{name: value})


def _flip(
    workload: Workload, a: Assumptions, name: str, today: Decimal, end: Decimal, verdict: bool
) -> Decimal:
    """The value between today (verdict) and end (not verdict) where the verdict changes."""
    inside, outside = today, end
    for _ in range(STEPS):
        middle = (inside + outside) / 2
        if evaluate(workload, _with(a, name, middle)).pays_off == verdict:
            inside = middle
        else:
            outside = middle
    return outside


def sensitivity(
    workload: Workload, a: Assumptions, *, ranges: Mapping[str, InputRange] | None = None
) -> Sensitivity:
    """Every uncertain input that applies to a, across its range, with where it flips.

    `ranges` replaces some of RANGES: a measured input has its own, narrower range.
    """
    verdict = evaluate(workload, a).pays_off
    swings = []
    for name, span in {**RANGES, **(ranges or {})}.items():
        if span.acquisition is not None and span.acquisition != a.acquisition:
            continue
        if span.needs is not None and not getattr(a, span.needs):
            continue
        today: Decimal = getattr(a, name)
        # A value set outside the published range (a profile's office PUE of 1.0, say) is
        # tried too: the range runs from it to the far end.
        span = replace(span, low=min(span.low, today), high=max(span.high, today))
        low_a, high_a = _with(a, name, span.low), _with(a, name, span.high)
        swing = Swing(
            name,
            today,
            span.low,
            span.high,
            span.source,
            breakeven_api_usd(workload, low_a),
            breakeven_api_usd(workload, high_a),
        )
        # The nearer end that gives the other verdict; below first, as ranges are read.
        for end, below in ((span.low, True), (span.high, False)):
            if (end < today) != below or end == today:
                continue
            if evaluate(workload, _with(a, name, end)).pays_off != verdict:
                at = _flip(workload, a, name, today, end, verdict)
                swing = replace(swing, flips_at=at, flips_below=below)
                break
        swings.append(swing)
    return Sensitivity(verdict, tuple(swings))
