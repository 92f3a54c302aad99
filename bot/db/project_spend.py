"""Spend per provider project, read from the per-project daily totals: what teams are
attributed from (`bot.services.teams`). Kept beside the store rather than in it: only team
work asks these, and they read their own table.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, case, false, func, literal, select
from sqlalchemy.orm import Session

from ..core.money import ZERO, from_nanos
from ..core.records import ProjectDaySpend, ProjectSpend, Window
from ..core.teams import DEFAULT_PROJECT, shown_project
from .models import ProjectDayTotal
from .store import SpendStore

__all__ = ["project_daily", "project_seen", "project_totals"]


def project_totals(
    store: SpendStore, month: Window, recent: Collection[date]
) -> list[ProjectSpend]:
    """Billed dollars per provider project in the `month` window and on the `recent` days,
    summed in SQL from the per-project daily totals (what teams are attributed from: about
    a hundred rows, not a row per project and day). A currency without a rate is left out,
    as its days are from `daily_spend`, so the projects add up to its total."""
    day = ProjectDayTotal.day
    zero = literal(0)
    in_month = and_(day >= month[0], day < month[1])
    in_recent = day.in_(sorted(recent)) if recent else false()
    start = min([month[0], *recent])
    query = (
        select(
            ProjectDayTotal.provider,
            ProjectDayTotal.project,
            ProjectDayTotal.currency,
            func.sum(case((in_month, ProjectDayTotal.amount_nanos), else_=zero)),
            func.sum(case((in_recent, ProjectDayTotal.amount_nanos), else_=zero)),
        )
        .where(day >= start, day < month[1])
        .group_by(ProjectDayTotal.provider, ProjectDayTotal.project, ProjectDayTotal.currency)
    )
    with Session(store.engine) as session:
        rows = session.execute(query).all()
    sums: dict[tuple[str, str], tuple[Decimal, Decimal]] = {}
    for provider, project, currency, in_month_nanos, recent_nanos in rows:
        month_usd = store.fx.to_usd(from_nanos(int(in_month_nanos)), currency)
        recent_usd = store.fx.to_usd(from_nanos(int(recent_nanos)), currency)
        if month_usd is None or recent_usd is None:
            continue
        key = (provider, shown_project(project))
        held = sums.get(key, (ZERO, ZERO))
        sums[key] = (held[0] + month_usd, held[1] + recent_usd)
    return [ProjectSpend(p, k, m, r) for (p, k), (m, r) in sorted(sums.items())]


def project_seen(store: SpendStore, provider: str, project: str) -> bool:
    """Whether any synced day holds spend of this project ("default": the default one), so
    a mistyped id can be pointed out when it is given to a team."""
    stored = "" if project == DEFAULT_PROJECT else project
    query = select(ProjectDayTotal.day).where(
        ProjectDayTotal.provider == provider, ProjectDayTotal.project.in_([stored, project])
    )
    with Session(store.engine) as session:
        return session.execute(query.limit(1)).first() is not None


def project_daily(store: SpendStore, start: date, end: date) -> list[ProjectDaySpend]:
    """Billed dollars per provider project and day in [start, end) (the team alerts' daily
    series); a day in a currency without a rate is left out, as in `daily_spend`."""
    with Session(store.engine) as session:
        rows = session.execute(
            select(
                ProjectDayTotal.provider,
                ProjectDayTotal.project,
                ProjectDayTotal.day,
                ProjectDayTotal.amount_nanos,
                ProjectDayTotal.currency,
            ).where(ProjectDayTotal.day >= start, ProjectDayTotal.day < end)
        ).all()
    spends = []
    for provider, project, day, nanos, currency in rows:
        usd = store.fx.to_usd(from_nanos(int(nanos)), currency)
        if usd is not None:
            spends.append(ProjectDaySpend(provider, shown_project(project), day, usd))
    return spends
