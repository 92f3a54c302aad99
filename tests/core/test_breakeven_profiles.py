"""Worked examples for each shipped profile, computed by hand with the arithmetic in view.

The common workload is the cost reference's sanity-check traffic: 800M input + 200M output
tokens a month, billed $5,400 at claude-sonnet-4-5 list prices (800 × $3 + 200 × $15).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from bot.core.breakeven import Workload, evaluate, resolve
from bot.core.breakeven.costs import self_host_cost

TCO_TRAFFIC = Workload(
    api_usd=D(5400), input_tokens=800_000_000, cached_input_tokens=0, output_tokens=200_000_000
)
TAX = D(3) * D(52) / D(12) * D(100)  # 3 h/week × 52/12 weeks/month × $100 = $1,300


def test_the_models_weekly_hours_cost_1300_a_month() -> None:
    """The model's own operations cost at the defaults, against the figure worked by hand."""
    a, _ = resolve("2xh100-rent-70b")
    cost = evaluate(TCO_TRAFFIC, a).self_host_cost
    assert cost is not None
    assert cost.ops_usd == TAX == 1300
    logged, _ = resolve("2xh100-rent-70b", ("query", {"eng_hours_per_week": "4.5"}))
    cost = evaluate(TCO_TRAFFIC, logged).self_host_cost
    assert cost is not None and cost.ops_usd == 1950  # 4.5 h × 52/12 × $100


def test_tco_sanity_check_70b_on_two_rented_h100s() -> None:
    # cost model §2: "70B on 2×H100 rented 24/7 at $2.49: $3,635 rent + $1,300 tax = ≈$4.9K".
    a, _ = resolve("2xh100-rent-70b", ("query", {"gpu_hour_usd": "2.49", "setup_hours": "0"}))
    result = evaluate(TCO_TRAFFIC, a)
    assert result.self_host_cost is not None
    assert result.self_host_cost.hardware_usd == 2 * D("2.49") * 730 == D("3635.40")
    assert result.self_host_cost.monthly_usd == D("3635.40") + TAX == D("4935.40")
    # Capacity: decode 4205 × 0.5 = 2102.5 tok/s; in/out = 4, so R_eff = 2102.5 / (1 + 4/20)
    # = 1752.08; peak = 0.7 × 200M / (220 h × 3600) × 2.5 = 441.9 tok/s < 1752.08 × 0.7.
    assert result.capacity.replicas_needed == 1
    assert round(result.capacity.peak_tok_s, 1) == D("441.9")
    # Only the movable 70 % can be saved: 0.7 × 5400 = 3780 < 4935.40, so stay on the API.
    assert result.pays_off is False
    # Break-even bill: 4935.40 / 0.7 = 7050.57…
    assert round(result.breakeven_api_usd, 2) == D("7050.57")
    # Hosted 70B: 30 % stays (1620) + 0.7 × (800 × 0.59 + 200 × 0.79) = 0.7 × 630 = 441.
    assert result.hosted.monthly_usd == D(1620) + D(441)
    assert result.best.name.startswith("hosted open-weight")


def test_workstation_8b_is_mostly_tax() -> None:
    # A ~$3K RTX 4090 box is ≈ $83/month of hardware + $30 of power; the tax dominates.
    a, _ = resolve("workstation-8b")
    cost = self_host_cost(1, D(730), a)  # one box, on all month
    assert round(cost.hardware_usd, 2) == D("83.33")  # 3000 × (1 − 0) / 36
    assert cost.power_usd == D("0.45") * D("0.7") * 730 * D("1.0") * D("0.13") == D("29.8935")
    assert round(cost.setup_usd, 2) == D("44.44")  # 16 h × $100 / 36
    assert round(cost.monthly_usd, 2) == D("1457.67")  # 83.33 + 29.89 + 1300 + 44.44
    assert cost.ops_usd > 10 * (cost.hardware_usd + cost.power_usd)


def test_workstation_8b_capacity_staircase() -> None:
    a, _ = resolve("workstation-8b")
    result = evaluate(TCO_TRAFFIC, a)
    # decode 377 × 0.5 = 188.5; R_eff = 188.5 / 1.2 = 157.08; usable at 70 % = 109.96 tok/s.
    # peak = 0.5 × 200M / 792,000 s × 2.5 = 315.66 tok/s → ceil(315.66 / 109.96) = 3 boxes.
    assert result.capacity.replicas_needed == 3
    assert result.capacity.fits  # 8B × 2 bytes × 1.1 = 17.6 GB ≤ 24 × 0.9 = 21.6 GB
    # Each box displaces up to a third of the movable $2,700 (900) and costs 83.33 + 29.89 a
    # month; the tax (1300 + 44.44) is paid once. Three boxes: 3 × 3000 / 36 = 250 hardware,
    # 3 × 29.8935 = 89.68 power, total 1684.12 for 2700 displaced: the best count, and it saves
    # 1015.88, 60 % of its cost. It does not "pay off": a hosted 8B API is cheaper still.
    assert result.self_host_cost is not None and result.self_host_cost.replicas == 3
    assert round(result.self_host_cost.monthly_usd, 2) == D("1684.12")
    assert round(result.saving_usd, 2) == D("1015.88") and result.pays_back
    assert result.hosted.monthly_usd < result.self_host.monthly_usd and not result.pays_off


def test_one_rented_h100_for_8b() -> None:
    a, _ = resolve("h100-rent-8b")
    result = evaluate(TCO_TRAFFIC, a)
    assert result.self_host_cost is not None
    # 1 GPU × $2.50 × 730 h = 1825; + 1300 tax + 16 h × 100 / 36 set-up.
    assert round(result.self_host_cost.monthly_usd, 2) == D("3169.44")
    # Movable half of 5400 = 2700 < 3169.44: no. Break-even bill = 3169.44 / 0.5.
    assert result.pays_off is False
    assert round(result.breakeven_api_usd, 2) == D("6338.89")
    # The GPU would be busy 0.5 × 200M tokens / (1 × 2666.5/1.2 tok/s × 3600 × 730) ≈ 1.7 %.
    assert round(result.utilization * 100, 1) == D("1.7")


def test_bought_8xh100_server_for_70b() -> None:
    a, _ = resolve("8xh100-buy-70b")
    result = evaluate(TCO_TRAFFIC, a)
    cost = result.self_host_cost
    assert cost is not None and cost.servers == 1 and cost.gpus == 2
    assert cost.capex_usd == 270_000
    assert cost.hardware_usd == D(270_000) * D("0.7") / 36 == 5250
    # (8 × 700 W + 4600 W) × 0.7 load = 7.14 kW; × 730 h × PUE 1.5 × $0.13 = 1016.379.
    assert cost.power_usd == D("7.14") * 730 * D("1.5") * D("0.13") == D("1016.379")
    assert cost.maintenance_usd == D(270_000) * D("0.08") / 12 == 1800
    assert round(cost.monthly_usd, 2) == D("9477.49")  # 5250 + 1016.38 + 1800 + 1300 + 111.11
    # Running costs (power + maintenance + tax) exceed the 3780 it displaces: no payback.
    assert result.payback_months is None


def test_bought_server_payback_at_a_large_bill() -> None:
    a, _ = resolve("8xh100-buy-70b")
    big = TCO_TRAFFIC.scaled_to(D(60_000))
    result = evaluate(big, a)
    cost = result.self_host_cost
    assert cost is not None and result.saving_usd > 0 and result.pays_back
    assert not result.pays_off  # a hosted open-weight API is cheaper still
    displaced = D("0.7") * D(60_000) * result.served_share
    running = cost.power_usd + cost.maintenance_usd + cost.tax_usd
    assert result.payback_months == cost.capex_usd / (displaced - running)


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
