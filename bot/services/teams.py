"""Spend by team from the store: what `status`, the App Home, `team list` and the team alerts
show. The arithmetic is `bot.core.team_spend`; this gathers its inputs.

Team work is done only when a team exists: without one, `status` asks one more tiny question
(are there teams?) and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from ..core.clock import month_start
from ..core.coverage import Coverage
from ..core.records import ProjectDaySpend
from ..core.status import StatusReport
from ..core.team_spend import SHARE_DAYS, TeamReport, attribute
from ..core.teams import Team

__all__ = ["project_window", "team_report"]


def project_window(today: date) -> date:
    """The first day of per-project spend the teams need: the month and the days before today
    the projection is split by."""
    return min(month_start(today), today - timedelta(days=SHARE_DAYS))


def team_report(
    spend: Sequence[ProjectDaySpend],
    teams: Sequence[Team],
    status: StatusReport,
    *,
    providers: Iterable[str],
    fetched_at: dict[tuple[str, date], datetime],
) -> TeamReport:
    """The month by team from per-project spend since `project_window`, on the same days,
    coverage and forecast as `status`."""
    names = set(providers) | {f.provider for f in status.freshness}
    return attribute(
        spend,
        teams,
        today=status.today,
        coverage=Coverage.of(names, fetched_at),
        total_usd=status.month_to_date_usd,
        projection=None if status.forecast is None else status.forecast.month_end,
    )
