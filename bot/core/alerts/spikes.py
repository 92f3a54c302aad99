"""Daily spend spikes, for the organisation or for one team: a settled day far above the
median of the four weeks before it, by a real amount (`spike:2026-11-04`, or
`team-spike:ml:2026-11-04` for a team's own spend)."""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from ..money import format_usd
from .conditions import SPIKE_LOOKBACK_DAYS, AlertInputs, Condition

__all__ = [
    "BASELINE_DAYS",
    "MIN_HISTORY_DAYS",
    "SPIKE_DRIVERS",
    "day_name",
    "spike_baseline",
    "spikes",
    "with_spike_drivers",
]

BASELINE_DAYS = 28  # a spike is measured against the median of the four weeks before it
MIN_HISTORY_DAYS = 14  # with less history than this a "usual day" is not known yet
SPIKE_DRIVERS = "Rose most (against its own average day)"


def day_name(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def spike_baseline(daily: Mapping[date, Decimal], day: date) -> list[date]:
    """The synced days of the four weeks before `day`: what its usual day is measured on."""
    return [d for d in (day - timedelta(days=k) for k in range(1, BASELINE_DAYS + 1)) if d in daily]


def with_spike_drivers(condition: Condition, drivers: str) -> Condition:
    """A spike alert with what drove it ('openai proj_a, gpt-4o: +$640.00'), if anything did."""
    if condition.kind not in ("spike", "team-spike") or not drivers:
        return condition
    return replace(condition, numbers={**condition.numbers, SPIKE_DRIVERS: drivers})


def spikes(
    i: AlertInputs, daily: Mapping[date, Decimal], found: list[Condition], team: str = ""
) -> None:
    """Settled days of the last week in `daily` (the organisation's, or `team`'s) far above
    their usual day, by at least the spike floor."""
    for n in range(1, SPIKE_LOOKBACK_DAYS + 1):
        day = i.today - timedelta(days=n)
        spend = daily.get(day)
        if spend is None or day in i.incomplete_days:
            continue
        history = [daily[d] for d in spike_baseline(daily, day)]
        if len(history) < MIN_HISTORY_DAYS:
            continue
        baseline = statistics.median(history)
        extra = spend - baseline
        if spend <= i.spike_factor * baseline or extra <= i.spike_floor_usd:
            continue
        times = f"{spend / baseline:.1f}× usual" if baseline > 0 else "usually nothing"
        title = f"Spend spike on {day_name(day)}: {format_usd(spend)} ({times})"
        numbers = {"Team": team} if team else {}
        found.append(
            Condition(
                key=f"team-spike:{team}:{day.isoformat()}" if team else f"spike:{day.isoformat()}",
                kind="team-spike" if team else "spike",
                period=day.isoformat(),
                title=f"Team {team}: {title}" if team else title,
                numbers=numbers
                | {
                    "Day": day_name(day),
                    "Spend": format_usd(spend),
                    "Usual day": f"{format_usd(baseline)} (median of the "
                    f"{len(history)} days before)",
                    "Above usual": format_usd(extra),
                },
                why=f"{format_usd(extra)} above a normal day: a runaway job or a new feature's "
                "traffic keeps costing this every day until someone looks.",
                severity="warning",
                team=team,
            )
        )
