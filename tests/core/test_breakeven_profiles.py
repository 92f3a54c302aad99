"""Worked examples for each shipped profile, computed by hand with the arithmetic in view.

The common workload is the cost reference's sanity-check traffic: 800M input + 200M output
tokens a month, billed $5,400 at claude-sonnet-4-5 list prices (800 × $3 + 200 × $15).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from bot.core.breakeven import Workload, evaluate, resolve
from bot.core.breakeven.costs import WEEKS_PER_MONTH, self_host_cost

TCO_TRAFFIC = Workload(
    api_usd=D(5400), input_tokens=800_000_000, cached_input_tokens=0, output_tokens=200_000_000
)
# Upkeep of one node, 70B: 1.4 h/week (6 h a month, cost model §1e) × 52/12 × $100 = $606.67.
TAX = D("1.4") * WEEKS_PER_MONTH * D(100)
TAX_8B = D("0.7") * WEEKS_PER_MONTH * D(100)  # 0.7 h/week for an 8B model: $303.33


def test_the_models_weekly_hours_for_one_node() -> None:
    """The model's own operations cost at the defaults, against the figure worked by hand."""
    a, _ = resolve("2xh100-rent-70b")
    cost = evaluate(TCO_TRAFFIC, a).self_host_cost
    assert cost is not None
    assert cost.ops_usd == TAX and round(TAX, 2) == D("606.67")
    logged, _ = resolve("2xh100-rent-70b", ("query", {"eng_hours_per_week": "4.5"}))
    cost = evaluate(TCO_TRAFFIC, logged).self_host_cost
    assert cost is not None and cost.ops_usd == 1950  # 4.5 h × 52/12 × $100


def test_tco_sanity_check_70b_on_two_rented_h100s() -> None:
    # cost model §2: "70B on 2×H100 rented 24/7 at $2.49: $3,635 rent + $1,300 tax = ≈$4.9K"
    # (3 h/week); with the published 1.4 h/week and 10 % storage and egress it is ≈$4.6K.
    a, _ = resolve("2xh100-rent-70b", ("query", {"gpu_hour_usd": "2.49", "setup_hours": "0"}))
    result = evaluate(TCO_TRAFFIC, a)
    assert result.self_host_cost is not None
    assert result.self_host_cost.hardware_usd == 2 * D("2.49") * 730 == D("3635.40")
    assert result.self_host_cost.storage_usd == D("363.54")
    assert result.self_host_cost.monthly_usd == D("3635.40") + D("363.54") + TAX
    assert round(result.self_host_cost.monthly_usd, 2) == D("4605.61")
    # Capacity: decode 4205 × 0.5 = 2102.5 tok/s; in/out = 4, so R_eff = 2102.5 / (1 + 4/20)
    # = 1752.08; peak = 0.7 × 200M / (220 h × 3600) × 2.5 = 441.9 tok/s < 1752.08 × 0.7.
    assert result.capacity.replicas_needed == 1
    assert round(result.capacity.peak_tok_s, 1) == D("441.9")
    # Only the movable 70 % can be saved: 0.7 × 5400 = 3780 < 4605.61, so stay on the API.
    assert result.pays_off is False
    # Break-even bill: 4605.61 / 0.7 = 6579.44
    assert round(result.breakeven_api_usd, 2) == D("6579.44")
    # Hosted 70B: 30 % stays (1620) + 0.7 × (800 × 0.59 + 200 × 0.79) = 0.7 × 630 = 441.
    assert result.hosted.monthly_usd == D(1620) + D(441)
    assert result.best.name.startswith("hosted open-weight")


def test_workstation_8b_is_mostly_tax() -> None:
    # A ~$3K RTX 4090 box is ≈ $83/month of hardware + $10 network + $30 of power; the tax
    # (0.7 h/week of upkeep) is still most of it.
    a, _ = resolve("workstation-8b")
    cost = self_host_cost(1, D(730), a)  # one box, on all month
    assert round(cost.hardware_usd, 2) == D("83.33")  # 3000 × (1 − 0) / 36
    assert cost.network_usd == D(10)  # 3000 × 0.12 / 36
    assert cost.power_usd == D("0.45") * D("0.7") * 730 * D("1.0") * D("0.13") == D("29.8935")
    assert cost.colo_usd == 0  # under a desk
    assert round(cost.setup_usd, 2) == D("44.44")  # 16 h × $100 / 36
    assert cost.ops_usd == TAX_8B
    assert round(cost.monthly_usd, 2) == D("471.00")  # 83.33 + 10 + 29.89 + 303.33 + 44.44
    assert cost.ops_usd > 2 * (cost.hardware_usd + cost.network_usd + cost.power_usd)


def test_workstation_8b_capacity_staircase() -> None:
    a, _ = resolve("workstation-8b")
    result = evaluate(TCO_TRAFFIC, a)
    # decode 377 × 0.5 = 188.5; R_eff = 188.5 / 1.2 = 157.08; usable at 70 % = 109.96 tok/s.
    # peak = 0.5 × 200M / 792,000 s × 2.5 = 315.66 tok/s → ceil(315.66 / 109.96) = 3 boxes.
    assert result.capacity.replicas_needed == 3
    assert result.capacity.fits  # 8B × 2 bytes × 1.1 = 17.6 GB ≤ 24 × 0.9 = 21.6 GB
    # Each box displaces up to a third of the movable $2,700 (900) and costs 83.33 + 10 + 29.89
    # a month, and 0.8 h/week of upkeep ($346.67) beyond the first. Three boxes: 250 hardware,
    # 30 network, 3 × 29.8935 = 89.68 power, 0.7 + 2 × 0.8 = 2.3 h/week ($996.67) and 44.44
    # set-up, total 1410.79 for 2700 displaced: the best count, and it saves 1289.21, 91 % of
    # its cost. It does not "pay off": a hosted 8B API is cheaper still.
    assert result.self_host_cost is not None and result.self_host_cost.replicas == 3
    assert result.self_host_cost.ops_hours == D("2.3")
    assert round(result.self_host_cost.monthly_usd, 2) == D("1410.79")
    assert round(result.saving_usd, 2) == D("1289.21") and result.pays_back
    assert result.hosted.monthly_usd < result.self_host.monthly_usd and not result.pays_off


def test_one_rented_h100_for_8b() -> None:
    a, _ = resolve("h100-rent-8b")
    result = evaluate(TCO_TRAFFIC, a)
    assert result.self_host_cost is not None
    # 1 GPU × $2.50 × 730 h = 1825; + 182.50 storage and egress + 303.33 upkeep (0.7 h/week)
    # + 16 h × 100 / 36 set-up.
    assert round(result.self_host_cost.monthly_usd, 2) == D("2355.28")
    # Movable half of 5400 = 2700 > 2355.28: it saves 344.72, 15 % of its cost (inside the
    # 20 % margin). Break-even bill = 2355.28 / 0.5.
    assert result.pays_off is False and round(result.saving_usd, 2) == D("344.72")
    assert round(result.breakeven_api_usd, 2) == D("4710.56")
    # The GPU would be busy 0.5 × 200M tokens / (1 × 2666.5/1.2 tok/s × 3600 × 730) ≈ 1.7 %.
    assert round(result.utilization * 100, 1) == D("1.7")


def test_bought_8xh100_server_for_70b() -> None:
    a, _ = resolve("8xh100-buy-70b")
    result = evaluate(TCO_TRAFFIC, a)
    cost = result.self_host_cost
    assert cost is not None and cost.servers == 1 and cost.gpus == 2
    assert cost.capex_usd == 270_000 * D("1.12")  # the server and 12 % for its network
    assert cost.hardware_usd == D(270_000) * D("0.7") / 36 == 5250
    assert cost.network_usd == D(32_400) * D("0.7") / 36 == 630
    # (8 × 700 W + 4600 W) × 0.7 load = 7.14 kW; × 730 h × PUE 1.5 × $0.13 = 1016.379.
    assert cost.power_usd == D("7.14") * 730 * D("1.5") * D("0.13") == D("1016.379")
    assert cost.colo_usd == D("10.2") * 196 == D("1999.2")  # the rack for 10.2 kW at most
    assert cost.maintenance_usd == D(270_000) * D("0.08") / 12 == 1800
    # 5250 + 630 + 1016.38 + 1999.20 + 1800 + 606.67 + 111.11
    assert round(cost.monthly_usd, 2) == D("11413.36")
    # Running costs (power, colocation, maintenance, tax) exceed the 3780 it displaces.
    assert result.payback_months is None


def test_bought_server_payback_at_a_large_bill() -> None:
    a, _ = resolve("8xh100-buy-70b")
    big = TCO_TRAFFIC.scaled_to(D(60_000))
    result = evaluate(big, a)
    cost = result.self_host_cost
    assert cost is not None and result.saving_usd > 0 and result.pays_back
    assert not result.pays_off  # a hosted open-weight API is cheaper still
    displaced = D("0.7") * D(60_000) * result.served_share
    running = cost.power_usd + cost.colo_usd + cost.maintenance_usd + cost.tax_usd
    assert cost.running_usd == running
    assert result.payback_months == cost.capex_usd / (displaced - running)
    assert round(result.payback_months, 1) == D("8.3")


@pytest.mark.parametrize(
    "profile", ["workstation-8b", "h100-rent-8b", "2xh100-rent-70b", "8xh100-buy-70b"]
)
def test_a_70b_model_never_fits_a_single_4090(profile: str) -> None:
    a, _ = resolve(
        profile,
        (
            "query",
            {
                "params_b": "70",
                "bytes_per_param": "1",
                "gpu_vram_gb": "24",
                "gpus_per_replica": "1",
            },
        ),
    )
    result = evaluate(TCO_TRAFFIC, a)
    assert not result.capacity.fits  # 77 GB > 21.6 GB
    assert result.pays_off is False and result.breakeven_api_usd is None
