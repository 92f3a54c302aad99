"""The break-even answer as terminal text, Slack blocks and the `--json` object.

Reports are built by hand from the real model (the cost reference's traffic), so these tests pin
that every rendering shows each option's total, the inputs with their sources, and the data's
freshness.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal as D
from typing import Any

from slack_sdk.models.blocks import Block

from bot.core.breakeven import PROFILES, SOURCES, ModelVolume, Workload, evaluate, resolve
from bot.core.breakeven.sensitivity import sensitivity
from bot.core.breakeven.verdict import Verdict, verdict
from bot.core.breakeven_report import BreakEvenReport, MeasuredHours
from bot.core.coverage import ProviderFreshness
from bot.core.money import cents, format_usd
from bot.render.breakeven_blocks import breakeven_blocks, breakeven_fallback
from bot.render.breakeven_compare import compare_blocks, compare_rows
from bot.render.breakeven_json import breakeven_json
from bot.render.breakeven_text import breakeven_text
from bot.slack.blocks import check_blocks
from tests.fakes.slack_api import block_texts

NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
TCO_TRAFFIC = Workload(
    api_usd=D(5400),
    input_tokens=800_000_000,
    cached_input_tokens=0,
    output_tokens=200_000_000,
    models=(ModelVolume("anthropic", "claude-sonnet-4-5", 800_000_000, 0, 200_000_000, D(5400)),),
    basis="billed spend and token usage 2026-10-16..2026-11-15 (30 days) scaled to a month",
)
FRESH = [
    ProviderFreshness("openai", datetime(2026, 11, 15, 10, 0, tzinfo=UTC), None),
    ProviderFreshness("anthropic", None, "401 from the cost report: check ANTHROPIC_ADMIN_KEY"),
]


def _report(
    profile: str = "2xh100-rent-70b",
    overrides: dict[str, str] | None = None,
    *,
    workload: Workload = TCO_TRAFFIC,
    what_if: D | None = None,
    measured: MeasuredHours | None = None,
    forecast: tuple[tuple[date, D], ...] = (),
    freshness: list[ProviderFreshness] | None = None,
) -> tuple[BreakEvenReport, Verdict]:
    a, origin = resolve(profile, ("query", overrides or {}))
    if what_if is not None:
        workload = workload.scaled_to(what_if)
    result = evaluate(workload, a, forecast=forecast)
    report = BreakEvenReport(
        result=result,
        profile=profile,
        origin=origin,
        as_of=NOW,
        timezone="UTC",
        window=(date(2026, 10, 16), date(2026, 11, 15)),
        what_if_spend=what_if,
        measured_hours=measured,
        price_data="genai-prices 0.2.3",
        freshness=FRESH if freshness is None else freshness,
        sensitivity=sensitivity(workload, a) if result.capacity.fits else None,
    )
    weekly = None if measured is None else measured.weekly_average
    entries = 0 if measured is None else measured.entries
    return report, verdict(result, measured_weekly_hours=weekly, measured_entries=entries)


def _flat(text: str) -> str:
    """Text with its line wrapping undone, to find a sentence whatever the width."""
    return " ".join(text.split())


def _assert_sendable(blocks: list[dict[str, Any]]) -> None:
    assert check_blocks(blocks) == []
    for block in blocks:
        Block.parse(block).validate_json()


# --- terminal text -------------------------------------------------------------------------
def test_text_shows_verdict_and_every_option_with_its_breakdown() -> None:
    report, v = _report()
    text = breakeven_text(report, v)
    result = report.result
    assert v.headline.split(":")[0] in text
    assert all(reason in _flat(text) for reason in v.reasons)
    for option in (result.status_quo, result.hosted, result.self_host):
        line = next(ln for ln in text.splitlines() if ln.strip().startswith(option.name))
        assert format_usd(option.monthly_usd) in line
        for label, usd in option.lines:
            assert any(label in ln and format_usd(usd) in ln for ln in text.splitlines())
    assert "$6,352.78" in text and "$2,061.00" in text and "$5,400.00" in text
    assert "saves $3,339.00/month" in text
    assert "$6,761.11/month of API spend" in text


def test_text_shows_the_inputs_with_their_sources() -> None:
    report, v = _report(overrides={"gpu_hour_usd": "2.49"})
    text = breakeven_text(report, v)
    assert "profile 2xh100-rent-70b" in text
    assert "800M input (0 cached), 200M output tokens" in text
    assert "anthropic claude-sonnet-4-5" in text
    assert report.result.workload.basis in _flat(text)
    lines = text.splitlines()
    assert any("gpu_hour_usd" in ln and "2.49" in ln and "query" in ln for ln in lines)
    assert any(
        "throughput_tok_s" in ln and "4205" in ln and SOURCES["throughput_tok_s"] in ln
        for ln in lines
    )
    assert "server_price_usd" not in text  # renting: buy-only assumptions are left out
    bought, bought_verdict = _report("8xh100-buy-70b")
    bought_text = breakeven_text(bought, bought_verdict)
    assert "server_price_usd" in bought_text and "gpu_hour_usd" not in bought_text
    assert any(
        "acquisition" in ln and "profile 8xh100-buy-70b" in ln for ln in bought_text.splitlines()
    )


def test_text_shows_freshness_window_prices_and_what_if() -> None:
    measured = MeasuredHours(entries=6, total_hours=D(27), weeks=D(6), since=date(2026, 10, 1))
    report, v = _report(what_if=D(60000), measured=measured)
    text = breakeven_text(report, v)
    assert "as of Sun 15 Nov 2026 12:00 UTC" in text
    assert "16 Oct 2026 – 14 Nov 2026 (30 days)" in text
    assert "openai synced 15 Nov 10:00 UTC (2 h ago)" in text
    assert "anthropic never synced; last attempt failed: 401" in text
    assert "genai-prices 0.2.3" in text
    assert "what if: the bill were $60,000.00/month" in text
    assert "27 h in 6 entries since 01 Oct 2026 (4.5 h/week)" in text
    assert "measured from 6 log entries: 4.5 h/week" in _flat(text)


def test_text_for_a_model_that_does_not_fit() -> None:
    report, v = _report("workstation-8b", {"model_class": "70b", "params_b": "70"})
    text = breakeven_text(report, v)
    assert text.splitlines()[2].startswith("Self-hosting is not possible as configured")
    assert "does not fit: 154 GB of weights" in text


# --- Slack blocks --------------------------------------------------------------------------
def test_blocks_are_sendable_and_carry_the_figures() -> None:
    report, v = _report()
    blocks = breakeven_blocks(report, v)
    _assert_sendable(blocks)
    shown = block_texts(blocks)
    assert blocks[0]["type"] == "header"
    assert v.headline in shown
    assert all(reason in shown for reason in v.reasons)
    for amount in ("$5,400.00", "$2,061.00", "$6,352.78", "$6,761.11", "$3,339.00"):
        assert amount in shown
    assert "`gpu_hour_usd` 2.50" in shown and SOURCES["gpu_hour_usd"] in shown
    assert "openai synced 15 Nov 10:00 UTC" in shown
    assert blocks[-1]["type"] == "context"


def test_every_profile_renders_sendable_blocks() -> None:
    for profile in ("workstation-8b", "h100-rent-8b", "2xh100-rent-70b", "8xh100-buy-70b"):
        for what_if in (None, D(60000)):
            _assert_sendable(breakeven_blocks(*_report(profile, what_if=what_if)))


def test_oversized_report_is_clipped_to_slacks_limits() -> None:
    models = tuple(
        ModelVolume("openai", f"model-{n:03d}-{'x' * 200}", 10**6, 0, 10**5, D(1))
        for n in range(40)
    )
    workload = Workload(D(5400), 800_000_000, 0, 200_000_000, models, basis="b <&> " * 2000)
    freshness = [
        ProviderFreshness(f"provider-{n}", None, "connection <reset> " * 400) for n in range(30)
    ]
    blocks = breakeven_blocks(*_report(workload=workload, freshness=freshness))
    _assert_sendable(blocks)
    assert "and 30 more models" in block_texts(blocks)
    assert "<reset>" not in block_texts(blocks)  # escaped for Slack


def test_fallback_names_the_verdict_and_the_best_option() -> None:
    report, v = _report()
    text = breakeven_fallback(report, v)
    assert text.startswith(v.headline)
    assert "hosted open-weight API" in text and "$2,061.00" in text and "$5,400.00" in text


# --- JSON ----------------------------------------------------------------------------------
def test_json_has_the_required_keys_consistent_with_the_result() -> None:
    report, v = _report()
    out = breakeven_json(report, v)
    result = report.result
    assert out["pays_off"] is False
    assert out["monthly_api_usd"] == float(cents(result.status_quo.monthly_usd)) == 5400.0
    assert out["monthly_local_usd"] == float(cents(result.self_host.monthly_usd)) == 6352.78
    assert out["monthly_hosted_usd"] == 2061.0
    assert out["best_option"] == "hosted_open_weight"
    assert out["monthly_savings_usd"] == 3339.0
    assert out["breakeven_api_usd"] == 6761.11
    assert out["breakeven_month"] is None
    assert out["payback_months"] is None
    assert out["profile"] == "2xh100-rent-70b"
    local = out["options"]["self_host"]
    assert local["monthly_usd"] == 6352.78
    assert local["breakdown"] == {
        "API bill for traffic that stays": 1620.0,
        "GPU rent": 3650.0,
        "storage and egress": 365.0,
        "operations (eng hours)": 606.67,
        "set-up (spread)": 111.11,
    }
    assert set(out["options"]) == {"status_quo", "hosted_open_weight", "self_host"}
    capacity = out["capacity"]
    assert capacity["fits"] is True and capacity["replicas"] == 1 and capacity["gpus"] == 2
    assert capacity["low_utilization"] is True and capacity["peak_tok_s"] == 441.9
    assert out["workload"]["output_tokens"] == 200_000_000
    assert out["workload"]["models"][0]["model"] == "claude-sonnet-4-5"
    assert out["assumptions"]["gpu_hour_usd"] == {
        "value": "2.50",
        "source": f"default: {SOURCES['gpu_hour_usd']}",
    }
    assert out["assumptions"]["gpus_per_replica"]["value"] == 2
    assert "server_price_usd" not in out["assumptions"]
    assert out["verdict"] == {"headline": v.headline, "reasons": v.reasons}
    assert out["as_of"] == "2026-11-15T12:00:00+00:00"
    assert out["data_window"] == {
        "start": "2026-10-16",
        "end": "2026-11-15",
        "days_without_data": [],
        "ends_days_ago": None,
    }
    assert out["what_if_spend_usd"] is None and out["measured_hours"] is None
    assert out["price_data"] == "genai-prices 0.2.3"
    assert json.loads(json.dumps(out)) == out


def test_json_breakeven_month_payback_and_what_if() -> None:
    forecast = ((date(2026, 12, 1), D(50000)), (date(2027, 3, 1), D(70000)))
    measured = MeasuredHours(entries=3, total_hours=D(10), weeks=D(3), since=date(2026, 10, 25))
    report, v = _report("8xh100-buy-70b", what_if=D(60000), forecast=forecast, measured=measured)
    out = breakeven_json(report, v)
    assert out["pays_off"] is False and out["pays_back"] is True  # the hosted API is cheaper
    assert out["breakeven_month"] == "2026-12"  # $50,000 already passes the pay-off bill
    assert out["payback_months"] == 8.3
    assert out["what_if_spend_usd"] == 60000.0
    assert out["measured_hours"] == {
        "entries": 3,
        "total_hours": 10.0,
        "weekly_average": 3.33,
        "since": "2026-10-25",
    }
    assert out["assumptions"]["acquisition"]["source"] == "profile 8xh100-buy-70b"
    assert "gpu_hour_usd" not in out["assumptions"]
    json.dumps(out)


def test_json_for_a_model_that_does_not_fit() -> None:
    report, v = _report("workstation-8b", {"model_class": "70b", "params_b": "70"})
    out = breakeven_json(report, v)
    assert out["pays_off"] is False
    assert out["capacity"]["fits"] is False and out["capacity"]["replicas"] is None
    assert out["breakeven_api_usd"] is None
    assert out["monthly_local_usd"] == out["monthly_api_usd"]
    assert out["assumptions"]["params_b"]["source"] == "query"
    json.dumps(out)


def test_every_rendering_says_what_the_verdict_hangs_on() -> None:
    """$8,000 with no hosted alternative is too close to call; the text, the blocks and the JSON
    all give the break-even range and the inputs that would make it pay off, with the values."""
    no_hosted = {"hosted_input_per_m": "100", "hosted_output_per_m": "100"}
    report, v = _report(overrides=no_hosted, what_if=D(8000))
    text = breakeven_text(report, v)
    assert "What the verdict hangs on" in text
    flips = (
        "Self-hosting would pay off if movable_frac > 0.710, or eng_hours_per_week < 1.25, or "
        "engineer_hour_usd < $90.79, or gpu_hour_usd < $2.46, or storage_egress_frac < 0.0819 "
        "(any one alone, the rest as they are)"
    )
    assert flips in " ".join(line.strip() for line in text.splitlines())
    blocks = breakeven_blocks(report, v)
    assert check_blocks(blocks) == []
    shown = block_texts(blocks)
    assert "*What the verdict hangs on*" in shown and "gpu_hour_usd &lt; $2.46" in shown
    out = breakeven_json(report, v)["sensitivity"]
    gpu = next(i for i in out["inputs"] if i["name"] == "gpu_hour_usd")
    assert gpu["flips_when"] == "below" and round(gpu["flips_at"], 2) == 2.46
    assert gpu["low"] == 1.79 and gpu["high"] == 3.95 and "cost model §1c" in gpu["source"]
    assert out["breakeven_range_usd"][0] == 4732.78


def test_compare_blocks_are_sendable_and_escape_the_flips() -> None:
    no_hosted = {"hosted_input_per_m": "100", "hosted_output_per_m": "100"}
    answers = [_report(p, no_hosted, what_if=D(8000)) for p in sorted(PROFILES)]
    blocks = compare_blocks(answers)
    assert check_blocks(blocks) == []
    shown = block_texts(blocks)
    assert "```profile" in shown and "2xh100-rent-70b" in shown
    assert "2xh100-rent-70b: pays off if movable_frac &gt; 0.710" in shown
    assert "<" not in shown.replace("```", "")  # every flip's < is escaped for mrkdwn
    # Each row's last cell is its verdict's case: $8,000 on 2×H100 saves $867.22, 18 % of its
    # $4,732.78 cost, inside the 20 % margin.
    rows = {row[0]: row for row in compare_rows(answers)}
    assert rows["2xh100-rent-70b"][-1] == "inside the margin"


def test_every_rendering_shows_the_new_cost_lines_and_the_team() -> None:
    """Bought and customer-facing with a team of 5: network, colocation and on-call are lines of
    their own in the text, the blocks and the JSON; the JSON also gives the team's share."""
    report, v = _report(
        "8xh100-buy-70b", {"customer_facing": "true", "team_engineers": "5"}, what_if=D(60000)
    )
    out = breakeven_json(report, v)
    breakdown = out["options"]["self_host"]["breakdown"]
    # One server: $32,400 of network over 36 months less 30 % resale; 10.2 kW × $196; $250 × 52/12.
    assert breakdown["network (amortized)"] == 630.0
    assert breakdown["colocation"] == 1999.2
    assert breakdown["on-call cover"] == 1083.33
    assert "storage and egress" not in breakdown  # nothing rented
    assert out["operations"] == {
        "hours_per_week": 1.4,
        "customer_facing": True,
        "team_engineers": 5,
        "team_share": 0.007,  # 1.4 h of 200
        "team_absorbs": True,
    }
    assert out["capacity"]["nodes"] == 1
    assert "network_frac" in out["assumptions"] and "storage_egress_frac" not in out["assumptions"]
    text = breakeven_text(report, v)
    shown = block_texts(breakeven_blocks(report, v))
    for label in ("network (amortized)", "colocation", "on-call cover"):
        assert label in text and label in shown
    assert any(
        r.startswith("For the team, its operations would take 1.4 h/week") for r in v.reasons
    )
