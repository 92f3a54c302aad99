"""Alert rules: which governance conditions hold right now, each with its numbers and a reason.

Pure: figures in, conditions out; no database, no Slack, no clock (`now` and `today` are given).
The types, keys and recovery semantics are described in `bot.core.alerts.conditions`; the
budget ladder and spikes, shared with the teams' rules (`team_rules.py`), are in `budget.py`
and `spikes.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from ..clock import days_in_month
from ..growth import MonthGrowth, partial_revenue_phrase
from ..money import ZERO, format_dollars, format_usd
from .budget import ORGANISATION, budget_ladder
from .conditions import (
    AlertInputs,
    Assessment,
    Condition,
    current_periods,
    month_key,
)
from .spikes import SPIKE_DRIVERS, spike_baseline, spikes, with_spike_drivers
from .team_rules import TEAM_RULES

__all__ = [
    "RULES",
    "SPIKE_DRIVERS",
    "Rule",
    "assess",
    "evaluate",
    "spike_baseline",
    "with_spike_drivers",
]

BREAKEVEN_HORIZON_MONTHS = 12


def _pct(fraction: Decimal | None) -> str:
    return "-" if fraction is None else f"{fraction * 100:+.1f} %"


def _months_word(n: int) -> str:
    return "this month" if n == 0 else f"in {n} month{'s' if n != 1 else ''}"


def _budget(i: AlertInputs, found: list[Condition], readings: dict[str, str]) -> set[str]:
    """The organisation's budget ladder and projection (see `budget.budget_ladder`)."""
    return budget_ladder(
        ORGANISATION,
        today=i.today,
        spent=i.month_to_date_usd,
        budget=i.budget_usd,
        projection=i.projection,
        found=found,
        readings=readings,
    )


def _settled_month(i: AlertInputs, month: MonthGrowth) -> bool:
    """A month is judged only once its last day is settled: late data revises growth."""
    last_day = month.month.replace(day=days_in_month(month.month))
    return last_day not in i.incomplete_days


def _growth(i: AlertInputs, found: list[Condition], readings: dict[str, str]) -> set[str]:
    growth = i.growth
    latest = growth.latest if growth else None
    if growth is None or latest is None or not _settled_month(i, latest):
        return set()
    if latest.spend_usd is None:  # a month with unsynced days is not judged, either way
        return set()
    name, period = f"{latest.month:%B %Y}", month_key(latest.month)
    if latest.partial_revenue:  # revenue synced before its month ended: neither way either
        readings["growth"] = f"{name}: {partial_revenue_phrase(latest)}"
        return set()
    judged = {"growth"}
    readings["growth"] = (
        f"{name}: AI spend {_pct(latest.spend_growth)}, revenue {_pct(latest.revenue_growth)}"
    )
    share = latest.spend_share
    if growth.outgrowing_revenue:
        numbers = {
            f"AI spend, {name}": f"{format_usd(latest.spend_usd)} ({_pct(latest.spend_growth)})",
            f"Revenue, {name}": f"{format_usd(latest.revenue_usd or ZERO)} "
            f"({_pct(latest.revenue_growth)})",
            "Months running": str(growth.outgrowing_streak),
        }
        if share is not None:
            numbers["AI spend share of revenue"] = f"{share * 100:.1f} %"
        found.append(
            Condition(
                key=f"growth:{period}",
                kind="growth",
                period=period,
                title=f"AI spend outgrew revenue {growth.outgrowing_streak} months running",
                numbers=numbers,
                why="Each month AI takes a bigger slice of every dollar earned; "
                "left alone, the bill outruns the business.",
                severity="warning",
            )
        )
    policy = growth.share_policy
    if policy is None:
        return judged
    judged.add("share")
    if share is None:
        readings["share"] = f"{name}: no revenue recorded"
        return judged
    readings["share"] = (
        f"{name}: AI spend {share * 100:.1f} % of revenue (policy {policy * 100:.1f} %)"
    )
    if growth.over_share_policy:
        revenue = latest.revenue_usd or ZERO
        excess = latest.spend_usd - policy * revenue
        found.append(
            Condition(
                key=f"share:{period}",
                kind="share",
                period=period,
                title=f"AI spend was {share * 100:.1f} % of revenue in {name} "
                f"(policy {policy * 100:.1f} %)",
                numbers={
                    "AI spend": format_usd(latest.spend_usd),
                    "Revenue": format_usd(revenue),
                    "Share": f"{share * 100:.1f} %",
                    "Policy": f"{policy * 100:.1f} %",
                },
                why=f"Above the ceiling you set: AI cost {format_usd(excess)} more that month "
                "than the policy allows.",
                severity="warning",
            )
        )
    return judged


def _breakeven(i: AlertInputs, found: list[Condition], readings: dict[str, str]) -> set[str]:
    figures = i.breakeven
    if figures is None:
        return set()
    period = month_key(i.today)
    bill = format_dollars(figures.monthly_bill_usd)
    point = (
        "-" if figures.breakeven_bill_usd is None else format_dollars(figures.breakeven_bill_usd)
    )
    numbers = {"API bill, a month": bill, "Break-even bill": point}
    readings["breakeven"] = f"API bill {bill} a month; break-even at {point}"
    expected = figures.breakeven_month
    months = None
    if expected is not None:
        months = (expected.year - i.today.year) * 12 + expected.month - i.today.month
        readings["breakeven-soon"] = f"break-even expected {expected:%B %Y}"
    else:
        readings["breakeven-soon"] = "no break-even within the forecast"
    if figures.pays_off:
        found.append(
            Condition(
                key=f"breakeven:{period}",
                kind="breakeven",
                period=period,
                title="Running open-weight models yourself would now pay off: "
                f"{format_dollars(figures.saving_usd)}/month less",
                numbers=numbers,
                why="At today's run-rate the API bill is above the point where self-hosting "
                "costs less: `aicost breakeven` shows the options and every assumption.",
                severity="info",
                supersedes=(f"breakeven-soon:{period}",),
            )
        )
    elif expected is not None and months is not None and 0 <= months <= BREAKEVEN_HORIZON_MONTHS:
        found.append(
            Condition(
                key=f"breakeven-soon:{period}",
                kind="breakeven-soon",
                period=period,
                title=f"Break-even expected {_months_word(months)} ({expected:%B %Y})",
                numbers={"Expected": f"{expected:%B %Y}", **numbers},
                why="The forecast bill reaches the point where self-hosting pays off: "
                "time to plan a trial before it does, not after.",
                severity="info",
            )
        )
    return {"breakeven", "breakeven-soon"}


def _hours(delta: timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    return f"{hours} h" if hours < 48 else f"{hours // 24} days"


def _stale(i: AlertInputs, found: list[Condition], readings: dict[str, str]) -> set[str]:
    """A provider with no successful sync for longer than the threshold: once per outage.

    The key names the last success, so the alert holds (and is sent once) for as long as the
    outage lasts, and the next success clears it with one recovery message. The period is the
    provider, always current, so an outage that crosses a month end is still one alert.
    """
    if not i.synced_providers:
        return set()
    for f in i.stale:
        assert f.last_success_at is not None  # stale_providers only lists providers that synced
        since = f.last_success_at
        found.append(
            Condition(
                key=f"stale:{f.provider}:{since:%Y-%m-%dT%H:%MZ}",
                kind="stale",
                period=f.provider,
                title=f"No new {f.provider} billing data for {_hours(i.now - since)}",
                numbers={
                    "Provider": f.provider,
                    "Last successful sync": f"{since:%a %d %b %Y %H:%M} UTC",
                    "Last error": f.last_error or "none recorded",
                    "Threshold": f"{i.stale_after_hours} h (AICOST_STALE_AFTER_HOURS)",
                },
                why="Every figure and alert for this provider stops at that sync until syncing "
                "works again: budget and spike alerts cannot see new spend.",
                severity="warning",
            )
        )
    current = sorted(i.synced_providers - {f.provider for f in i.stale})
    readings["stale"] = "syncing again: " + ", ".join(current) if current else "no provider syncing"
    return {"stale"}


def _spike_rule(i: AlertInputs, found: list[Condition], readings: dict[str, str]) -> set[str]:
    spikes(i, i.daily, found)
    return set()  # a spike is about its own day: it never clears by being judged again


Rule = Callable[[AlertInputs, list[Condition], dict[str, str]], set[str]]
RULES: tuple[tuple[str, Rule], ...] = (
    ("budget", _budget),
    ("growth", _growth),
    ("break-even", _breakeven),
    ("stale data", _stale),
    ("spike", _spike_rule),
    *TEAM_RULES,
)


def assess(inputs: AlertInputs, rules: tuple[tuple[str, Rule], ...] = RULES) -> Assessment:
    """Every condition that holds now, and which kinds were judged (see `Assessment`).

    Each rule runs on its own: one that raises (an absurd figure, a bug) is reported in
    `failed`, its conditions and readings are dropped and its kinds are not judged, so its open
    alerts stay as they were; the other rules' alerts still go out.
    """
    found: list[Condition] = []
    readings: dict[str, str] = {}
    judged: set[str] = set()
    failed: dict[str, str] = {}
    for name, rule in rules:
        mine: list[Condition] = []
        my_readings: dict[str, str] = {}
        try:
            judged |= rule(inputs, mine, my_readings)
        except Exception as exc:  # noqa: BLE001 - one rule must not silence the others
            failed[name] = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            continue
        found += mine
        readings |= my_readings
    current = {**current_periods(inputs.today), "stale": inputs.synced_providers}
    return Assessment(
        conditions=found,
        judged=frozenset(judged),
        current=current,
        readings=readings,
        failed=failed,
    )


def evaluate(inputs: AlertInputs) -> list[Condition]:
    """The conditions that hold now (see `assess` for what was judged)."""
    return assess(inputs).conditions
