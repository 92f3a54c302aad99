"""One alert rule failing never silences the others (the load-and-faults issue).

A rule that raises (an absurd figure, a bug) is reported by name, its conditions and readings
are dropped, and its kinds are not judged, so an alert of its kind that is already open is
neither re-sent nor cleared; every other rule's conditions still come out.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D
from decimal import InvalidOperation

from bot.core.alerts import AlertInputs, BreakEvenSummary, Condition, assess
from bot.core.alerts.rules import RULES
from tests.core.test_alert_rules import BASE, budget


def exploding(i: AlertInputs, found: list[Condition], readings: dict[str, str]) -> set[str]:
    """A rule that gets as far as finding something, then fails, as a bug would."""
    found.append(replace(assess(budget("4100")).conditions[0], key="half-done"))
    readings["half"] = "written before the failure"
    raise InvalidOperation("[<class 'decimal.InvalidOperation'>]")


def test_a_failing_rule_is_reported_and_the_others_still_fire() -> None:
    inputs = replace(
        budget("4100"),  # 82 % of $5,000: the 80 % step
        breakeven=BreakEvenSummary(
            profile="2xh100-rent-70b",
            monthly_bill_usd=D(5000),
            breakeven_bill_usd=D(900),
            pays_off=True,
            breakeven_month=None,
        ),
    )
    rules = tuple((name, exploding if name == "growth" else rule) for name, rule in RULES)
    assessment = assess(inputs, rules)
    assert [c.key for c in assessment.conditions] == ["budget:80:2026-11", "breakeven:2026-11"]
    assert assessment.failed == {"growth": "InvalidOperation: [<class 'decimal.InvalidOperation'>]"}
    # Growth's kinds are not judged (an open growth alert keeps its state); the others are.
    assert {"growth", "share"}.isdisjoint(assessment.judged)
    assert {"breakeven", "breakeven-soon"} <= assessment.judged
    assert "half" not in assessment.readings  # nothing of the failed rule's work is kept


def test_every_rule_failing_still_answers() -> None:
    rules = tuple((name, exploding) for name, _ in RULES)
    assessment = assess(budget("4100"), rules)
    assert assessment.conditions == [] and assessment.judged == frozenset()
    assert list(assessment.failed) == [
        "budget",
        "growth",
        "break-even",
        "stale data",
        "spike",
        "team budget",
        "team spike",
    ]


def test_no_failure_no_report() -> None:
    assert assess(BASE).failed == {}
