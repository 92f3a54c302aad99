"""Spend by team from the store: what `status`, the App Home, `team list` and the team alerts
show. The arithmetic is `bot.core.team_spend`; this gathers its inputs.

Team work is done only when a team exists: without one, `status` asks one more tiny question
(are there teams?) and nothing else. With teams it asks one more: each project's spend this
month and on the days the projection is split by, summed per project in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from ..core.clock import month_start, next_month_start
from ..core.coverage import Coverage
from ..core.records import ProjectSpend
from ..core.status import StatusReport
from ..core.team_spend import TeamReport, attribute, share_days
from ..core.teams import Team
from ..db.store import SpendStore

__all__ = ["TeamSpend", "project_spend", "team_report"]


@dataclass(frozen=True, slots=True)
class TeamSpend:
    """Each project's spend, with the coverage it was read under."""

    coverage: Coverage
    projects: list[ProjectSpend]


def project_spend(
    reader: SpendStore,
    today: date,
    providers: Iterable[str],
    fetched_at: dict[tuple[str, date], datetime],
) -> TeamSpend:
    """Each project's spend this month and on the `share_days` (`fetched_at` must cover the
    SHARE_DAYS before today), for the providers in scope."""
    coverage = Coverage.of(providers, fetched_at)
    month = (month_start(today), next_month_start(today))
    return TeamSpend(coverage, reader.project_totals(month, share_days(coverage, today)))


def team_report(spend: TeamSpend, teams: Sequence[Team], status: StatusReport) -> TeamReport:
    """The month by team, adding up to `status`'s month to date and forecast."""
    return attribute(
        spend.projects,
        teams,
        today=status.today,
        coverage=spend.coverage,
        total_usd=status.month_to_date_usd,
        projection=None if status.forecast is None else status.forecast.month_end,
    )
