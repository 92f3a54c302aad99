"""The break-even model: three options for the same workload, and when self-hosting pays off.

(a) stay on the closed API; (b) move the movable share to a hosted open-weight API; (c) serve
it ourselves on rented or bought GPUs. Self-hosting may run fewer replicas than the peak needs
and leave the overflow on the API, so we pick the number of replicas that saves the most; with
that choice, more API spend never makes self-hosting look worse and more engineering hours never
make it look better, and the verdict flips exactly once, at the break-even bill.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .assumptions import Assumptions
from .capacity import Capacity, size_capacity
from .costs import SelfHostCost, self_host_cost
from .workload import Workload

__all__ = ["BreakEven", "Option", "breakeven_api_usd", "evaluate"]

MAX_REPLICAS = 10_000
ZERO = Decimal(0)
MILLION = Decimal(1_000_000)


@dataclass(frozen=True, slots=True)
class Option:
    name: str
    monthly_usd: Decimal  # the whole workload's monthly cost under this option
    lines: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True, slots=True)
class BreakEven:
    workload: Workload
    assumptions: Assumptions
    capacity: Capacity
    status_quo: Option
    hosted: Option
    self_host: Option
    # The defaults below describe a model that does not fit the GPUs: nothing is served.
    self_host_cost: SelfHostCost | None = None
    served_share: Decimal = ZERO  # share of the movable traffic the chosen replicas serve
    utilization: Decimal = ZERO  # average busy share of the chosen replicas
    # Self-hosting is the cheapest option, saves more than payoff_margin of its own cost and,
    # bought, pays its hardware back within the hardware's life.
    pays_off: bool = False
    saving_usd: Decimal = ZERO  # what self-hosting saves against the status quo (may be < 0)
    pays_back: bool = True  # bought hardware pays for itself within amortization_months
    breakeven_api_usd: Decimal | None = None  # the monthly bill above which self-hosting is cheaper
    payoff_api_usd: Decimal | None = None  # ... above which it saves more than payoff_margin
    breakeven_month: date | None = None  # first forecast month whose bill passes payoff_api_usd
    payback_months: Decimal | None = None  # bought hardware: capex ÷ monthly savings before capex

    @property
    def best(self) -> Option:
        return min((self.status_quo, self.hosted, self.self_host), key=lambda o: o.monthly_usd)

    @property
    def monthly_savings(self) -> Decimal:
        """What the best option saves against the status quo (0 when staying is best)."""
        return self.status_quo.monthly_usd - self.best.monthly_usd


def _served(capacity: Capacity, a: Assumptions, replicas: int) -> Decimal:
    if capacity.peak_tok_s <= 0:
        return Decimal(1)
    usable = replicas * capacity.usable_per_replica(a.target_utilization)
    return min(Decimal(1), usable / capacity.peak_tok_s)


def _best_replicas(
    workload: Workload, capacity: Capacity, a: Assumptions
) -> tuple[SelfHostCost, Decimal, Decimal]:
    """The replica count that saves the most: (its cost, share served, API dollars displaced)."""
    movable_usd = a.movable_frac * workload.api_usd
    best: tuple[SelfHostCost, Decimal, Decimal] | None = None
    # Capped like breakeven_api_usd: past MAX_REPLICAS the answer is 'not at this scale'.
    for replicas in range(1, min(capacity.replicas_needed, MAX_REPLICAS) + 1):
        cost = self_host_cost(replicas, capacity.hours_on, a)
        share = _served(capacity, a, replicas)
        displaced = movable_usd * share
        if best is None or displaced - cost.monthly_usd > best[2] - best[0].monthly_usd:
            best = (cost, share, displaced)
    assert best is not None
    return best


def breakeven_api_usd(workload: Workload, a: Assumptions, margin: Decimal = ZERO) -> Decimal | None:
    """The monthly API bill (same token mix) above which self-hosting saves more than `margin`
    of its own cost (0: above which it is cheaper at all); None if never.

    With k replicas, self-hosting saves movable·min(S, S_k) − C_k, where S_k is the bill whose
    peak k replicas just serve. That clears the margin m for S > C_k(1+m)/movable, provided
    movable·S_k > C_k(1+m); C_k grows with k, so the first k that can ever clear it gives the
    break-even bill. (Whether a hosted API is cheaper still is the verdict's to say.)
    """
    unit = size_capacity(workload, a)
    if workload.api_usd <= 0 or not unit.fits:
        return None
    # Peak demand scales with the bill: the bill one replica's usable capacity can serve.
    per_replica_usd = (
        workload.api_usd * unit.usable_per_replica(a.target_utilization) / unit.peak_tok_s
        if unit.peak_tok_s > 0
        else None
    )
    if per_replica_usd is not None and _never(per_replica_usd, unit.hours_on, a, margin):
        return None
    for replicas in range(1, MAX_REPLICAS + 1):
        cost = self_host_cost(replicas, unit.hours_on, a).monthly_usd
        ceiling = None if per_replica_usd is None else per_replica_usd * replicas
        needed = cost * (1 + margin)
        if ceiling is None or a.movable_frac * ceiling > needed:
            return needed / a.movable_frac
    return None


def _never(per_replica_usd: Decimal, hours_on: Decimal, a: Assumptions, margin: Decimal) -> bool:
    """True when no replica count can ever clear the margin, decided without trying them all.

    Replica costs grow at least linearly: C_k >= k·c + F, with F the fixed upkeep and c a
    replica's share of a whole number of servers (exact for renting, a lower bound for buying,
    where servers come whole). A replica serves at most `per_replica_usd` of bill, so the
    condition movable·k·p > C_k·(1 + margin) needs movable·p > c·(1 + margin) for some k: when
    that fails, it fails for every k. (Trying all MAX_REPLICAS counts took seconds per answer.)
    """
    whole = a.gpus_per_server  # this many replicas fill a whole number of servers exactly
    cost = self_host_cost(whole, hours_on, a)
    per_replica = (cost.monthly_usd - cost.ops_usd - cost.setup_usd) / whole
    return a.movable_frac * per_replica_usd <= per_replica * (1 + margin)


def evaluate(
    workload: Workload,
    a: Assumptions,
    *,
    forecast: Sequence[tuple[date, Decimal]] = (),
) -> BreakEven:
    """All three options for workload; forecast is (month, expected monthly bill), oldest first."""
    capacity = size_capacity(workload, a)
    status_quo = Option("stay on the API", workload.api_usd, (("API bill", workload.api_usd),))
    movable_usd = a.movable_frac * workload.api_usd
    remaining = workload.api_usd - movable_usd
    hosted_usd = (
        a.movable_frac
        * (
            workload.input_tokens * a.hosted_input_per_m
            + workload.output_tokens * a.hosted_output_per_m
        )
        / MILLION
    )
    hosted = Option(
        f"hosted open-weight API ({a.hosted_name})",
        remaining + hosted_usd,
        (("API bill for traffic that stays", remaining), (a.hosted_name, hosted_usd)),
    )
    label = f"self-host ({'rent' if a.acquisition == 'rent' else 'buy'}, {a.model_class.upper()})"
    if not capacity.fits:
        self_host = Option(
            label + ": does not fit", workload.api_usd, (("API bill", workload.api_usd),)
        )
        return BreakEven(workload, a, capacity, status_quo, hosted, self_host)  # the rest: unfit
    cost, share, displaced = _best_replicas(workload, capacity, a)
    self_host = Option(
        label,
        workload.api_usd - displaced + cost.monthly_usd,
        (("API bill for traffic that stays", workload.api_usd - displaced), *cost.lines()),
    )
    served_tokens = a.movable_frac * workload.output_tokens * share
    utilization = served_tokens / (
        cost.replicas * capacity.replica_tok_s * 3600 * capacity.hours_on
    )
    saving = displaced - cost.monthly_usd
    breakeven = breakeven_api_usd(workload, a)
    payoff = breakeven_api_usd(workload, a, a.payoff_margin)
    first_month = None
    if payoff is not None:
        first_month = next((month for month, bill in forecast if bill > payoff), None)
    payback = None
    if cost.capex_usd > 0:
        running = cost.power_usd + cost.maintenance_usd + cost.tax_usd
        if displaced > running:
            payback = cost.capex_usd / (displaced - running)
    pays_back = cost.capex_usd <= 0 or (payback is not None and payback <= a.amortization_months)
    pays_off = (
        saving > a.payoff_margin * cost.monthly_usd
        and self_host.monthly_usd < hosted.monthly_usd
        and pays_back
    )
    return BreakEven(
        workload=workload,
        assumptions=a,
        capacity=capacity,
        status_quo=status_quo,
        hosted=hosted,
        self_host=self_host,
        self_host_cost=cost,
        served_share=share,
        utilization=utilization,
        pays_off=pays_off,
        saving_usd=saving,
        pays_back=pays_back,
        breakeven_api_usd=breakeven,
        payoff_api_usd=payoff,
        breakeven_month=first_month,
        payback_months=payback,
    )
