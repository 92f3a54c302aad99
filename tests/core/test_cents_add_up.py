"""Cents add up: every displayed total equals the sum of its displayed parts, in every renderer.

Worked example from the issue: the hosted option's parts $2,515.334 and $4,015.584 rounded one by
one show "$2,515.33 + $4,015.58" under a total of "$6,530.92". Here the total is rounded once
and the parts are allocated to it, so what a reader adds up is what the total says.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.breakeven import PROFILES, workload_from_spend
from bot.core.money import CENT, cents, json_usd, split_cents
from bot.render.breakeven_blocks import breakeven_blocks
from bot.render.breakeven_json import breakeven_json
from bot.render.breakeven_text import breakeven_text
from tests.slack.test_breakeven_render import _report

amounts = st.decimals(min_value=D(0), max_value=D(10_000_000), places=6)


def test_the_issues_example() -> None:
    # Both parts lose $0.004 to rounding down; the missing cent goes to the first of equals.
    shown = split_cents(D("6530.918"), [D("2515.334"), D("4015.584")])
    assert shown == [D("2515.34"), D("4015.58")]
    assert sum(shown) == D("6530.92") == cents(D("6530.918"))


def test_cents_round_half_up_like_an_invoice_not_half_even() -> None:
    from bot.core.money import to_nanos

    assert [cents(D(x)) for x in ("0.125", "0.135", "2.005", "-0.125", "0.124999")] == [
        D("0.13"),
        D("0.14"),
        D("2.01"),
        D("-0.13"),
        D("0.12"),
    ]
    assert to_nanos(D("1.0000000015")) == 1_000_000_002  # below a nano-dollar: half even
    assert to_nanos(D("1.0000000025")) == 1_000_000_002


def test_parts_that_are_not_a_breakdown_are_rounded_one_by_one() -> None:
    # $1.005 + $2.00 is not $5: no allocation, each part to the cent on its own (half up).
    assert split_cents(D("5"), [D("1.005"), D("2")]) == [D("1.01"), D("2.00")]
    # A billionth of a dollar apart is still a breakdown (Decimal division leaves such dust):
    # the one cent the total shows goes to one part, not a cent to each.
    assert split_cents(D("0.010000001"), [D("0.005"), D("0.005")]) == [D("0.01"), D("0.00")]
    assert split_cents(D("0.010000002"), [D("0.005"), D("0.005")]) == [D("0.01"), D("0.01")]


@settings(max_examples=300, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=8))
def test_allocated_parts_sum_to_the_rounded_total_and_move_under_a_cent(parts: list[D]) -> None:
    total = sum(parts, D(0))
    shown = split_cents(total, parts)
    assert sum(shown, D(0)) == cents(total)
    for exact, part in zip(parts, shown, strict=True):
        assert abs(part - exact) < CENT
        assert part == part.quantize(CENT)


MONEY = re.compile(r"\$([\d,]+\.\d\d)")


def _dollars(text: str) -> D:
    return D(MONEY.search(text).group(1).replace(",", ""))  # type: ignore[union-attr]


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(sorted(PROFILES)),
    st.decimals(min_value=D(50), max_value=D(400_000), places=4),
    st.decimals(min_value=D("0.5"), max_value=D("4.5"), places=3),
)
def test_every_options_breakdown_adds_up_in_text_blocks_and_json(
    profile: str, spend: D, gpu_hour: D
) -> None:
    report, answer = _report(
        profile, {"gpu_hour_usd": str(gpu_hour)}, workload=workload_from_spend(spend)
    )
    # Terminal: each option's line, then its indented parts.
    lines = breakeven_text(report, answer).splitlines()
    start = lines.index("Options, per month")
    block: list[str] = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        block.append(line)
    totals = [i for i, line in enumerate(block) if not line.startswith("    ")]
    for n, i in enumerate(totals):
        parts = block[i + 1 : totals[n + 1] if n + 1 < len(totals) else len(block)]
        assert _dollars(block[i]) == sum((_dollars(p) for p in parts), D(0)), block

    # JSON: each option's breakdown sums to its monthly figure, to the cent.
    data = json.loads(json.dumps(breakeven_json(report, answer)))
    for option in data["options"].values():
        if option is None:
            continue
        assert round(sum(option["breakdown"].values()), 2) == option["monthly_usd"], option

    # Slack: the option fields show the same figures.
    fields = [
        f["text"]
        for b in breakeven_blocks(report, answer)
        for f in b.get("fields", [])
        if "\n• " in f["text"]  # an option: its total, then its parts
    ]
    for text in fields:
        total = _dollars(text.splitlines()[1])
        parts = [_dollars(line) for line in text.splitlines()[2:] if line.startswith("•")]
        assert total == sum(parts, D(0)), text


def test_budget_percentages_are_computed_one_way() -> None:
    """$8,621.98 projected on a $3,000 budget is 287 % of it and 187 % over it, not 188 %."""
    from datetime import UTC, date, datetime

    from bot.core.alerts.conditions import AlertInputs
    from bot.core.alerts.rules import evaluate as alert_rules
    from bot.core.forecast import Estimate

    inputs = AlertInputs(
        now=datetime(2026, 11, 10, 12, tzinfo=UTC),
        today=date(2026, 11, 10),
        month_to_date_usd=D("2500"),
        budget_usd=D("3000"),
        projection=Estimate(D("8621.98"), D("8000"), D("9000")),
        growth=None,
        daily={},
        incomplete_days=frozenset(),
        breakeven=None,
    )
    [projection] = [c for c in alert_rules(inputs) if c.kind == "projection"]
    assert projection.numbers["Projected month end"] == "$8,621.98 (287 % of budget)"
    assert "ends $5,621.98 (187 %) over budget" in projection.why


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["openai", "anthropic", "bedrock"]), amounts), max_size=6)
)
def test_status_by_provider_adds_up_to_the_month_in_json_text_and_blocks(
    rows: list[tuple[str, D]],
) -> None:
    from datetime import UTC, date, datetime
    from zoneinfo import ZoneInfo

    from bot.core.records import DailySpend
    from bot.core.status import build_status
    from bot.render.status_blocks import status_blocks
    from bot.render.status_text import status_text

    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    daily = [DailySpend(p, date(2026, 11, 1 + n), amount) for n, (p, amount) in enumerate(rows)]
    fetched = {(p, date(2026, 11, d)): now for p in ("openai", "anthropic") for d in range(1, 21)}
    report = build_status(daily, now=now, tz=ZoneInfo("UTC"), fetched_at=fetched)
    data = report.as_dict()
    if data["month_to_date_usd"] is None:
        return
    shown = [v for v in data["by_provider"].values() if v is not None]
    assert round(sum(shown), 2) == data["month_to_date_usd"]
    text = status_text(report)
    total = _dollars(next(line for line in text.splitlines() if "Month to date" in line))
    start = text.splitlines().index(next(ln for ln in text.splitlines() if "By provider" in ln))
    parts = []
    for line in text.splitlines()[start + 1 :]:
        if not line.strip():
            break
        parts.append(_dollars(line))
    assert total == sum(parts, D(0))
    blocks = " ".join(json.dumps(b) for b in status_blocks(report))
    assert all(f"${v:,.2f}" in blocks for v in shown)


def test_json_dollars_are_cents_and_missing_stays_null() -> None:
    assert json_usd(None) is None
    assert json_usd(D("0")) == 0.0
    assert json_usd(D("1234.565")) == 1234.57  # half up, as cents()
    assert json_usd(D("-0.005")) == -0.01
    assert repr(json_usd(D("10.10000000001"))) == "10.1"
