"""`aicost demo`: a demo database built from the bundled sample pages, and every answer on it.

No keys and no Slack: the sample pages (AI billing and Stripe revenue) go through the same
parsers, the same sync and the same storage as production, and the status, the forecast and the
break-even answer are computed as a user would get them, as of the moment the sample describes,
so the demo prints the same thing on every run. The AI bill comes from four sources: OpenAI,
Anthropic and AWS Bedrock pages synced, and a FOCUS export (a Google Cloud bill) imported the
way `aicost import focus` imports one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, Table, delete, literal, select

from billing_adapters.samples import (
    SAMPLE_FOCUS,
    SampleBedrock,
    SampleBilling,
    sample_as_of,
    sample_revenue,
)
from billing_adapters.stripe import MonthlyRevenue

from ..core.breakeven.verdict import Verdict
from ..core.breakeven_report import BreakEvenReport
from ..core.forecast_report import ForecastReport
from ..core.status import StatusReport
from ..db.engine import connect
from ..db.models import Base, RevenueMonth
from ..db.revenue import RevenueStore
from ..db.store import SpendStore
from ..errors import AicostError
from ..services.alerts import AlertRun, run_alerts
from ..services.breakeven import answer_breakeven
from ..services.digest_posting import DigestRun, run_digest
from ..services.focus_import import ImportedProvider, import_focus
from ..services.forecast_report import load_forecast
from ..services.status import load_status
from ..services.sync import SyncOutcome, run_sync
from ..settings import Settings, load_settings

__all__ = [
    "DEMO_BUDGET_USD",
    "DEMO_CHART",
    "DEMO_DATABASE",
    "DEMO_WORKLOADS",
    "DEMO_WORKLOAD_BILL",
    "DemoRun",
    "NotADemoDatabase",
    "demo_settings",
    "run_demo",
]

DEMO_DATABASE = "sqlite:///aicost-demo.db"
DEMO_CHART = Path("aicost-demo-chart.png")
DEMO_SINCE = date(2026, 8, 1)
DEMO_ACTOR = "demo"  # who the demo's revenue is recorded as set by: its mark on a database
# Shown when AICOST_MONTHLY_BUDGET_USD is not set, so the demo shows a budget line.
DEMO_BUDGET_USD = Decimal("12000")
# The sample's two workloads, asked the same what-if: each at this bill, with its own token mix
# and measured hours. One pays off and one does not, and the answer says what flips each.
DEMO_WORKLOAD_BILL = Decimal(60000)
DEMO_WORKLOADS = (
    ("anthropic", "the agents pipeline, running around the clock"),
    ("openai", "the chat features, used in office hours"),
)


@dataclass(frozen=True)
class DemoRun:
    """What the demo stored and what it answers, all as of the sample's moment."""

    outcomes: list[SyncOutcome]
    revenue: list[MonthlyRevenue]
    report: StatusReport
    forecast: ForecastReport
    breakeven: tuple[BreakEvenReport, Verdict]
    digest: DigestRun
    alerts: AlertRun
    # (provider, what it is, its answer at DEMO_WORKLOAD_BILL), for each of DEMO_WORKLOADS
    workloads: tuple[tuple[str, str, tuple[BreakEvenReport, Verdict]], ...] = ()
    # The providers the sample FOCUS export was imported as (its ProviderName, "google-cloud").
    imported: tuple[ImportedProvider, ...] = ()

    @property
    def revenue_usd(self) -> Decimal:
        """All the sample's revenue, for the one-line summary of what was stored."""
        return sum((m.amount_usd for m in self.revenue), Decimal(0))


def demo_settings(database_url: str, tz: ZoneInfo, settings: Settings | None = None) -> Settings:
    """The user's settings (or the environment's) pointed at the demo database and time zone.

    Everything else is kept on purpose: a user who set AICOST_BREAKEVEN or a spend-share policy
    sees the demo answer with them, as their own data would be answered.
    """
    if settings is None:
        settings = load_settings(DATABASE_URL=database_url, AICOST_TIMEZONE=tz.key)
    return settings.model_copy(
        update={
            "database_url": database_url,
            "timezone": tz.key,
            "monthly_budget_usd": settings.monthly_budget_usd or DEMO_BUDGET_USD,
        }
    )


class NotADemoDatabase(AicostError):
    """The demo was pointed at a database holding data it did not write."""


def _tables() -> list[Table]:
    """The app's tables, children first, so rows can be deleted in order."""
    return list(reversed(Base.metadata.sorted_tables))


def make_room(engine: Engine, *, force: bool) -> None:
    """Empty the database for the demo, if it is empty already or the demo built it.

    A database the demo built carries its mark (the revenue it records is updated by
    "demo"); anything else with rows in it is somebody's data, and is left alone unless
    `force` says to wipe it.
    """
    with engine.begin() as connection:
        has_rows = any(
            connection.execute(select(literal(1)).select_from(t).limit(1)).first() is not None
            for t in _tables()
        )
        if not has_rows:
            return
        ours = connection.execute(
            select(literal(1))
            .select_from(RevenueMonth)
            .where(RevenueMonth.updated_by == DEMO_ACTOR)
            .limit(1)
        ).first()
        if ours is None and not force:
            raise NotADemoDatabase(
                "that database holds data the demo did not write; the demo builds a database "
                "of its own: give another --database, or add --force to wipe this one"
            )
        for table in _tables():
            connection.execute(delete(table))


def run_demo(
    database_url: str,
    *,
    tz: ZoneInfo,
    settings: Settings | None = None,
    chart_path: Path | None = None,
    progress: Callable[[str], None] | None = None,
    force: bool = False,
) -> DemoRun:
    """Sync the sample pages and import the sample FOCUS export into database_url (replacing,
    never adding), and answer on them.

    `now` is the sample's own moment everywhere, never the clock, so freshness, the month to
    date, the forecast and the break-even window come out the same on every run. The database
    is the demo's own: emptied first (see `make_room`), so nothing it did not write (hours
    logged into it since, say) changes the answer.
    """
    settings = demo_settings(database_url, tz, settings)
    store = SpendStore(connect(database_url))
    try:
        make_room(store.engine, force=force)
    except BaseException:
        store.engine.dispose()
        raise
    now = sample_as_of()
    sources = [SampleBilling("openai"), SampleBilling("anthropic"), SampleBedrock()]
    outcomes = run_sync(
        store,
        sources,
        now=now,
        today_local=now.astimezone(tz).date(),
        since=DEMO_SINCE,
        progress=progress,
    )
    imported, _, _ = import_focus(store, SAMPLE_FOCUS, now=now)
    revenue = sample_revenue(tz)
    RevenueStore(store.engine).set_months(
        [(m.month, m.amount_usd) for m in revenue], source="stripe", at=now, by=DEMO_ACTOR
    )
    report = load_status(
        store,
        now=now,
        tz=tz,
        providers=[s.name for s in sources] + [i.provider for i in imported],
        budget_usd=settings.monthly_budget_usd,
        max_spend_share=settings.max_spend_share,
    )
    forecast = load_forecast(store, now=now, tz=tz, budget_usd=settings.monthly_budget_usd)
    breakeven = answer_breakeven(store, settings, now=now)
    workloads = tuple(
        (
            provider,
            what,
            answer_breakeven(
                store, settings, now=now, provider=provider, monthly_spend=DEMO_WORKLOAD_BILL
            ),
        )
        for provider, what in DEMO_WORKLOADS
    )
    # Nothing is posted: the demo shows what the digest and the alert channel would get.
    digest = run_digest(store, settings, now=now, poster=None, post=False, chart_path=chart_path)
    alerts = run_alerts(store, settings, now=now, poster=None, post=False)
    store.engine.dispose()
    return DemoRun(
        outcomes=outcomes,
        revenue=revenue,
        report=report,
        forecast=forecast,
        breakeven=breakeven,
        digest=digest,
        workloads=workloads,
        alerts=alerts,
        imported=tuple(imported),
    )
