"""Each cost line of self-hosting, worked by hand from the cost model's figures, renting and buying.

The break-even answer lists these lines one by one (model.py puts `SelfHostCost.lines()` into
the self-hosting option), so each figure and each label is what a team reads when it decides.
Defaults (cost model §1b–§1g, §2): H100 at $2.50 per GPU-hour plus 10 % for storage and egress,
a $270,000 8×H100 server kept 36 months with 30 % residual plus 12 % for its network, 700 W per
GPU + 4,600 W host at 70 % load, PUE 1.5, $0.13/kWh, colocation at $196 per kW of maximum draw,
8 % of capex a year for maintenance; 1.4 engineering hours a week for the first node and 0.8 for
each further one, 40 set-up hours, at $100 an hour; $250 a week of on-call when customer-facing.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from bot.core.breakeven import evaluate, resolve
from bot.core.breakeven.costs import WEEKS_PER_MONTH, self_host_cost
from bot.core.breakeven.verdict import verdict
from bot.core.breakeven.workload import Workload

ALWAYS_ON = D(730)  # hours in an average month
BUSINESS_HOURS = D(242)  # 220 active hours + 10 % ramp, when the hardware is switched off
SETUP = D(4000) / D(36)  # 40 h × $100 spread over 36 months = $111.11…


def test_renting_is_gpus_times_rate_times_hours() -> None:
    """Three 2-GPU replicas rented all month: 6 × $2.50 × 730 h = $10,950, plus 10 % of it for
    storage and egress, and the upkeep of three nodes."""
    a, _ = resolve("2xh100-rent-70b")
    cost = self_host_cost(3, ALWAYS_ON, a)
    assert (cost.replicas, cost.gpus, cost.servers, cost.nodes) == (3, 6, 0, 3)
    assert cost.hardware_usd == D(10_950)
    assert cost.storage_usd == D(1095)  # 10,950 × 0.10
    # Renting buys nothing: no power bill, no maintenance, no capital up front.
    assert (cost.power_usd, cost.maintenance_usd, cost.capex_usd) == (0, 0, 0)
    assert (cost.network_usd, cost.colo_usd, cost.oncall_usd) == (0, 0, 0)
    assert cost.ops_hours == D(3)  # 1.4 for the first replica + 2 × 0.8
    assert cost.ops_usd == 1300  # 3 h × 52/12 weeks × $100
    assert cost.setup_usd == SETUP
    assert cost.monthly_usd == D(10_950) + D(1095) + D(1300) + SETUP  # $13,456.11
    assert cost.lines() == [
        ("GPU rent", D(10_950)),
        ("storage and egress", D(1095)),
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
    # Capex is the servers and 12 % more for their network.
    assert (four.gpus, four.servers, four.capex_usd) == (8, 1, 302_400)
    assert (five.gpus, five.servers, five.capex_usd) == (10, 2, 604_800)  # ceil(10 / 8) = 2


def test_each_cost_of_two_bought_servers() -> None:
    """Two servers ($540,000, and $64,800 of network) on all month, every line worked by hand."""
    a, _ = resolve("8xh100-buy-70b")
    cost = self_host_cost(5, ALWAYS_ON, a)
    # Amortized net of residual: 540,000 × (1 − 0.30) / 36 = 378,000 / 36 = $10,500.
    assert cost.hardware_usd == D(10_500)
    # Network: 12 % of 540,000 = 64,800, amortized the same way: 45,360 / 36 = $1,260.
    assert cost.network_usd == D(1260)
    # Power: 2 × (8 × 700 W + 4,600 W) × 0.7 = 14.28 kW; × 730 h = 10,424.4 kWh;
    # × PUE 1.5 = 15,636.6 kWh; × $0.13 = $2,032.758.
    assert cost.power_usd == D("2032.758")
    # Colocation on the maximum draw: 2 × 10.2 kW × $196 = $3,998.40.
    assert cost.colo_usd == D("3998.4")
    # Maintenance: 540,000 × 8 % a year / 12 = $3,600 a month.
    assert cost.maintenance_usd == D(3600)
    # Two servers are two nodes: 1.4 + 0.8 = 2.2 h a week.
    assert cost.nodes == 2 and cost.ops_hours == D("2.2")
    assert cost.ops_usd == D("2.2") * WEEKS_PER_MONTH * 100  # $953.33
    assert cost.setup_usd == SETUP
    # 10,500 + 1,260 + 2,032.758 + 3,998.40 + 3,600 + 953.33 + 111.11 = $22,455.60.
    assert round(cost.monthly_usd, 2) == D("22455.60")
    assert cost.lines() == [
        ("hardware (amortized)", D(10_500)),
        ("network (amortized)", D(1260)),
        ("power", D("2032.758")),
        ("colocation", D("3998.4")),
        ("maintenance", D(3600)),
        ("operations (eng hours)", cost.ops_usd),
        ("set-up (spread)", SETUP),
    ]
    # Payback counts the network as bought hardware; the rest is running cost.
    assert cost.capex_usd == D(604_800)
    assert round(cost.running_usd, 20) == round(cost.monthly_usd - D(10_500) - D(1260), 20)


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


def test_operations_grow_with_each_node() -> None:
    """One workstation is 0.7 h a week of upkeep; 131 are 0.7 + 130 × 0.8 = 104.7 h, about
    2.6 engineers full time: the fleet costs more to run than the box."""
    a, _ = resolve("workstation-8b")
    one, fleet = self_host_cost(1, ALWAYS_ON, a), self_host_cost(131, ALWAYS_ON, a)
    assert (one.nodes, one.ops_hours) == (1, D("0.7"))
    assert (fleet.nodes, fleet.ops_hours) == (131, D("104.7"))
    assert fleet.ops_usd == D("104.7") * WEEKS_PER_MONTH * 100  # $45,370.00
    assert round(fleet.ops_usd, 2) == D("45370.00")
    # Renting, a node is a replica: 4 replicas, 1.4 + 3 × 0.8 = 3.8 h.
    rent, _ = resolve("2xh100-rent-70b")
    assert self_host_cost(4, ALWAYS_ON, rent).ops_hours == D("3.8")
    # Bought, a node is a server: 4 replicas of 2 GPUs fill one 8-GPU server, 1.4 h.
    buy, _ = resolve("8xh100-buy-70b")
    assert self_host_cost(4, ALWAYS_ON, buy).ops_hours == D("1.4")
    # Set to 0, the hours no longer grow (as when logged hours replace them).
    flat, _ = resolve("workstation-8b", ("query", {"eng_hours_per_extra_node": "0"}))
    assert self_host_cost(131, ALWAYS_ON, flat).ops_hours == D("0.7")


def test_on_call_is_priced_only_when_customer_facing() -> None:
    """$250 a week of stand-by × 52/12 = $1,083.33 a month, as its own line."""
    internal, _ = resolve("2xh100-rent-70b")
    facing, _ = resolve("2xh100-rent-70b", ("query", {"customer_facing": "yes"}))
    quiet, served = self_host_cost(1, ALWAYS_ON, internal), self_host_cost(1, ALWAYS_ON, facing)
    assert quiet.oncall_usd == 0
    assert "on-call cover" not in dict(quiet.lines())
    assert served.oncall_usd == D(250) * WEEKS_PER_MONTH == D(13_000) / D(12)
    assert dict(served.lines())["on-call cover"] == served.oncall_usd
    assert served.monthly_usd - quiet.monthly_usd == served.oncall_usd
    assert served.tax_usd == served.ops_usd + served.oncall_usd + served.setup_usd


def test_office_workstations_rent_no_rack_space() -> None:
    """Under a desk there is no colocation line; the network is 12 % of the box."""
    a, _ = resolve("workstation-8b")
    cost = self_host_cost(2, ALWAYS_ON, a)
    assert cost.colo_usd == 0 and "colocation" not in dict(cost.lines())
    assert cost.network_usd == D(6000) * D("0.12") / 36 == 20  # no resale in the profile
    colo, _ = resolve("workstation-8b", ("query", {"colo_usd_per_kw_month": "200"}))
    assert self_host_cost(2, ALWAYS_ON, colo).colo_usd == D(180)  # 2 × 0.45 kW × $200


@pytest.mark.parametrize(("frac", "storage"), [("0.05", D("182.5")), ("0.15", D("547.5"))])
def test_storage_and_egress_follow_the_rent(frac: str, storage: D) -> None:
    """One 2-GPU replica: $3,650 of rent; storage and egress at the ends of 5-15 %."""
    a, _ = resolve("2xh100-rent-70b", ("query", {"storage_egress_frac": frac}))
    cost = self_host_cost(1, ALWAYS_ON, a)
    assert cost.storage_usd == storage and dict(cost.lines())["storage and egress"] == storage


def test_new_cost_lines_reach_the_answer() -> None:
    """The self-hosting option lists every line, and the answer's total adds them up."""
    traffic = Workload(D(5400), 800_000_000, 0, 200_000_000)
    a, _ = resolve("8xh100-buy-70b", ("query", {"customer_facing": "true"}))
    result = evaluate(traffic, a)
    labels = [label for label, _ in result.self_host.lines]
    assert labels == [
        "API bill for traffic that stays",
        "hardware (amortized)",
        "network (amortized)",
        "power",
        "colocation",
        "maintenance",
        "operations (eng hours)",
        "on-call cover",
        "set-up (spread)",
    ]
    assert sum(usd for _, usd in result.self_host.lines) == result.self_host.monthly_usd
    assert any(
        r.startswith("Customer-facing, so someone is on call") for r in verdict(result).reasons
    )
