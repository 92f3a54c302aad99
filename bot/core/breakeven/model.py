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
from .capacity import Capacity, ceil, size_capacity
from .costs import HOURS_PER_ENGINEER_WEEK, SelfHostCost, self_host_cost
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
    # Self-hosting is the cheapest option, saves more than payoff_margin of its own cost,
    # bought, pays its hardware back within the hardware's life, and its operations take no
    # more than max_team_ops_share of the team's week (when team_engineers is set).
    pays_off: bool = False
    saving_usd: Decimal = ZERO  # what self-hosting saves against the status quo (may be < 0)
    pays_back: bool = True  # bought hardware pays for itself within amortization_months
    breakeven_api_usd: Decimal | None = None  # the monthly bill above which self-hosting is cheaper
    payoff_api_usd: Decimal | None = None  # ... above which it saves more than payoff_margin
    breakeven_month: date | None = None  # first forecast month whose bill passes payoff_api_usd
    payback_months: Decimal | None = None  # bought hardware: capex ÷ monthly savings before capex
    # Operations hours a week ÷ the team's working hours (team_engineers × 40); None: no team.
    team_share: Decimal | None = None
    team_absorbs: bool = True  # team_share is within max_team_ops_share (or unknown)

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
    limit = MAX_REPLICAS
    if per_replica_usd is not None:
        limit = _replica_limit(per_replica_usd, unit.hours_on, a, margin)
    for replicas in range(1, limit + 1):
        cost = self_host_cost(replicas, unit.hours_on, a).monthly_usd
        ceiling = None if per_replica_usd is None else per_replica_usd * replicas
        needed = cost * (1 + margin)
        if ceiling is None or a.movable_frac * ceiling > needed:
            return needed / a.movable_frac
    return None


def _replica_limit(
    per_replica_usd: Decimal, hours_on: Decimal, a: Assumptions, margin: Decimal
) -> int:
    """The most replicas worth trying: past it none can clear the margin (0: none ever can).

    Replica costs grow at least linearly: C_k >= k·c + F, with c what each further replica adds
    (its rent or its share of a whole number of servers, and the upkeep hours of the node it
    adds) and F the rest (set-up, on-call, the first node's upkeep less a further node's):
    exact for renting, a lower bound for buying, where servers come whole. A replica serves at
    most `per_replica_usd` of bill, so clearing the margin, movable·k·p > C_k·(1 + margin),
    needs k·d > F·(1 + margin) with d = movable·p − c·(1 + margin). When d <= 0 that holds for
    no k if F >= 0, and only below F·(1 + margin)/d if F < 0. (Trying all MAX_REPLICAS counts
    took seconds per answer.)
    """
    whole = a.gpus_per_server  # this many replicas fill a whole number of servers exactly
    once = self_host_cost(whole, hours_on, a).monthly_usd
    per_replica = (self_host_cost(2 * whole, hours_on, a).monthly_usd - once) / whole
    fixed = (once - whole * per_replica) * (1 + margin)
    gain = a.movable_frac * per_replica_usd - per_replica * (1 + margin)
    if gain > 0:
        return MAX_REPLICAS
    if fixed >= 0:
        return 0
    if gain == 0:
        return MAX_REPLICAS
    return min(MAX_REPLICAS, ceil(fixed / gain))


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
    if cost.capex_usd > 0 and displaced > cost.running_usd:
        payback = cost.capex_usd / (displaced - cost.running_usd)
    pays_back = cost.capex_usd <= 0 or (payback is not None and payback <= a.amortization_months)
    team_share = None
    if a.team_engineers is not None:
        team_share = cost.ops_hours / (a.team_engineers * HOURS_PER_ENGINEER_WEEK)
    team_absorbs = team_share is None or team_share <= a.max_team_ops_share
    pays_off = (
        saving > a.payoff_margin * cost.monthly_usd
        and self_host.monthly_usd < hosted.monthly_usd
        and pays_back
        and team_absorbs
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
        team_share=team_share,
        team_absorbs=team_absorbs,
    )
