"""Revenue synced before its month ended is that month to date, never the whole month.

Every day of November's spend is synced, but the Stripe key stopped working on 20 Nov: the
stored November revenue is the first 20 days'. Taken as the whole month, revenue "fell" 31 %,
spend "outgrew" it a second month running, and the growth alert fired on a business that had
not shrunk. Checked on SQLite and PostgreSQL through the real store, status and alert rules.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

from billing_adapters import CostLine, FetchResult
from bot.core.alerts.rules import evaluate
from bot.core.growth import growth_report, revenue_synced_to
from bot.db.revenue import RevenueStore
from bot.db.store import SpendStore
from bot.render.status_text import status_text
from bot.services.alerts import gather_inputs
from bot.services.status import load_status
from bot.settings import load_settings
from tests.fill_store import swap_in

UTC_ZONE = ZoneInfo("UTC")
NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)  # November's last day settled long since
AUG, SEP, OCT, NOV = (date(2026, m, 1) for m in (8, 9, 10, 11))
DAILY = {AUG: D(100), SEP: D(110), OCT: D(121), NOV: D(133)}  # spend +10 % a day each month


def fill(store: SpendStore, november_revenue_synced: datetime, source: str = "stripe") -> None:
    days = [AUG + timedelta(days=n) for n in range((date(2026, 12, 1) - AUG).days)]
    costs = [CostLine("openai", d, "proj", "gpt-4o", DAILY[d.replace(day=1)]) for d in days]
    swap_in(store, FetchResult("openai", set(days), costs), fetched_at=NOW - timedelta(hours=2))
    revenue = RevenueStore(store.engine)
    final = [(AUG, D(100_000)), (SEP, D(101_000)), (OCT, D(102_000))]
    revenue.set_months(final, source="stripe", at=datetime(2026, 11, 2, tzinfo=UTC))
    # The first 20 days of a month that would have made about 103,000.
    revenue.set_months([(NOV, D(70_000))], source=source, at=november_revenue_synced)


def test_a_month_synced_before_it_ended_is_not_compared_or_alerted_on(store: SpendStore) -> None:
    fill(store, datetime(2026, 11, 20, 15, tzinfo=UTC))
    report = load_status(store, now=NOW, tz=UTC_ZONE, providers=["openai"])
    assert report.growth is not None
    october, november = report.growth.months[-2:]
    assert october.outgrowing and october.revenue_growth is not None  # 3,751 on 3,300: +13.7 %
    assert november.spend_usd == D(3990) and november.spend_growth is not None
    assert november.revenue_usd is None and november.revenue_growth is None
    assert november.spend_share is None and not november.outgrowing
    assert november.partial_revenue == ((NOV, date(2026, 11, 20)),)
    assert not report.growth.outgrowing_revenue

    text = status_text(report)
    assert (
        "November 2026: AI spend +6.4 % on the month before; revenue for November 2026 synced "
        "only to 20 Nov, before the month ended, so not compared (`aicost revenue sync` "
        "completes it)" in text
    )
    assert "outgrowing the business" not in text
    months = report.as_dict()["growth"]["months"]  # type: ignore[index]
    assert months[-1]["revenue_synced_only_to"] == {"2026-11": "2026-11-20"}
    assert months[-1]["revenue_usd"] is None

    settings = load_settings(
        DATABASE_URL=store.engine.url.render_as_string(hide_password=False),
        AICOST_TIMEZONE="UTC",
        OPENAI_ADMIN_KEY="sk-admin-not-used",
    )
    inputs, _, _ = gather_inputs(store, settings, now=NOW)
    assert [c.kind for c in evaluate(inputs) if c.kind in ("growth", "share")] == []


def test_the_same_month_synced_after_it_ended_is_the_whole_month(store: SpendStore) -> None:
    fill(store, datetime(2026, 12, 1, 6, tzinfo=UTC))  # the sync after the month ended
    report = load_status(store, now=NOW, tz=UTC_ZONE, providers=["openai"])
    assert report.growth is not None
    november = report.growth.months[-1]
    assert november.partial_revenue == () and november.revenue_usd == D(70_000)
    # Taken as given: this revenue did fall, and the flag is right to be up.
    assert report.growth.outgrowing_revenue


def test_revenue_set_by_hand_is_the_month_its_user_gave(store: SpendStore) -> None:
    fill(store, datetime(2026, 11, 20, 15, tzinfo=UTC), source="manual")
    report = load_status(store, now=NOW, tz=UTC_ZONE, providers=["openai"])
    assert report.growth is not None and report.growth.months[-1].partial_revenue == ()


def test_whether_a_sync_was_before_the_month_ended_is_read_in_the_teams_zone() -> None:
    late_utc = datetime(2026, 12, 1, 2, tzinfo=UTC)  # 30 Nov, 18:00 in Los Angeles
    assert revenue_synced_to(NOV, "stripe", late_utc, UTC_ZONE) is None
    la = ZoneInfo("America/Los_Angeles")
    assert revenue_synced_to(NOV, "stripe", late_utc, la) == date(2026, 11, 30)
    assert revenue_synced_to(NOV, "csv", late_utc, la) is None


def test_growth_leaves_a_partial_month_out_on_either_side() -> None:
    spend = {SEP: D(100), OCT: D(150), NOV: D(200)}
    revenue = {SEP: D(1000), OCT: D(500), NOV: D(1000)}
    report = growth_report(
        spend, revenue, last_month=NOV, months=2, partial_revenue={OCT: date(2026, 10, 15)}
    )
    october, november = report.months
    # October's own figure and November's comparison with it are both unknown.
    assert october.revenue_usd is None and october.revenue_growth is None
    assert november.revenue_usd == D(1000) and november.revenue_growth is None
    assert october.partial_revenue == november.partial_revenue == ((OCT, date(2026, 10, 15)),)
    assert november.spend_share == D("0.2") and not report.outgrowing_revenue
