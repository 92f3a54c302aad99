"""The budget ladder and the month-end projection, for the organisation or for one team.

One rule, two subjects: the organisation's budget (`budget:80:2026-11`, `projection:2026-11`)
and each team's (`team-budget:ml:80:2026-11`, `team-projection:ml:2026-11`), so a team's
alert says the same things in the same words, with the team named in its title and figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..clock import days_in_month
from ..forecast import Estimate
from ..money import format_usd, percent_of
from .conditions import Condition, month_key

__all__ = ["BUDGET_STEPS", "ORGANISATION", "BudgetSubject", "budget_ladder", "days_word"]

BUDGET_STEPS = (50, 80, 100)


def days_word(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


@dataclass(frozen=True, slots=True)
class BudgetSubject:
    """Whose budget: the organisation's, or a team's (its name, and how its projection was
    made, for the alert's figures)."""

    team: str = ""
    projection_basis: dict[str, str] = field(default_factory=dict)

    def kind(self, kind: str) -> str:
        return f"team-{kind}" if self.team else kind

    def key(self, kind: str, *parts: object) -> str:
        scope = [self.team] if self.team else []
        return ":".join([self.kind(kind), *scope, *(str(p) for p in parts)])

    def title(self, text: str) -> str:
        return f"Team {self.team}: {text}" if self.team else text

    def judged(self, kind: str) -> str:
        return f"{self.kind(kind)}:{self.team}" if self.team else kind


ORGANISATION = BudgetSubject()


def budget_ladder(
    who: BudgetSubject,
    *,
    today: date,
    spent: Decimal | None,
    budget: Decimal | None,
    projection: Estimate | None,
    found: list[Condition],
    readings: dict[str, str],
) -> set[str]:
    """The highest budget step crossed, and projected-to-exceed while under 100 %; returns
    what was judged (the projection's kind, for `who`)."""
    if budget is None or spent is None:  # no data for the month is not "under budget"
        return set()
    month, period = f"{today:%B}", month_key(today)
    dim = days_in_month(today)
    days_left = dim - today.day
    used = percent_of(spent, budget)  # floored: never say 80 % before it is
    proj = projection
    proj_pct = None if proj is None else percent_of(proj.point, budget)
    numbers = {"Team": who.team} if who.team else {}
    numbers |= {
        "Month to date": format_usd(spent),
        "Budget": format_usd(budget),
        "Left" if used < 100 else "Over": format_usd(abs(budget - spent)),
        "Day": f"{today.day} of {dim}",
    }
    if proj is not None:
        numbers["Projected month end"] = f"{format_usd(proj.point)} ({proj_pct} % of budget)"
        numbers |= who.projection_basis
    steps = [s for s in BUDGET_STEPS if used >= s]
    if steps:
        step = steps[-1]
        left = f"{100 - used} % left" if used < 100 else f"{used - 100} % over"
        if used == 100:
            left = "nothing left"
        pace = "" if proj is None else f"; projected month end {format_usd(proj.point)}"
        if step == 50:
            why = (
                f"Half the budget is gone with {days_word(days_left)} of {month} still to go{pace}."
            )
        elif step == 80:
            why = f"Only {numbers['Left']} is left for the last {days_word(days_left)}{pace}."
        else:
            why = (
                f"The budget is spent with {days_word(days_left)} to go: "
                "every further dollar this month is over budget."
            )
        moot = [who.key("budget", s, period) for s in BUDGET_STEPS if s < step]
        if step == 100:
            moot.append(who.key("projection", period))
        found.append(
            Condition(
                key=who.key("budget", step, period),
                kind=who.kind("budget"),
                period=period,
                title=who.title(f"{used} % of the {month} budget used ({left})"),
                numbers=numbers,
                why=why,
                severity={50: "info", 80: "warning", 100: "critical"}[step],
                supersedes=tuple(moot),
                team=who.team,
            )
        )
    if proj is None or used >= 100:
        return set()  # at 100 % the budget alert says it all; the projection is moot
    judged = who.judged("projection")
    readings[judged] = (
        f"{who.title('')}projected month end {format_usd(proj.point)}, budget {numbers['Budget']}"
    )
    if proj.point > budget:
        over = proj.point - budget
        # One way for every percentage of the budget (floored, like `used`), so "287 % of
        # budget" and "187 % over" describe the same figure.
        over_pct = (proj_pct or 0) - 100
        found.append(
            Condition(
                key=who.key("projection", period),
                kind=who.kind("projection"),
                period=period,
                title=who.title(
                    f"Projected to exceed the {month} budget: {format_usd(proj.point)} "
                    f"against {format_usd(budget)}"
                ),
                numbers={
                    "Projected month end": format_usd(proj.point),
                    "Likely range": f"{format_usd(proj.low)} to {format_usd(proj.high)}",
                    **numbers,
                },
                why=f"At the current trend {month} ends {format_usd(over)} ({over_pct} %) "
                f"over budget; with {days_word(days_left)} left there is still time to change "
                "that.",
                severity="warning",
                team=who.team,
            )
        )
    return {judged}
