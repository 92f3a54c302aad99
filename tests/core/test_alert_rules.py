"""The alert rules worked by hand: each rule fires when it should, and only then."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest

from bot.core.alerts import AlertInputs, BreakEvenSummary, assess, evaluate
from bot.core.alerts.conditions import current_periods
from bot.core.forecast import Estimate
from bot.core.growth import GrowthReport, MonthGrowth

TODAY = date(2026, 11, 20)  # a Friday; November has 30 days
BASE = AlertInputs(
    now=datetime(2026, 11, 20, 12, tzinfo=UTC),
    today=TODAY,
    month_to_date_usd=D(0),
    budget_usd=None,
    projection=None,
    growth=None,
    daily={},
    incomplete_days=frozenset(),
    breakeven=None,
)


def keys(inputs: AlertInputs) -> list[str]:
    return [c.key for c in evaluate(inputs)]


def budget(mtd: str, projection: str | None = None) -> AlertInputs:
    estimate = None if projection is None else Estimate(D(projection), D(projection), D(projection))
    return replace(BASE, month_to_date_usd=D(mtd), budget_usd=D(5000), projection=estimate)


# --- budget ladder and projection --------------------------------------------------------------


def test_the_ladder_wording_says_used_and_left() -> None:
    (alert,) = evaluate(budget("4100"))  # 4100 / 5000 = 82 %
    assert alert.key == "budget:80:2026-11" and alert.kind == "budget"
    assert alert.title == "82 % of the November budget used (18 % left)"
    assert alert.numbers["Left"] == "$900.00" and alert.numbers["Day"] == "20 of 30"
    assert alert.why == "Only $900.00 is left for the last 10 days."
    assert alert.severity == "warning"
    assert alert.supersedes == ("budget:50:2026-11",)


@pytest.mark.parametrize(
    ("mtd", "expected"),
    [
        ("2499.99", []),  # 49.9998 %: floored, never rounded up into a step
        ("2500", ["budget:50:2026-11"]),
        ("3999.99", ["budget:50:2026-11"]),
        ("4000", ["budget:80:2026-11"]),  # only the highest step crossed
        ("5000", ["budget:100:2026-11"]),
        ("9000", ["budget:100:2026-11"]),
    ],
)
def test_only_the_highest_step_crossed_fires(mtd: str, expected: list[str]) -> None:
    assert keys(budget(mtd)) == expected


def test_over_budget_says_how_far_over_and_makes_the_projection_moot() -> None:
    (alert,) = evaluate(budget("5200", projection="7000"))
    assert alert.title == "104 % of the November budget used (4 % over)"
    assert alert.numbers["Over"] == "$200.00" and alert.severity == "critical"
    assert set(alert.supersedes) == {"budget:50:2026-11", "budget:80:2026-11", "projection:2026-11"}
    assert evaluate(budget("5000"))[0].title == "100 % of the November budget used (nothing left)"
    # At 100 % the projection is not judged, so an earlier projection alert does not "recover".
    assert "projection" not in assess(budget("5200", projection="7000")).judged


def test_projected_to_exceed() -> None:
    found = {c.key: c for c in evaluate(budget("3000", projection="5600"))}
    assert set(found) == {"budget:50:2026-11", "projection:2026-11"}
    projection = found["projection:2026-11"]
    assert projection.title == (
        "Projected to exceed the November budget: $5,600.00 against $5,000.00"
    )
    assert projection.why.startswith("At the current trend November ends $600.00 (12 %) over")
    assert projection.recovers and not found["budget:50:2026-11"].recovers


def test_projection_under_budget_is_judged_and_read() -> None:
    assessment = assess(budget("3000", projection="4900"))
    assert [c.key for c in assessment.conditions] == ["budget:50:2026-11"]
    assert "projection" in assessment.judged
    assert assessment.readings["projection"] == "projected month end $4,900.00, budget $5,000.00"


def test_no_budget_no_budget_rules() -> None:
    assessment = assess(replace(BASE, month_to_date_usd=D(10**6)))
    assert assessment.conditions == [] and assessment.judged == frozenset()


# --- growth against revenue, share of revenue --------------------------------------------------


def growth(share_policy: str | None = None) -> GrowthReport:
    """September and October each outgrew revenue: spend +20 %, revenue +5 %."""
    return GrowthReport(
        [
            MonthGrowth(date(2026, 8, 1), D(5000), D(100000), None, None, None),
            MonthGrowth(date(2026, 9, 1), D(6000), D(105000), D("0.2"), D("0.05"), D("1.14")),
            MonthGrowth(date(2026, 10, 1), D(7200), D(110250), D("0.2"), D("0.05"), D("1.14")),
        ],
        None if share_policy is None else D(share_policy),
    )


def test_spend_outgrowing_revenue_two_months_running() -> None:
    (alert,) = evaluate(replace(BASE, growth=growth()))
    assert alert.key == "growth:2026-10" and alert.period == "2026-10"
    assert alert.title == "AI spend outgrew revenue 2 months running"
    assert alert.numbers["AI spend, October 2026"] == "$7,200.00 (+20.0 %)"
    assert alert.numbers["Revenue, October 2026"] == "$110,250.00 (+5.0 %)"
    assert alert.numbers["AI spend share of revenue"] == "6.5 %"  # 7200 / 110250


def test_share_above_policy() -> None:
    found = {c.key: c for c in evaluate(replace(BASE, growth=growth(share_policy="0.05")))}
    share = found["share:2026-10"]
    assert share.title == "AI spend was 6.5 % of revenue in October 2026 (policy 5.0 %)"
    # 7200 - 5 % of 110250 = 7200 - 5512.50 = 1687.50
    assert "AI cost $1,687.50 more that month" in share.why
    under = assess(replace(BASE, growth=growth(share_policy="0.10")))
    assert [c.key for c in under.conditions] == ["growth:2026-10"] and "share" in under.judged


def test_a_month_whose_last_day_may_still_change_is_not_judged() -> None:
    inputs = replace(
        BASE,
        today=date(2026, 11, 1),
        growth=growth(share_policy="0.05"),
        incomplete_days=frozenset({date(2026, 10, 31)}),
    )
    assessment = assess(inputs)
    assert assessment.conditions == [] and assessment.judged == frozenset()


# --- break-even --------------------------------------------------------------------------------


def breakeven(pays_off: bool, month: date | None) -> AlertInputs:
    figures = BreakEvenSummary(
        profile="2xh100-rent-70b",
        monthly_bill_usd=D(24000),
        breakeven_bill_usd=D(30000),
        pays_off=pays_off,
        breakeven_month=month,
        saving_usd=D("6200.50"),
        best_option="self-host (rent, 70B)",
        best_saving_usd=D("6200.50"),
    )
    return replace(BASE, breakeven=figures)


def test_breakeven_crossed() -> None:
    (alert,) = evaluate(breakeven(True, date(2026, 11, 1)))
    assert alert.key == "breakeven:2026-11"
    # The alert names what it saves: "pays off" is only said of the cheapest option.
    assert (
        alert.title == "Running open-weight models yourself would now pay off: $6,200.50/month less"
    )
    assert alert.numbers == {"API bill, a month": "$24,000.00", "Break-even bill": "$30,000.00"}
    assert alert.supersedes == ("breakeven-soon:2026-11",)


@pytest.mark.parametrize(
    ("month", "title"),
    [
        (date(2027, 2, 1), "Break-even expected in 3 months (February 2027)"),
        (date(2026, 12, 1), "Break-even expected in 1 month (December 2026)"),
        (date(2026, 11, 1), "Break-even expected this month (November 2026)"),
        (date(2027, 11, 1), "Break-even expected in 12 months (November 2027)"),
    ],
)
def test_breakeven_expected_within_a_year(month: date, title: str) -> None:
    (alert,) = evaluate(breakeven(False, month))
    assert alert.key == "breakeven-soon:2026-11" and alert.title == title


def test_breakeven_further_out_or_unknown_is_no_alert_but_is_judged() -> None:
    assert evaluate(breakeven(False, date(2027, 12, 1))) == []
    assert assess(breakeven(False, None)).judged == {"breakeven", "breakeven-soon"}
    assert assess(BASE).judged == frozenset()  # no data: nothing judged, nothing recovers


# --- spikes ------------------------------------------------------------------------------------

SPIKE_DAY = date(2026, 11, 18)


def history(days: int, amount: str = "100") -> dict[date, D]:
    return {SPIKE_DAY - timedelta(days=k): D(amount) for k in range(1, days + 1)}


def spike(spend: str, *, days: int = 28, usual: str = "100", **changes: object) -> AlertInputs:
    return replace(BASE, daily={**history(days, usual), SPIKE_DAY: D(spend)}, **changes)


def test_a_spike_far_above_the_usual_day() -> None:
    (alert,) = evaluate(spike("450"))  # 4.5 × the $100 median, $350 above it
    assert alert.key == "spike:2026-11-18" and alert.period == "2026-11-18"
    assert alert.title == "Spend spike on Wed 18 Nov 2026: $450.00 (4.5× usual)"
    assert alert.numbers["Usual day"] == "$100.00 (median of the 28 days before)"
    assert alert.numbers["Above usual"] == "$350.00"


def test_a_spike_needs_the_factor_and_the_floor() -> None:
    assert evaluate(spike("300")) == []  # exactly 3 × is not above 3 ×
    assert evaluate(spike("55", usual="10")) == []  # 5.5 × but only $45 above: under the floor
    assert keys(spike("61", usual="10")) == ["spike:2026-11-18"]  # $51 above the $50 floor


def test_a_spike_needs_two_weeks_of_history() -> None:
    assert evaluate(spike("450", days=13)) == []
    assert keys(spike("450", days=14)) == ["spike:2026-11-18"]


def test_no_spike_on_a_day_that_may_still_change() -> None:
    assert evaluate(spike("450", incomplete_days=frozenset({SPIKE_DAY}))) == []


def test_spikes_are_looked_for_in_the_last_seven_complete_days_only() -> None:
    assert evaluate(spike("450", today=SPIKE_DAY)) == []  # today is still running
    assert keys(spike("450", today=SPIKE_DAY + timedelta(days=7))) == ["spike:2026-11-18"]
    assert evaluate(spike("450", today=SPIKE_DAY + timedelta(days=8))) == []


def test_the_baseline_is_a_median_so_one_old_spike_does_not_hide_a_new_one() -> None:
    daily = history(28)
    daily[SPIKE_DAY - timedelta(days=3)] = D(5000)
    found = keys(replace(BASE, daily={**daily, SPIKE_DAY: D(450)}))
    assert found == ["spike:2026-11-18", "spike:2026-11-15"]  # each its own alert, newest first


def test_current_periods() -> None:
    periods = current_periods(TODAY)
    assert periods["budget"] == {"2026-11"} and periods["growth"] == {"2026-10"}
    assert periods["spike"] == {f"2026-11-{d:02d}" for d in range(13, 20)}
