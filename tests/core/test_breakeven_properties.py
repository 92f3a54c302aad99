"""Properties the break-even model must keep whatever the inputs."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.breakeven import (
    DEFAULT_PROFILE,
    PROFILES,
    AssumptionError,
    Assumptions,
    Workload,
    evaluate,
    resolve,
    workload_from_spend,
)

PROFILE_NAMES = sorted(PROFILES)
spends = st.decimals(min_value=D(50), max_value=D(500_000), places=2)
hours = st.decimals(min_value=D(0), max_value=D(40), places=1)
BIG_BILLS = (D(20_000), D(200_000), D(2_000_000))
ROUNDING = D("0.0001")  # a hundredth of a cent


def mix(input_share: D, api_usd: D) -> Workload:
    tokens = 1_000_000_000
    return Workload(
        api_usd=api_usd,
        input_tokens=int(tokens * input_share),
        cached_input_tokens=0,
        output_tokens=int(tokens * (1 - input_share)),
    )


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(PROFILE_NAMES), spends, spends, st.decimals(D("0.5"), D("0.95"), places=2))
def test_more_api_spend_never_makes_local_look_worse(
    profile: str, low: D, high: D, input_share: D
) -> None:
    low, high = sorted((low, high))
    a, _ = resolve(profile)
    base = mix(input_share, D(5400))
    cheap, dear = evaluate(base.scaled_to(low), a), evaluate(base.scaled_to(high), a)
    saving = lambda r: r.status_quo.monthly_usd - r.self_host.monthly_usd  # noqa: E731
    # Token counts are whole: scaling a bill by a cent rounds them, and when the best replica
    # count serves only part of the peak (each further box's upkeep costs more than it saves),
    # what it displaces moves with bill ÷ tokens, by under a millionth of a dollar.
    assert saving(dear) >= saving(cheap) - ROUNDING
    assert dear.pays_off or not cheap.pays_off


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(PROFILE_NAMES), spends, hours, hours)
def test_more_engineering_hours_never_make_local_look_better(
    profile: str, spend: D, few: D, many: D
) -> None:
    few, many = sorted((few, many))
    workload = workload_from_spend(spend)
    light, _ = resolve(profile, ("query", {"eng_hours_per_week": str(few)}))
    heavy, _ = resolve(profile, ("query", {"eng_hours_per_week": str(many)}))
    a, b = evaluate(workload, light), evaluate(workload, heavy)
    assert b.self_host.monthly_usd >= a.self_host.monthly_usd
    assert a.pays_off or not b.pays_off


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(PROFILE_NAMES), st.decimals(D("0.5"), D("0.95"), places=2))
def test_the_verdict_flips_exactly_at_the_breakeven_bill(profile: str, input_share: D) -> None:
    """A cent below the break-even bill self-hosting saves nothing, a cent above it saves; a cent
    below the pay-off bill its saving is inside the margin, a cent above it clears it."""
    a, _ = resolve(profile)
    base = mix(input_share, D(5400))  # Sonnet-class prices: about $5.4 per million tokens
    first = evaluate(base, a)
    cent = D("0.01")

    def clears(bill: D) -> bool:
        result = evaluate(base.scaled_to(bill), a)
        assert result.self_host_cost is not None
        return result.saving_usd > a.payoff_margin * result.self_host_cost.monthly_usd

    if first.breakeven_api_usd is None:
        # Each further box's upkeep (0.8 h/week) costs more than the bill it can serve.
        assert all(evaluate(base.scaled_to(bill), a).saving_usd <= 0 for bill in BIG_BILLS)
        return
    at = first.breakeven_api_usd.quantize(cent, rounding="ROUND_FLOOR")
    assert evaluate(base.scaled_to(at), a).saving_usd <= 0
    assert evaluate(base.scaled_to(at + cent), a).saving_usd > 0
    if first.payoff_api_usd is None:
        # Output-heavy mixes: each further replica (its rent, storage and upkeep) costs more
        # than the margin lets the bill it serves pay for, so no bill ever clears it.
        assert not any(clears(bill) for bill in BIG_BILLS)
        return
    at = first.payoff_api_usd.quantize(cent, rounding="ROUND_FLOOR")
    assert not clears(at) and clears(at + cent)


@pytest.mark.parametrize("profile", PROFILE_NAMES)
@pytest.mark.parametrize("input_share", [D("0.5"), D("0.8"), D("0.95")])
def test_400_a_month_never_pays_off(profile: str, input_share: D) -> None:
    a, _ = resolve(profile)
    result = evaluate(mix(input_share, D(400)), a)
    assert result.pays_off is False
    # None means it never pays off at any bill with this mix; otherwise only above $400.
    assert result.breakeven_api_usd is None or result.breakeven_api_usd > 400


def test_60000_a_month_of_70b_class_traffic_saves_but_a_hosted_api_saves_more() -> None:
    # A Sonnet-class bill (the traffic a 70B open-weight model can take): 80 % input tokens.
    a, origin = resolve(DEFAULT_PROFILE)
    assert a.model_class == "70b"
    result = evaluate(workload_from_spend(D(60_000)), a)
    assert result.self_host.monthly_usd < result.status_quo.monthly_usd
    # "Pays off" is said of the cheapest option only: a hosted open-weight API is cheaper still.
    assert result.hosted.monthly_usd < result.self_host.monthly_usd
    assert result.pays_off is False


def test_60000_a_month_pays_off_when_no_hosted_api_will_do() -> None:
    """Priced out of the hosted option (data that may not leave), self-hosting is the cheapest
    and saves far more than the margin: then, and only then, it pays off."""
    a, _ = resolve(
        DEFAULT_PROFILE, ("query", {"hosted_input_per_m": "100", "hosted_output_per_m": "100"})
    )
    result = evaluate(workload_from_spend(D(60_000)), a)
    assert result.self_host_cost is not None
    assert result.saving_usd > a.payoff_margin * result.self_host_cost.monthly_usd
    assert result.pays_off is True


def test_a_forecast_gives_the_first_month_it_pays_off() -> None:
    from datetime import date

    a, _ = resolve(DEFAULT_PROFILE)
    workload = workload_from_spend(D(3000))
    payoff = evaluate(workload, a).payoff_api_usd  # the bill that clears the margin
    assert payoff is not None
    months = [(date(2027, m, 1), D(3000) * D("1.2") ** m) for m in range(1, 13)]
    result = evaluate(workload, a, forecast=months)
    expected = next(month for month, bill in months if bill > payoff)
    assert result.breakeven_month == expected


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "eng_hours_per_week",
            "3.5999999999999993e+25",
            "eng_hours_per_week must be at most 1,680",
        ),
        ("gpu_hour_usd", "1e24", "gpu_hour_usd must be at most 10,000"),
        ("server_price_usd", "1e13", "server_price_usd must be at most 1,000,000,000"),
        ("peak_factor", "1e13", "peak_factor must be at most 1,000,000,000,000"),
    ],
)
def test_absurd_sizes_are_refused_before_they_overflow_the_cents(
    name: str, value: str, message: str
) -> None:
    """Found by fuzzing: 3.6e25 engineering hours a week crashed the answer with
    decimal.InvalidOperation when its cost was rounded to the cent."""
    with pytest.raises(AssumptionError, match=message):
        resolve(DEFAULT_PROFILE, ("query", {name: value}))
    # At the limit the answer is still computed, exactly.
    limit, _ = resolve(DEFAULT_PROFILE, ("query", {"eng_hours_per_week": "168"}))
    assert evaluate(workload_from_spend(D(5000)), limit).self_host_cost is not None


def test_a_zero_prefill_ratio_is_refused_not_divided_by() -> None:
    """Found by fuzzing: `--set prefill_ratio=0` raised decimal.DivisionByZero."""
    with pytest.raises(AssumptionError, match="prefill_ratio must be > 0"):
        resolve(DEFAULT_PROFILE, ("query", {"prefill_ratio": "0"}))


def _breakeven_by_trying_every_count(
    workload: Workload, a: Assumptions, margin: D, most: int
) -> D | None:
    """breakeven_api_usd without its shortcut: every replica count up to `most`."""
    from bot.core.breakeven.capacity import size_capacity
    from bot.core.breakeven.costs import self_host_cost

    unit = size_capacity(workload, a)
    per_replica = workload.api_usd * unit.usable_per_replica(a.target_utilization) / unit.peak_tok_s
    for replicas in range(1, most + 1):
        needed = self_host_cost(replicas, unit.hours_on, a).monthly_usd * (1 + margin)
        if a.movable_frac * per_replica * replicas > needed:
            return needed / a.movable_frac
    return None


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from(PROFILE_NAMES),
    st.decimals(D("0.5"), D("0.95"), places=2),
    st.sampled_from(["1.5", "2.5", "3.95", "8"]),
    st.sampled_from(["0", "0.2", "1"]),
)
def test_the_never_shortcut_agrees_with_trying_every_replica_count(
    profile: str, input_share: D, gpu_hour: str, margin: str
) -> None:
    """The break-even bill skips the replica-by-replica search when no count can ever clear
    the margin; trying 2,000 counts one by one finds the same bill, or none."""
    a, _ = resolve(profile, ("query", {"gpu_hour_usd": gpu_hour}))
    workload = mix(input_share, D(5400))
    from bot.core.breakeven.model import breakeven_api_usd

    tried = _breakeven_by_trying_every_count(workload, a, D(margin), 2000)
    assert breakeven_api_usd(workload, a, D(margin)) == tried
