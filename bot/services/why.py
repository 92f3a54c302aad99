""" "Why did it move?" from the store: the period's lines, and which of its days are known.

Also the one-line explanation a spike alert carries: the spike day's project-and-model lines
against their average day over the synced days the spike rule measured it against.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta

from ..core.coverage import Coverage, days_between
from ..core.status import unsettled_days
from ..core.team_spend import owners
from ..core.teams import ProjectKey
from ..core.why import WhyReport, explain, usual_day_drivers
from ..core.why_period import WhyPeriod
from ..db.movers import spend_by_line
from ..db.store import SpendStore
from ..db.teams import TeamStore
from ..settings import Settings
from .freshness import load_freshness
from .status import configured_providers

__all__ = ["explain_change", "explain_spike_day"]


def explain_change(
    store: SpendStore, settings: Settings, period: WhyPeriod, *, now: datetime
) -> WhyReport:
    """The change over `period` (resolved by the caller from `now`), with its coverage.

    The scope of providers is the digest's: those configured and every one that ever synced,
    so a provider whose days never arrived makes them missing rather than silently $0.
    """
    current, previous = period.current, period.previous
    lines = spend_by_line(store.engine, current, previous, store.fx)
    start, end = min(current[0], previous[0]), max(current[1], previous[1])
    with store.reading() as reader:
        fetched = reader.fetched_at(start, end)
        scope = [f.provider for f in load_freshness(reader, configured_providers(settings))]
        teams = TeamStore(reader.engine).teams()
    coverage = Coverage.of(scope, fetched)
    wanted = set(days_between(*current)) | set(days_between(*previous))
    return explain(
        period,
        lines,
        as_of=now,
        timezone=settings.timezone,
        missing_current=coverage.missing(*current),
        missing_previous=coverage.missing(*previous),
        provisional=sorted(unsettled_days(fetched) & wanted),
        owners=owners(teams) if teams else None,
    )


def explain_spike_day(
    store: SpendStore,
    day: date,
    baseline: Collection[date],
    projects: Collection[ProjectKey] | None = None,
) -> str:
    """What drove `day` above usual: its lines (of `projects` only, for a team's spike)
    against their average over `baseline`, the synced days the spike was measured against.

    Summed over [first baseline day, day): a day in there that is not in `baseline` was never
    synced by any provider, so it holds no lines and adds nothing to the sum.
    """
    if not baseline:
        return ""
    window = (min(baseline), day)
    lines = spend_by_line(store.engine, (day, day + timedelta(days=1)), window, store.fx)
    if projects is not None:
        owned = set(projects)
        lines = [line for line in lines if (line.provider, line.project) in owned]
    return usual_day_drivers(lines, len(baseline))
