"""Each cost line of self-hosting, worked by hand from the cost model's figures, renting and buying.

The break-even answer lists these lines one by one (model.py puts `SelfHostCost.lines()` into
the self-hosting option), so each figure and each label is what a team reads when it decides.
Defaults (cost model §1c–§1e, §2): H100 at $2.50 per GPU-hour, a $270,000 8×H100 server kept
36 months with 30 % residual, 700 W per GPU + 4,600 W host at 70 % load, PUE 1.5, $0.13/kWh,
8 % of capex a year for maintenance, 3 engineering hours a week and 40 set-up hours at $100 an hour.
"""

from __future__ import annotations

from decimal import Decimal as D

from bot.core.breakeven import resolve
from bot.core.breakeven.costs import self_host_cost

ALWAYS_ON = D(730)  # hours in an average month
BUSINESS_HOURS = D(242)  # 220 active hours + 10 % ramp, when the hardware is switched off
SETUP = D(4000) / D(36)  # 40 h × $100 spread over 36 months = $111.11…


def test_renting_is_gpus_times_rate_times_hours() -> None:
    """Three 2-GPU replicas rented all month: 6 × $2.50 × 730 h = $10,950, and nothing else."""
    a, _ = resolve("2xh100-rent-70b")
    cost = self_host_cost(3, ALWAYS_ON, a)
    assert (cost.replicas, cost.gpus, cost.servers) == (3, 6, 0)
    assert cost.hardware_usd == D(10_950)
    # Renting buys nothing: no power bill, no maintenance, no capital up front.
    assert (cost.power_usd, cost.maintenance_usd, cost.capex_usd) == (0, 0, 0)
    assert cost.ops_usd == 1300  # 3 h × 52/12 weeks × $100
    assert cost.setup_usd == SETUP
    assert cost.monthly_usd == D(10_950) + D(1300) + SETUP  # $12,361.11
    assert cost.lines() == [
        ("GPU rent", D(10_950)),
        ("operations (eng hours)", D(1300)),
        ("set-up (spread)", SETUP),
    ]


def test_rent_is_paid_only_for_the_hours_on() -> None:
    """Switched off outside business hours: 2 GPUs × $2.50 × 242 h = $1,210 instead of $3,650."""
    a, _ = resolve("2xh100-rent-70b", ("query", {"always_on": "false"}))
    assert self_host_cost(1, BUSINESS_HOURS, a).hardware_usd == D(1210)


def test_bought_servers_are_a_staircase_of_whole_servers() -> None:
    """Four 2-GPU replicas fill one 8-GPU server; a fifth needs a second server."""
    a, _ = resolve("8xh100-buy-70b")
    four, five = self_host_cost(4, ALWAYS_ON, a), self_host_cost(5, ALWAYS_ON, a)
    assert (four.gpus, four.servers, four.capex_usd) == (8, 1, 270_000)
    assert (five.gpus, five.servers, five.capex_usd) == (10, 2, 540_000)  # ceil(10 / 8) = 2


def test_each_cost_of_two_bought_servers() -> None:
    """Two servers ($540,000) on all month, every line worked by hand."""
    a, _ = resolve("8xh100-buy-70b")
    cost = self_host_cost(5, ALWAYS_ON, a)
    # Amortized net of residual: 540,000 × (1 − 0.30) / 36 = 378,000 / 36 = $10,500.
    assert cost.hardware_usd == D(10_500)
    # Power: 2 × (8 × 700 W + 4,600 W) × 0.7 = 14.28 kW; × 730 h = 10,424.4 kWh;
    # × PUE 1.5 = 15,636.6 kWh; × $0.13 = $2,032.758.
    assert cost.power_usd == D("2032.758")
    # Maintenance: 540,000 × 8 % a year / 12 = $3,600 a month.
    assert cost.maintenance_usd == D(3600)
    assert (cost.ops_usd, cost.setup_usd) == (D(1300), SETUP)
    # 10,500 + 2,032.758 + 3,600 + 1,300 + 111.11… = $17,543.87 (to the cent).
    assert round(cost.monthly_usd, 2) == D("17543.87")
    assert cost.lines() == [
        ("hardware (amortized)", D(10_500)),
        ("power", D("2032.758")),
        ("maintenance", D(3600)),
        ("operations (eng hours)", D(1300)),
        ("set-up (spread)", SETUP),
    ]


def test_power_is_paid_only_for_the_hours_on() -> None:
    """One server on business hours only: 10.2 kW × 0.7 = 7.14 kW; × 242 h × 1.5 × $0.13."""
    a, _ = resolve("8xh100-buy-70b", ("query", {"always_on": "false"}))
    cost = self_host_cost(1, BUSINESS_HOURS, a)
    # 7.14 × 242 = 1,727.88 kWh; × 1.5 = 2,591.82; × 0.13 = $336.9366.
    assert cost.power_usd == D("336.9366")
    # Hardware and maintenance are owed whether the server is on or not.
    assert cost.hardware_usd == D(5250) and cost.maintenance_usd == D(1800)


def test_a_resold_workstation_pays_back_its_residual() -> None:
    """A $3,000 box resold for 40 % after 36 months costs 3,000 × 0.6 / 36 = $50 a month."""
    a, _ = resolve("workstation-8b", ("query", {"residual_frac": "0.4"}))
    assert self_host_cost(1, ALWAYS_ON, a).hardware_usd == D(50)


def test_set_up_hours_are_spread_over_the_amortization() -> None:
    """60 set-up hours at $120 over 24 months: 7,200 / 24 = $300 a month; upkeep 2 h a week."""
    a, _ = resolve(
        "2xh100-rent-70b",
        (
            "query",
            {
                "setup_hours": "60",
                "engineer_hour_usd": "120",
                "amortization_months": "24",
                "eng_hours_per_week": "2",
            },
        ),
    )
    cost = self_host_cost(1, ALWAYS_ON, a)
    assert cost.setup_usd == D(300)
    assert cost.ops_usd == D(1040)  # 2 h × 52/12 weeks × $120 = 104 × 120 / 12
    assert cost.tax_usd == D(1340)
