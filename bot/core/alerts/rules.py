"""Alert rules: which governance conditions hold right now, each with its numbers and a reason.

Pure: figures in, conditions out; no database, no Slack, no clock (`now` and `today` are given).
The types, keys and recovery semantics are described in `bot.core.alerts.conditions`.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from ..clock import days_in_month
from ..growth import MonthGrowth
from ..money import ZERO, format_dollars, format_usd, percent_of
from .conditions import (
    SPIKE_LOOKBACK_DAYS,
    AlertInputs,
    Assessment,
    Condition,
    current_periods,
    month_key,
)

__all__ = [
    "RULES",
    "SPIKE_DRIVERS",
    "Rule",
    "assess",
    "evaluate",
    "spike_baseline",
    "with_spike_drivers",
]

BUDGET_STEPS = (50, 80, 100)
BASELINE_DAYS = 28  # a spike is measured against the median of the four weeks before it
MIN_HISTORY_DAYS = 14  # with less history than this a "usual day" is not known yet
SPIKE_DRIVERS = "Rose most (against its own average day)"
BREAKEVEN_HORIZON_MONTHS = 12


def _day_name(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _pct(fraction: Decimal | None) -> str:
    return "-" if fraction is None else f"{fraction * 100:+.1f} %"


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _months_word(n: int) -> str:
    return "this month" if n == 0 else f"in {n} month{'s' if n != 1 else ''}"


def _budget(i: AlertInputs, found: list[Condition], readings: dict[str, str]) -> set[str]:
    """The highest budget step crossed, and projected-to-exceed while under 100 %."""
    budget, spent = i.budget_usd, i.month_to_date_usd
    if budget is None or spent is None:  # no data for the month is not "under budget"
        return set()
    month, period = f"{i.today:%B}", month_key(i.today)
    dim = days_in_month(i.today)
    days_left = dim - i.today.day
    used = percent_of(spent, budget)  # floored: never say 80 % before it is
    proj = i.projection
    proj_pct = None if proj is None else percent_of(proj.point, budget)
    numbers = {
        "Month to date": format_usd(spent),
        "Budget": format_usd(budget),
        "Left" if used < 100 else "Over": format_usd(abs(budget - spent)),
        "Day": f"{i.today.day} of {dim}",
    }
    if proj is not None:
        numbers["Projected month end"] = f"{format_usd(proj.point)} ({proj_pct} % of budget)"
    steps = [s for s in BUDGET_STEPS if used >= s]
    if steps:
        step = steps[-1]
        left = f"{100 - used} % left" if used < 100 else f"{used - 100} % over"
        if used == 100:
            left = "nothing left"
        pace = "" if proj is None else f"; projected month end {format_usd(proj.point)}"
        if step == 50:
            why = f"Half the budget is gone with {_days(days_left)} of {month} still to go{pace}."
        elif step == 80:
            why = f"Only {numbers['Left']} is left for the last {_days(days_left)}{pace}."
        else:
            why = (
                f"The budget is spent with {_days(days_left)} to go: "
                "every further dollar this month is over budget."
            )
        moot = [f"budget:{s}:{period}" for s in BUDGET_STEPS if s < step]
        if step == 100:
            moot.append(f"projection:{period}")
        found.append(
            Condition(
                key=f"budget:{step}:{period}",
                kind="budget",
                period=period,
                title=f"{used} % of the {month} budget used ({left})",
                numbers=numbers,
                why=why,
                severity={50: "info", 80: "warning", 100: "critical"}[step],
                supersedes=tuple(moot),
            )
        )
    if proj is None or used >= 100:
        return set()  # at 100 % the budget alert says it all; the projection is moot
    readings["projection"] = (
        f"projected month end {format_usd(proj.point)}, budget {numbers['Budget']}"
    )
    if proj.point > budget:
        over = proj.point - budget
        # One way for every percentage of the budget (floored, like `used`), so "287 % of
        # budget" and "187 % over" describe the same figure.
        over_pct = (proj_pct or 0) - 100
        found.append(
            Condition(
                key=f"projection:{period}",
                kind="projection",
                period=period,
                title=f"Projected to exceed the {month} budget: {format_usd(proj.point)} "
                f"against {format_usd(budget)}",
                numbers={
                    "Projected month end": format_usd(proj.point),
                    "Likely range": f"{format_usd(proj.low)} to {format_usd(proj.high)}",
                    **numbers,
                },
                why=f"At the current trend {month} ends {format_usd(over)} ({over_pct} %) "
                f"over budget; with {_days(days_left)} left there is still time to change that.",
                severity="warning",
            )
        )
    return {"projection"}


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


def spike_baseline(daily: Mapping[date, Decimal], day: date) -> list[date]:
    """The synced days of the four weeks before `day`: what its usual day is measured on."""
    return [d for d in (day - timedelta(days=k) for k in range(1, BASELINE_DAYS + 1)) if d in daily]


def with_spike_drivers(condition: Condition, drivers: str) -> Condition:
    """A spike alert with what drove it ('openai proj_a, gpt-4o: +$640.00'), if anything did."""
    if condition.kind != "spike" or not drivers:
        return condition
    return replace(condition, numbers={**condition.numbers, SPIKE_DRIVERS: drivers})


def _spikes(i: AlertInputs, found: list[Condition]) -> None:
    """Settled days far above the median of the four weeks before them, by a real amount."""
    for n in range(1, SPIKE_LOOKBACK_DAYS + 1):
        day = i.today - timedelta(days=n)
        spend = i.daily.get(day)
        if spend is None or day in i.incomplete_days:
            continue
        history = [i.daily[d] for d in spike_baseline(i.daily, day)]
        if len(history) < MIN_HISTORY_DAYS:
            continue
        baseline = statistics.median(history)
        extra = spend - baseline
        if spend <= i.spike_factor * baseline or extra <= i.spike_floor_usd:
            continue
        times = f"{spend / baseline:.1f}× usual" if baseline > 0 else "usually nothing"
        found.append(
            Condition(
                key=f"spike:{day.isoformat()}",
                kind="spike",
                period=day.isoformat(),
                title=f"Spend spike on {_day_name(day)}: {format_usd(spend)} ({times})",
                numbers={
                    "Day": _day_name(day),
                    "Spend": format_usd(spend),
                    "Usual day": f"{format_usd(baseline)} (median of the "
                    f"{len(history)} days before)",
                    "Above usual": format_usd(extra),
                },
                why=f"{format_usd(extra)} above a normal day: a runaway job or a new feature's "
                "traffic keeps costing this every day until someone looks.",
                severity="warning",
            )
        )


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
    _spikes(i, found)
    return set()  # a spike is about its own day: it never clears by being judged again


Rule = Callable[[AlertInputs, list[Condition], dict[str, str]], set[str]]
RULES: tuple[tuple[str, Rule], ...] = (
    ("budget", _budget),
    ("growth", _growth),
    ("break-even", _breakeven),
    ("stale data", _stale),
    ("spike", _spike_rule),
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
