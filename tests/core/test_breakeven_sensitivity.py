"""What the verdict hangs on: each uncertain input across its published range.

Checked against the model itself: the break-even bills at the ends are what `evaluate` gives
there, and a flip point really is one (the verdict differs on either side of it).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

from bot.core.breakeven import resolve
from bot.core.breakeven.model import breakeven_api_usd, evaluate
from bot.core.breakeven.sensitivity import RANGES, sensitivity
from bot.core.breakeven.workload import workload_from_spend

NO_HOSTED = {"hosted_input_per_m": "100", "hosted_output_per_m": "100"}  # priced out


def test_each_input_is_tried_at_both_ends_of_its_range() -> None:
    a, _ = resolve("2xh100-rent-70b")
    workload = workload_from_spend(D(8000))
    s = sensitivity(workload, a)
    names = [w.name for w in s.swings]
    assert "gpu_hour_usd" in names and "kwh_usd" not in names  # renting: no power bill
    for w in s.swings:
        assert (w.low, w.high) == (RANGES[w.name].low, RANGES[w.name].high)
        low = breakeven_api_usd(workload, replace(a, **{w.name: w.low}))
        assert w.breakeven_at_low == low
    gpu = next(w for w in s.swings if w.name == "gpu_hour_usd")
    # Cheaper GPU hours, a lower break-even bill: $5,132 at $1.79, $10,088 at $3.95 (the rent
    # and its 10 % of storage and egress move together).
    assert round(gpu.breakeven_at_low) == 5132 and round(gpu.breakeven_at_high) == 10088
    assert s.breakeven_range is not None and round(s.breakeven_range[0]) == 4733  # all movable


def test_the_flip_points_are_where_the_verdict_changes() -> None:
    """$8,000 with no hosted alternative: too close to call at today's values; cheaper GPU hours,
    storage or engineer-hours, more movable traffic or fewer hours of upkeep each make it pay
    off, at a stated value."""
    a, _ = resolve("2xh100-rent-70b", ("query", NO_HOSTED))
    workload = workload_from_spend(D(8000))
    s = sensitivity(workload, a)
    assert s.pays_off is False
    flips = {w.name: w for w in s.flips}
    assert set(flips) == {
        "movable_frac",
        "eng_hours_per_week",
        "engineer_hour_usd",
        "gpu_hour_usd",
        "storage_egress_frac",
    }
    gpu = flips["gpu_hour_usd"]
    assert gpu.flips_below and round(gpu.flips_at, 2) == D("2.46")
    assert not flips["movable_frac"].flips_below and round(flips["movable_frac"].flips_at, 3) == D(
        "0.710"
    )
    for w in s.flips:
        assert w.flips_at is not None
        nudge = D("0.001") * (1 if w.flips_below else -1)
        beyond = evaluate(workload, replace(a, **{w.name: w.flips_at - nudge}))
        short = evaluate(workload, replace(a, **{w.name: w.flips_at + nudge}))
        assert beyond.pays_off is True and short.pays_off is False, w.name


def test_buying_tries_power_resale_and_maintenance_not_gpu_rent() -> None:
    a, _ = resolve("8xh100-buy-70b", ("query", NO_HOSTED))
    s = sensitivity(workload_from_spend(D(30000)), a)
    names = {w.name for w in s.swings}
    assert {"kwh_usd", "pue", "residual_frac", "maintenance_frac_per_year"} <= names
    assert {"network_frac", "colo_usd_per_kw_month"} <= names
    assert not {"storage_egress_frac", "oncall_usd_per_week"} & names
    assert "gpu_hour_usd" not in names
    assert s.pays_off is True and s.flips == ()  # it pays off at every end of every range


def test_a_value_outside_the_published_range_stretches_it() -> None:
    """The workstation profile's office PUE of 1.0 is below the 1.1 of a hyperscale room."""
    a, _ = resolve("workstation-8b")
    pue = next(w for w in sensitivity(workload_from_spend(D(5810)), a).swings if w.name == "pue")
    assert (pue.value, pue.low, pue.high) == (D("1.0"), D("1.0"), D("1.58"))


def test_on_call_and_colocation_are_tried_only_where_they_are_paid() -> None:
    """On-call only for a customer-facing service; colocation not for office workstations."""
    workload = workload_from_spend(D(8000))
    internal, _ = resolve("2xh100-rent-70b")
    facing, _ = resolve("2xh100-rent-70b", ("query", {"customer_facing": "true"}))
    names = lambda a: {w.name for w in sensitivity(workload, a).swings}  # noqa: E731
    assert "oncall_usd_per_week" not in names(internal)
    assert "oncall_usd_per_week" in names(facing)
    office, _ = resolve("workstation-8b")
    assert "colo_usd_per_kw_month" not in names(office)
    assert "eng_hours_per_extra_node" in names(office)
