"""Month-to-date status from the store: what `aicost status` and `/aicost status` answer.

The figures are `bot.core.status.build_status`, plain arithmetic; this gathers its inputs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from ..core.balance import runway
from ..core.clock import month_start, next_month_start, previous_month_start
from ..core.growth import revenue_synced_to
from ..core.status import FORECAST_DAYS, GROWTH_MONTHS, StatusReport, build_status
from ..db.balances import BalanceStore
from ..db.revenue import RevenueStore
from ..db.store import SpendStore
from ..db.teams import TeamStore
from ..settings import Settings
from .teams import project_spend, team_report

__all__ = ["configured_providers", "load_status", "team_status"]


def load_status(
    store: SpendStore,
    *,
    now: datetime,
    tz: ZoneInfo,
    providers: Iterable[str] = (),
    budget_usd: Decimal | None = None,
    max_spend_share: Decimal | None = None,
    stale_after_hours: Decimal | None = None,
    by_team: bool | None = None,
) -> StatusReport:
    """Query what `build_status` needs and build it; with the month by team when a team
    exists (`by_team` None), always (True: every project unassigned without teams) or never."""
    today = now.astimezone(tz).date()
    start = month_start(today)
    for _ in range(GROWTH_MONTHS + 1):
        start = previous_month_start(start)
    start = min(start, today - timedelta(days=FORECAST_DAYS))
    end = next_month_start(today)
    with store.reading() as reader:
        runs, last_success = reader.latest_syncs(providers)
        daily, fetched_at = reader.spend_and_fetched(start, end)
        revenue = RevenueStore(reader.engine).months(start, end)
        revisions = reader.revisions(previous_month_start(today), month_start(today))
        currencies = reader.foreign_spend(month_start(today), end)
        balances = BalanceStore(reader.engine).latest()
        teams = TeamStore(reader.engine).teams() if by_team is not False else []
        spend = None
        if teams or by_team is True:
            spend = project_spend(
                reader, today, {*providers, *runs} | {r.provider for r in daily}, fetched_at
            )
    report = build_status(
        daily,
        now=now,
        tz=tz,
        providers=providers,
        fetched_at=fetched_at,
        last_success=last_success,
        last_runs=runs,
        budget_usd=budget_usd,
        revenue={r.month: r.amount_usd for r in revenue},
        partial_revenue={
            r.month: synced
            for r in revenue
            if (synced := revenue_synced_to(r.month, r.source, r.updated_at, tz)) is not None
        },
        max_spend_share=max_spend_share,
        stale_after_hours=stale_after_hours,
        revisions=revisions,
        currencies=currencies,
        runways=[runway(b, daily, fetched_at, today=today) for b in balances],
    )
    if spend is None:
        return report
    return replace(report, teams=team_report(spend, teams, report))


def configured_providers(settings: Settings) -> list[str]:
    """Every configured billing source: a source turned on but never synced makes its days
    missing (never $0) from the start, rather than staying out of the figures unseen until
    its first sync."""
    return settings.configured_sources


def team_status(
    store: SpendStore, settings: Settings, *, now: datetime, by_team: bool | None = None
) -> StatusReport:
    """Status as the team configured it: its providers, zone, budget and spend-share policy
    (and, `by_team`, see `load_status`)."""
    return load_status(
        store,
        now=now,
        tz=settings.tz,
        providers=configured_providers(settings),
        budget_usd=settings.monthly_budget_usd,
        max_spend_share=settings.max_spend_share,
        stale_after_hours=settings.stale_after_hours,
        by_team=by_team,
    )
