"""The teams' alert rules: each team with a budget gets the budget ladder and the month-end
projection against its own budget, and each team its own spend spikes, keyed apart from the
organisation's (`team-budget:ml:80:2026-11`, `team-projection:ml:2026-11`,
`team-spike:ml:2026-11-04`) and carrying the team's name, so the service sends each to the
team's channel. Figures in (`AlertInputs.teams`), conditions out, like every rule.
"""

from __future__ import annotations

from decimal import Decimal

from ..team_spend import SHARE_DAYS
from .budget import BudgetSubject, budget_ladder
from .conditions import AlertInputs, Condition, TeamFigures
from .spikes import spikes

__all__ = ["TEAM_RULES", "projection_basis"]


def projection_basis(team: TeamFigures) -> dict[str, str]:
    """How a team's projection was made, for its alert: its share of what the organisation's
    forecast still expects this month."""
    share = (team.share_of_recent * 100).quantize(Decimal("0.1"))
    return {
        "Projection basis": f"month to date plus {share} % of the rest of the organisation's "
        f"forecast month (the team's part of the last {SHARE_DAYS} days' spend)"
    }


def _team_budgets(i: AlertInputs, found: list[Condition], readings: dict[str, str]) -> set[str]:
    judged: set[str] = set()
    for team in i.teams:
        if team.budget_usd is None:
            continue  # no budget of its own: nothing to judge, its open alerts stay as they are
        judged |= budget_ladder(
            BudgetSubject(team.name, projection_basis(team)),
            today=i.today,
            spent=team.month_to_date_usd,
            budget=team.budget_usd,
            projection=team.projection,
            found=found,
            readings=readings,
        )
    return judged


def _team_spikes(i: AlertInputs, found: list[Condition], readings: dict[str, str]) -> set[str]:
    for team in i.teams:
        spikes(i, team.daily, found, team=team.name)
    return set()  # a spike is about its own day: it never clears by being judged again


TEAM_RULES = (("team budget", _team_budgets), ("team spike", _team_spikes))
