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

from ..core.alerts.conditions import TeamFigures
from ..core.clock import month_start, next_month_start
from ..core.coverage import Coverage
from ..core.records import ProjectSpend
from ..core.status import StatusReport
from ..core.team_spend import TeamReport, attribute, owners, share_days, team_daily
from ..core.teams import ProjectKey, Team
from ..db.project_spend import project_daily, project_totals
from ..db.store import SpendStore
from ..db.teams import TeamStore

__all__ = [
    "TeamSpend",
    "project_spend",
    "team_alert_figures",
    "team_channels",
    "team_report",
    "unassigned_projects",
]


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
    return TeamSpend(coverage, project_totals(reader, month, share_days(coverage, today)))


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


def team_alert_figures(
    store: SpendStore,
    status: StatusReport,
    *,
    providers: Iterable[str],
    fetched_at: dict[tuple[str, date], datetime],
    start: date,
    end: date,
) -> tuple[TeamFigures, ...]:
    """Each team's figures for its alert rules: its month from `status` and its spend per day
    in [start, end) (`fetched_at` covering those days); none without teams."""
    report = status.teams
    if report is None or not report.teams:
        return ()
    coverage = Coverage.of(set(providers) | {f.provider for f in status.freshness}, fetched_at)
    teams = TeamStore(store.engine).teams()
    owned = {team.name: team.projects for team in teams}
    daily = team_daily(project_daily(store, start, end), teams, coverage, start, end)
    return tuple(
        TeamFigures(
            name=row.name,
            month_to_date_usd=row.month_to_date_usd,
            budget_usd=row.budget_usd,
            projection=row.projection,
            share_of_recent=row.share_of_recent,
            daily=daily.get(row.name, {}),
            projects=owned.get(row.name, ()),
        )
        for row in report.teams
    )


def team_channels(store: SpendStore) -> dict[str, str | None]:
    """Each team's alert channel (None: the organisation's), read when alerts are sent, so a
    channel changed after an alert was recorded gets it."""
    return {team.name: team.alert_channel for team in TeamStore(store.engine).teams()}


def unassigned_projects(store: SpendStore, today: date) -> list[ProjectKey]:
    """Projects with spend this month that no team owns, biggest first: the team form's
    reminder of what is left to assign. Two small reads, not a whole status: the form must
    open within the 3 seconds its trigger lasts."""
    spend = project_totals(store, (month_start(today), next_month_start(today)), ())
    owner = owners(TeamStore(store.engine).teams())
    left = [s for s in spend if (s.provider, s.project) not in owner and s.month_usd != 0]
    left.sort(key=lambda s: (-s.month_usd, s.provider, s.project))
    return [(s.provider, s.project) for s in left]
